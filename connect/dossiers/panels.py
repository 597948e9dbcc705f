"""Which of the dossier page's panels have rows, known from the dossier's own query.

Most dossiers have no wait, exam, thread, invoice, checklist or supplement; each panel asking its
own table cost a query to say so, most of an ordinary dossier page's queries (bench/README.md,
"Figures behind the code"). The page reads the dossier with one `EXISTS` per panel
(`annotations`); a panel whose flag is False shows its empty state without a query. A dossier
read without the flags (the other pages) has none, and its panels query.
"""

from django.db.models import Exists, OuterRef

from connect.dossiers.models import Dossier

# Reverse relations of the dossier (related_name) whose rows a panel of the page shows.
PANELS = (
    "wait_periods",
    "threads",
    "exam_requests",
    "invoices",
    "checklist_requests",
    "supplements",
)


def annotations() -> dict:
    """`has_<panel>` for each panel, for `access_dossier(…, annotations=…)`."""
    flags = {}
    for name in PANELS:
        model = Dossier._meta.get_field(name).related_model
        flags[f"has_{name}"] = Exists(model.objects.filter(dossier=OuterRef("pk")))  # type: ignore[union-attr]
    return flags


def has_rows(dossier, panel: str) -> bool:
    """False only when the dossier was read with the flags and this panel has no row."""
    return getattr(dossier, f"has_{panel}", True)
