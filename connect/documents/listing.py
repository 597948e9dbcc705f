"""The documents block of the dossier page: filtered list, counters, type filter, seen state.

A fixed number of queries whatever the number of documents (asserted in tests): one read of the
dossier's documents with the user's seen state. Reading writes nothing: the page then calls
`services.mark_listed_seen`, which writes only for what was not seen yet.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import PurePosixPath

from django.db.models import Exists, OuterRef
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from connect.documents import provenance
from connect.documents.models import PHOTO_TYPES, Document, DocumentSeen, DocumentType, Origin
from connect.dossiers.models import DossierSeen

KINDS = {"photos": "Photos", "autres": "PDF et autres"}
TYPE_ORDER = {value: index for index, value in enumerate(DocumentType.values)}
TYPE_LABELS = dict(DocumentType.choices)
ORIGIN_LABELS = dict(Origin.choices)
TYPE_LABELS_HTML = {value: escape(label) for value, label in TYPE_LABELS.items()}
ORIGIN_LABELS_HTML = {value: escape(label) for value, label in ORIGIN_LABELS.items()}
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# The list reads plain rows (named tuples) of these columns, not model instances: building 200
# `Document` objects (descriptors, FieldFile wrappers) cost more than the query itself.
LIST_FIELDS = (
    *("id", "code", "doc_type", "title", "file", "original_name", "content_type", "size"),
    *("origin", "occurred_at", "replaces_id", "thumbnail"),
    # Provenance (provenance.summary/details read these off the row).
    *("created_at", "sha256", "shot", "shot_label", "captured_at", "exif_taken_at"),
    *("latitude", "longitude", "sha256_capture", "confirmed_plate"),
    *("seal_key_id", "seal_signature"),
)


# One document of the list, rendered with str.format of escaped values rather than a template
# loop: with 200 documents the template engine's per-variable cost (~30 lookups per document),
# then format_html's lazy wrappers, dominated the page (bench/dossier_page.py).
ITEM = (
    '<li class="doc{classes}">'
    '<input type="checkbox" class="doc__select" name="document" value="{code}" '
    'aria-label="Sélectionner {label} ({name})">{visual}'
    '<div class="doc__meta"><p class="doc__title">{title}{new}</p>{status}'
    '<p class="doc__details"><time datetime="{date_iso}">{date}</time> · {type} · {origin}</p>'
    "{provenance}"
    '<p class="doc__name">{name} · {size} · <a href="{url}?telecharger=1">Télécharger'
    '<span class="visually-hidden"> {name}</span></a></p></div></li>'
)
PHOTO = (
    '<a class="doc__thumb" href="{url}apercu/" data-lightbox data-original="{url}" '
    'data-caption="{label} · {date} · {name}"><img src="{src}" alt="{label} du {date}{pending}" '
    'width="160" height="120" loading="lazy"></a>'
)
OTHER = (
    '<a class="doc__icon" href="{url}" target="_blank" rel="noopener" '
    'aria-label="Ouvrir {label} ({name}) dans un nouvel onglet">'
    '<span aria-hidden="true">{extension}</span></a>'
)
NEW_BADGE = ' <span class="badge badge--new">Nouveau</span>'
REPLACED = '<p class="badge badge--replaced">Annulé et remplacé</p>'
REPLACES = '<p class="doc__replaces">Annule et remplace une version précédente</p>'
PROVENANCE = '<p class="doc__provenance" data-provenance>{summary}</p>{warning}{warnings}{details}'
PLATE_WARNING = '<p class="doc__plate-warning" data-plate-warning>{text}</p>'
WARNINGS = '<ul class="doc__provenance-warnings" data-provenance-warnings>{lines}</ul>'
# Whose word each fact is: the portal's own (hash and time on arrival) apart from the phone's.
SIDE = (
    '<p class="doc__provenance-side">{title}</p>'
    '<ul class="doc__provenance-details" data-{key}-facts>{lines}</ul>'
)
SERVER_SIDE = "Constaté par le portail"
DEVICE_SIDE = "Déclaré par le téléphone (non vérifiable par le portail)"


def provenance_sides(server: list[str], device: list[str]) -> str:
    """The two lists, each under its heading (documents/_provenance.html says the same)."""
    html = SIDE.format(
        title=SERVER_SIDE, key="server", lines="".join(f"<li>{escape(x)}</li>" for x in server)
    )
    if device:
        lines = "".join(f"<li>{escape(x)}</li>" for x in device)
        html += SIDE.format(title=DEVICE_SIDE, key="device", lines=lines)
    return html


def provenance_html(document, *, mission_on: date | None, dossier_plate: str = "") -> str:
    """The expert's evidence line of a captured photo, a plate read on it that is not the
    dossier's, what to check, the facts kept ("" for any other document);
    documents/_provenance.html says the same on the other pages."""
    summary = provenance.summary(document)
    if not summary:
        return ""
    flags = provenance.warnings(document, mission_on=mission_on)
    checks = "".join(f"<li>À vérifier : {escape(flag)}</li>" for flag in flags)
    details = provenance_sides(provenance.server_facts(document), provenance.device_facts(document))
    warnings = WARNINGS.format(lines=checks) if checks else ""
    text = provenance.plate_warning(document, dossier_plate)
    warning = PLATE_WARNING.format(text=escape(text)) if text else ""
    return PROVENANCE.format(
        summary=escape(summary), warning=warning, warnings=warnings, details=details
    )


def render_items(dossier, documents, *, unseen_ids, replaced_ids) -> SafeString:
    """The `<li>` of each document (rows of `LIST_FIELDS`), newest first as given.

    Every free-text value (title, original name, file extension) is escaped with the stdlib
    `html.escape` (quotes included) before it is put into the constant templates above; labels
    are escaped once at import, the URL once per page (the code inside is a UUID's hex digits),
    and dates are formatted here: the assembled pieces are then trusted as built here.
    The file URL is reversed once and the document code put in by string replacement, and the
    dates are converted with the current time zone fetched once (not `localtime()` per row).
    """
    file_url = escape(
        reverse(
            "document_file", kwargs={"code": dossier.code, "document_code": uuid.UUID(PLACEHOLDER)}
        )
    )
    pending = escape(static("img/document-pending.svg"))
    zone = timezone.get_current_timezone()
    items = []
    for document in documents:
        code = str(document.code)
        url = file_url.replace(PLACEHOLDER, code)
        moment = document.occurred_at.astimezone(zone)
        type_label = TYPE_LABELS_HTML.get(document.doc_type) or escape(document.doc_type)
        label = escape(document.title) if document.title else type_label
        name = escape(document.original_name)
        date = moment.strftime("%d/%m/%Y")
        replaced = document.id in replaced_ids
        if document.content_type in PHOTO_TYPES:
            classes = " doc--photo doc--replaced" if replaced else " doc--photo"
            visual = PHOTO.format(
                url=url,
                label=label,
                name=name,
                date=date,
                src=f"{url}miniature/" if document.thumbnail else pending,
                pending="" if document.thumbnail else " (miniature en préparation)",
            )
            title = label
        else:
            classes = " doc--replaced" if replaced else ""
            extension = PurePosixPath(document.file).suffix.lstrip(".").upper()
            visual = OTHER.format(url=url, label=label, name=name, extension=escape(extension))
            title = f'<a href="{url}" target="_blank" rel="noopener">{label}</a>'
        items.append(
            ITEM.format(
                classes=classes,
                code=code,
                label=label,
                name=name,
                url=url,
                visual=visual,
                title=title,
                new=NEW_BADGE if document.id in unseen_ids else "",
                status=(REPLACED if replaced else "") + (REPLACES if document.replaces_id else ""),
                date_iso=moment.isoformat(),
                date=date,
                type=type_label,
                origin=ORIGIN_LABELS_HTML.get(document.origin, ""),
                size=file_size(document.size),
                provenance=provenance_html(
                    document, mission_on=dossier.mission_received_on, dossier_plate=dossier.plate
                )
                if document.content_type in PHOTO_TYPES
                else "",
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value escaped above


def file_size(size: int) -> str:
    """`820 o`, `12 Ko`, `3,4 Mo`: French units, one decimal from a megabyte."""
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{size // 1024} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


@dataclass
class DocumentList:
    documents: list  # rows of LIST_FIELDS (named tuples)
    total: int
    photos: int
    kind: str = ""
    doc_type: str = ""
    types: list[tuple[str, str]] = field(default_factory=list)
    replaced_ids: set[int] = field(default_factory=set)
    unseen_ids: set[int] = field(default_factory=set)
    caught_up: bool = False  # the user's seen row already covers the dossier's latest document
    items_html: str = ""

    @property
    def shown(self) -> int:
        return len(self.documents)

    @property
    def others(self) -> int:
        return self.total - self.photos

    @property
    def is_filtered(self) -> bool:
        return bool(self.kind or self.doc_type)


def document_list(*, dossier, user, kind: str = "", doc_type: str = "") -> DocumentList:
    """One query reads every document of the dossier with the user's seen flag; counters, the
    type filter's choices and the replaced reports come from those rows, and the kind/type
    filters are applied to them in Python (a dossier holds hundreds of documents at most)."""
    kind = kind if kind in KINDS else ""
    doc_type = doc_type if doc_type in TYPE_ORDER else ""
    seen = DocumentSeen.objects.filter(user_id=user.pk, document_id=OuterRef("pk"))
    rows = list(
        Document.objects.filter(dossier=dossier)
        .newest_first()
        .annotate(seen=Exists(seen), caught_up=Exists(_caught_up_row(user, dossier)))
        .values_list(*LIST_FIELDS, "seen", "caught_up", named=True)
    )
    documents = [row for row in rows if _shown(row, kind, doc_type)]
    present_types = {row.doc_type for row in rows}
    result = DocumentList(
        documents=documents,
        total=len(rows),
        photos=sum(1 for row in rows if row.content_type in PHOTO_TYPES),
        kind=kind,
        doc_type=doc_type,
        types=[
            (value, TYPE_LABELS.get(value, value))
            for value in sorted(
                present_types, key=lambda value: TYPE_ORDER.get(value, len(TYPE_ORDER))
            )
        ],
        replaced_ids={row.replaces_id for row in rows if row.replaces_id is not None},
        unseen_ids={row.id for row in documents if not row.seen},
    )
    result.items_html = render_items(
        dossier, documents, unseen_ids=result.unseen_ids, replaced_ids=result.replaced_ids
    )
    result.caught_up = rows[0].caught_up if rows else _caught_up_row(user, dossier).exists()
    return result


def _shown(row, kind: str, doc_type: str) -> bool:
    """The list's filters, on a row (the same rules as `DocumentQuerySet.photos()/others()`)."""
    if kind and (row.content_type in PHOTO_TYPES) != (kind == "photos"):
        return False
    return not doc_type or row.doc_type == doc_type


def _caught_up_row(user, dossier):
    """The user's seen row when its date already covers the dossier's latest document.

    Read with the documents (the same flag on every row, evaluated once by the database) so that
    a repeat view neither writes (and commits) the same seen row again nor pays a query for it.
    """
    seen = DossierSeen.objects.filter(user=user, dossier=dossier, documents_seen_at__isnull=False)
    if dossier.last_document_at is not None:
        seen = seen.filter(documents_seen_at__gte=dossier.last_document_at)
    return seen
