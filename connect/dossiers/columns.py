"""The home list's columns, declared once: the headers, the sortable keys, the fields a page
loads, the rows' cells (list_rows.py) and the exports' columns (export.py) all derive from here.

A column is shown in the list when it has an `html` cell, sortable when it has a `sort` field,
exported when it has an `export` value. Labels are the guide's; `{firm}` is the firm's short
name (settings.FIRM_SHORT_NAME), filled in when the header, cell or export is built.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.utils import timezone

from connect.dossiers.ball import BALL_FIELDS
from connect.dossiers.ball import cell as ball_cell
from connect.dossiers.templatetags.formats import format_amount, format_date
from connect.lib.icons import icon

VE = '<abbr class="badge badge--ve" title="Procédure véhicule endommagé">VE</abbr>'
NEW_DOCUMENT = f'<span class="mark mark--new">{icon("document", "Nouveau document")}</span>'
NEW_MESSAGE = f'<span class="mark mark--new">{icon("message", "Nouveau message")}</span>'
HISTORY = '<span class="badge badge--history">Historique</span>'


@dataclass(frozen=True)
class Column:
    key: str  # the sort key in the URL (`?tri=`), and the cell's name in list_rows.ROW
    label: str
    fields: tuple[str, ...] = ()  # what the list's cell reads (loaded with `.only()`)
    sort: str | None = None  # model field sorted on
    html: Callable | None = None  # dossier → the cell's escaped content
    markup: str = "{value}"  # the cell's content around the value (row placeholders allowed)
    td_class: str = ""
    export: Callable | None = None  # dossier → the export cell (text, date, Decimal)
    export_label: str | None = None  # when the export's header differs from the list's
    by_reader: bool = False  # `html` also takes `firm=`: the reader is the firm's staff

    def header(self, firm: str) -> str:
        return self.label.format(firm=firm)

    def export_header(self, firm: str) -> str:
        return (self.export_label or self.label).format(firm=firm)


def _text(key: str, label: str, field: str, **options) -> Column:
    """A plain text field: escaped in the list, as is in the exports, sorted on itself."""

    def html(dossier) -> str:
        return escape(getattr(dossier, field))

    def value(dossier) -> str:
        return getattr(dossier, field)

    defaults = {"fields": (field,), "sort": field, "html": html, "export": value}
    return Column(key, label, **{**defaults, **options})


def _appointment_day(dossier):
    return timezone.localtime(dossier.appointment_at).date() if dossier.appointment_at else None


def marks(dossier) -> str:
    """The "Etat dossier" cell: new document, new message (annotated by `with_novelty`), history."""
    return (
        (NEW_DOCUMENT if getattr(dossier, "has_new_documents", False) else "")
        + (NEW_MESSAGE if getattr(dossier, "has_new_messages", False) else "")
        + (HISTORY if dossier.archived else "")
    )


# The guide's order, which is the list's and the exports'.
COLUMNS = (
    _text(
        "reference",
        "Référence {firm}",
        "reference",
        fields=("code", "reference"),
        markup='<a class="row-link" href="{url}" hx-boost="false">{value}</a>',
    ),
    _text(
        "immatriculation",
        "Immatriculation",
        "plate",
        sort="plate_key",
        markup='<span class="plate">{value}</span>',
    ),
    # A claim reference is one long "word" (9826945628/S17MPO): it may break to fit 1280 px.
    _text("sinistre", "Référence sinistre", "claim_reference", td_class="cell--break"),
    _text("vehicule", "Véhicule", "vehicle"),
    _text("assureur", "Assureur", "insurer"),
    _text("etat", "Etat", "status_label"),
    _text("assure", "Nom assuré", "insured_name"),
    Column(
        "rdv",
        "Date RDV",
        fields=("appointment_at",),
        sort="appointment_at",
        html=lambda dossier: format_date(dossier.appointment_at),
        export=_appointment_day,
    ),
    _text("choc", "Type choc", "impact"),
    Column(
        "montant",
        "Montant rép. HT",
        fields=("repair_amount",),
        sort="repair_amount",
        html=lambda dossier: format_amount(dossier.repair_amount),
        td_class="num",
        export=lambda dossier: dossier.repair_amount,
        export_label="Montant rép. HT (€)",
    ),
    Column(
        "vge",
        "VGE",
        fields=("ve_procedure",),
        sort="ve_procedure",
        html=lambda dossier: VE if dossier.ve_procedure else "",
        export=lambda dossier: "VE" if dossier.ve_procedure else "",
    ),
    Column(
        "marques",
        "Etat dossier",
        fields=("archived",),
        html=marks,
        td_class="dossier-row__marks",
    ),
    # Whose move it is (connect/deadlines); sorted by the due date, then the wait's start.
    Column(
        "main",
        "À qui la main",
        fields=BALL_FIELDS,
        sort="due_at",
        html=ball_cell,
        td_class="dossier-row__ball",
        by_reader=True,
    ),
    Column(
        "reception",
        "Date réception de mission",
        sort="mission_received_on",
        export=lambda dossier: dossier.mission_received_on,
    ),
    Column(
        "historique",
        "Historique",
        export=lambda dossier: "oui" if dossier.archived else "",
    ),
)

LIST_COLUMNS = tuple(column for column in COLUMNS if column.html)
EXPORT_COLUMNS = tuple(column for column in COLUMNS if column.export)
# Sort key in the URL → model field, and the fields that break its ties (before the id).
SORT_FIELDS = {column.key: column.sort for column in COLUMNS if column.sort}
SORT_THEN = {"main": ("waiting_since",)}
DEFAULT_SORT = "-reception"
# What a row of the page shows: loading only these halves the cost of building 50 model
# instances (the exports load the full rows); plus the default order's field.
ROW_FIELDS = tuple(
    dict.fromkeys(
        [field for column in LIST_COLUMNS for field in column.fields]
        + [SORT_FIELDS[DEFAULT_SORT.lstrip("-")]]
    )
)
