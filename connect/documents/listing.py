"""The documents block of the dossier page: filtered list, counters, type filter, seen state.

A fixed number of queries whatever the number of documents (asserted in tests).
"""

import uuid
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath

from django.db.models import Count, Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from connect.documents import services
from connect.documents.models import PHOTO_TYPES, Document, DocumentType, Origin
from connect.dossiers.models import DossierSeen
from connect.dossiers.novelty import mark_documents_seen

KINDS = {"photos": "Photos", "autres": "PDF et autres"}
TYPE_ORDER = {value: index for index, value in enumerate(DocumentType.values)}
TYPE_LABELS = dict(DocumentType.choices)
ORIGIN_LABELS = dict(Origin.choices)
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# The list reads plain rows (named tuples) of these columns, not model instances: building 200
# `Document` objects (descriptors, FieldFile wrappers) cost more than the query itself.
LIST_FIELDS = (
    *("id", "code", "doc_type", "title", "file", "original_name", "content_type", "size"),
    *("origin", "occurred_at", "replaces_id", "thumbnail"),
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


def render_items(dossier, documents, *, unseen_ids, replaced_ids) -> SafeString:
    """The `<li>` of each document (rows of `LIST_FIELDS`), newest first as given.

    Every variable value is escaped (stdlib `html.escape`, quotes included) before it is put
    into the constant templates above; the assembled pieces are then trusted as built here.
    The file URL is reversed once and the document code put in by string replacement, and the
    dates are converted with the current time zone fetched once (not `localtime()` per row).
    """
    file_url = reverse(
        "document_file", kwargs={"code": dossier.code, "document_code": uuid.UUID(PLACEHOLDER)}
    )
    pending = escape(static("img/document-pending.svg"))
    zone = timezone.get_current_timezone()
    items = []
    for document in documents:
        url = escape(file_url.replace(PLACEHOLDER, str(document.code)))
        moment = document.occurred_at.astimezone(zone)
        type_label = TYPE_LABELS.get(document.doc_type, document.doc_type)
        values = {
            "url": url,
            "label": escape(document.title or type_label),
            "name": escape(document.original_name),
            "date": moment.strftime("%d/%m/%Y"),
        }
        replaced = document.id in replaced_ids
        is_photo = document.content_type in PHOTO_TYPES
        if is_photo:
            ready = bool(document.thumbnail)
            visual = PHOTO.format(
                src=f"{url}miniature/" if ready else pending,
                pending="" if ready else " (miniature en préparation)",
                **values,
            )
            title = values["label"]
        else:
            extension = PurePosixPath(document.file).suffix.lstrip(".").upper()
            visual = OTHER.format(extension=escape(extension), **values)
            title = f'<a href="{url}" target="_blank" rel="noopener">{values["label"]}</a>'
        items.append(
            ITEM.format(
                classes=(" doc--photo" if is_photo else "")
                + (" doc--replaced" if replaced else ""),
                code=escape(str(document.code)),
                visual=visual,
                title=title,
                new=NEW_BADGE if document.id in unseen_ids else "",
                status=(REPLACED if replaced else "") + (REPLACES if document.replaces_id else ""),
                date_iso=moment.isoformat(),
                type=escape(type_label),
                origin=escape(ORIGIN_LABELS.get(document.origin, "")),
                size=file_size(document.size),
                **values,
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
    items_html: str = ""

    @property
    def shown(self) -> int:
        return len(self.documents)

    @property
    def others(self) -> int:
        return self.total - self.photos

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.doc_type)


def document_list(*, dossier, user, kind: str = "", doc_type: str = "") -> DocumentList:
    kind = kind if kind in KINDS else ""
    doc_type = doc_type if doc_type in TYPE_ORDER else ""
    all_documents = Document.objects.filter(dossier=dossier)
    per_type = list(
        all_documents.order_by()
        .values("doc_type")
        .annotate(count=Count("id"), photos=Count("id", filter=Q(content_type__in=PHOTO_TYPES)))
    )
    shown = all_documents.newest_first()
    if kind == "photos":
        shown = shown.photos()
    elif kind == "autres":
        shown = shown.others()
    if doc_type:
        shown = shown.filter(doc_type=doc_type)
    documents = list(shown.values_list(*LIST_FIELDS, named=True))
    result = DocumentList(
        documents=documents,
        total=sum(row["count"] for row in per_type),
        photos=sum(row["photos"] for row in per_type),
        kind=kind,
        doc_type=doc_type,
        types=sorted(
            (
                (row["doc_type"], TYPE_LABELS.get(row["doc_type"], row["doc_type"]))
                for row in per_type
            ),
            key=lambda pair: TYPE_ORDER.get(pair[0], len(TYPE_ORDER)),
        ),
        replaced_ids=set(
            all_documents.exclude(replaces=None).values_list("replaces_id", flat=True)
        ),
        unseen_ids=services.unseen_ids(
            user=user, dossier=dossier, document_ids=[document.id for document in documents]
        ),
    )
    result.items_html = render_items(
        dossier, documents, unseen_ids=result.unseen_ids, replaced_ids=result.replaced_ids
    )
    if result.unseen_ids:
        services.mark_seen(user=user, document_ids=result.unseen_ids)
    if not result.filtered and not _caught_up(user, dossier):
        mark_documents_seen(user, dossier)
    return result


def _caught_up(user, dossier) -> bool:
    """The user's seen date already covers the dossier's latest document: a read, not a write.

    Without it every view of the page would write (and commit) the same seen row again.
    """
    seen = DossierSeen.objects.filter(user=user, dossier=dossier, documents_seen_at__isnull=False)
    if dossier.last_document_at is not None:
        seen = seen.filter(documents_seen_at__gte=dossier.last_document_at)
    return seen.exists()
