"""The documents block of the dossier page: filtered list, counters, type filter, seen state.

A fixed number of queries whatever the number of documents (asserted in tests).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from connect.documents import services
from connect.documents.models import PHOTO_TYPES, Document, DocumentType
from connect.dossiers.novelty import mark_documents_seen

KINDS = {"photos": "Photos", "autres": "PDF et autres"}
TYPE_ORDER = {value: index for index, value in enumerate(DocumentType.values)}
TYPE_LABELS = dict(DocumentType.choices)


@dataclass
class DocumentList:
    documents: list[Document]
    total: int
    photos: int
    kind: str = ""
    doc_type: str = ""
    types: list[tuple[str, str]] = field(default_factory=list)
    replaced_ids: set[int] = field(default_factory=set)
    unseen_ids: set[int] = field(default_factory=set)

    @property
    def shown(self) -> int:
        return len(self.documents)

    @property
    def others(self) -> int:
        return self.total - self.photos

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.doc_type)

    @property
    def photo_documents(self) -> list[Document]:
        return [document for document in self.documents if document.is_photo]


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
    documents = list(shown)
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
        unseen_ids=services.unseen_ids(user=user, documents=documents),
    )
    unseen = [document for document in documents if document.pk in result.unseen_ids]
    if unseen:
        services.mark_seen(user=user, documents=unseen)
    if not result.filtered:
        mark_documents_seen(user, dossier)
    return result
