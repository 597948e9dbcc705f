"""The rows of the home list, rendered with str.format of escaped values rather than a template.

The template engine's cost per variable, over 50 rows of 12 cells, was the largest part of the
list page's CPU (bench/README.md, "Figures behind the code"). Same markup as a template; every
variable value goes through `html.escape` (quotes included), as Django's autoescape does.
The cells are the list columns of connect/dossiers/columns.py, in their order.
"""

from functools import partial
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from connect.dossiers.columns import LIST_COLUMNS

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _cell(column) -> str:
    label = column.label.replace("{", "{{").replace("}", "}}").replace("{{firm}}", "{firm}")
    td_class = f' class="{column.td_class}"' if column.td_class else ""
    content = column.markup.replace("{value}", "{%s}" % column.key)  # noqa: UP031
    return f'      <td data-label="{label}"{td_class}>{content}</td>\n'


# `{classes}`, `{firm}` and `{url}` per row; each column's cell is named after its key.
ROW = (
    '    <tr class="dossier-row{classes}">\n'
    + "".join(_cell(column) for column in LIST_COLUMNS)
    + "    </tr>\n"
)
CELLS = tuple((column.key, column.html) for column in LIST_COLUMNS if column.html)
BY_READER = {column.key for column in LIST_COLUMNS if column.by_reader}


def render_rows(
    dossiers, *, firm: bool = False, detail_url_name: str = "dossier_detail"
) -> SafeString:
    """The `<tr>` of each dossier (annotated by `with_novelty`), in the order given; `firm`:
    the reader reads the firm's words (connect/dossiers/ball.py); `detail_url_name`: the page
    a row opens (a client's user opens the portfolio's own, connect/clients)."""
    cells = tuple(
        (key, partial(html, firm=firm) if key in BY_READER else html) for key, html in CELLS
    )
    firm_name = escape(settings.FIRM_SHORT_NAME)
    detail_url = escape(reverse(detail_url_name, args=[PLACEHOLDER]))
    rows = []
    for dossier in dossiers:
        new = getattr(dossier, "has_new_documents", False) or getattr(
            dossier, "has_new_messages", False
        )
        classes = (" is-new" if new else "") + (" is-archived" if dossier.archived else "")
        rows.append(
            ROW.format(
                classes=classes,
                firm=firm_name,
                url=detail_url.replace(PLACEHOLDER, str(dossier.code)),
                **{key: html(dossier) for key, html in cells},
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped (columns.py)
