"""Document workflows: add a document, mark documents seen, sweep orphaned files.

Files and rows: the file is written to storage *before* the row commits (storage cannot join a
database transaction). If the atomic block fails, `add_document` deletes the file at once; a
caller wrapping its outermost transaction in `files_deleted_on_failure` (messaging's send) has
them deleted when that transaction fails, its COMMIT included. Otherwise, if an *outer*
transaction of the caller rolls back later, the file is left without a row: the
`sweep_orphan_files` job (management command `sweep_document_files`) deletes files under
`documents/` and `renditions/` that no row references once they are older than a grace period.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from connect.documents.models import NOVELTY_ORIGINS, PHOTO_TYPES, Document, DocumentSeen
from connect.documents.provenance import Provenance, exif_taken_at
from connect.documents.seal import seal_document
from connect.documents.tasks import make_document_renditions
from connect.documents.validation import check_upload, display_name
from connect.dossiers.models import Dossier
from connect.dossiers.novelty import mark_documents_seen
from connect.dossiers.touch import touch_dossiers

FILE_PREFIXES = ("documents/", "renditions/")


# The names stored under the outermost `files_deleted_on_failure` block still open.
_outermost: ContextVar[list[str] | None] = ContextVar("files_stored", default=None)


@contextmanager
def files_deleted_on_failure() -> Iterator[list[str]]:
    """Storage cannot join the transaction: files written before a failure are deleted.
    Yields the list the caller appends each stored name to. Nested, a block that succeeds
    inside a transaction hands its names to the outermost one, which deletes them all if
    anything fails up to its end: around the outermost atomic block, a refused COMMIT too."""
    outer = _outermost.get()
    stored: list[str] = []
    token = _outermost.set(stored) if outer is None else None
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    else:
        # Still inside a transaction: these files stand or fall with its commit.
        if outer is not None and transaction.get_connection().in_atomic_block:
            outer.extend(stored)
    finally:
        if token is not None:
            _outermost.reset(token)


def add_document(
    *,
    dossier: Dossier,
    file,
    doc_type: str,
    title: str = "",
    origin: str,
    author=None,
    replaces: Document | None = None,
    occurred_at: datetime | None = None,
    provenance: Provenance | None = None,
) -> Document:
    """Validate, store and record a document; raises validation.RejectedFile on bad bytes.
    A photo keeps its EXIF capture time and, from the guided capture, its `provenance`."""
    original_name = display_name(getattr(file, "name", "") or "")
    checked = check_upload(file, name=original_name)
    facts = (provenance or Provenance()).fields()
    if checked.content_type in PHOTO_TYPES:
        facts["exif_taken_at"] = exif_taken_at(file)
    now = timezone.now()
    storage_name = default_storage.save(
        f"documents/{now:%Y/%m}/{dossier.code}/{uuid.uuid4()}{checked.extension}",
        file,
    )
    try:
        with transaction.atomic():
            document = Document.objects.create(
                dossier=dossier,
                doc_type=doc_type,
                title=title.strip()[:200],
                file=storage_name,
                original_name=original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                origin=origin,
                author=author,
                replaces=replaces,
                occurred_at=occurred_at or now,
                **facts,
            )
            # The portal's seal over its own facts, in this transaction (seal.py says why).
            seal_document(document, dossier_reference=dossier.reference)
            if origin in NOVELTY_ORIGINS:
                Dossier.objects.filter(pk=dossier.pk).update(last_document_at=now)
                dossier.last_document_at = now
            # Any document may start or end a wait (EAD material sent, assessed).
            touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
            if document.is_photo:
                make_document_renditions.enqueue(document.pk)
    except BaseException:
        default_storage.delete(storage_name)
        raise
    return document


def mark_seen(*, user, documents=(), document_ids=()) -> None:
    """`user` has been shown `documents` (a file, or the list), or the documents of these ids:
    one row per document, in one INSERT that skips the rows already there."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    ids = {document.pk for document in documents}.union(document_ids)
    DocumentSeen.objects.bulk_create(
        [DocumentSeen(user=user, document_id=pk, seen_at=now) for pk in ids],
        ignore_conflicts=True,
    )


def mark_listed_seen(*, user, dossier, listed) -> None:
    """`user` was shown the documents block `listed` (a `listing.DocumentList`): its unseen
    documents become seen and, when the list was not filtered, so does the dossier's documents
    novelty (only if the user's seen row does not already cover it: a repeat view writes nothing).
    """
    if listed.unseen_ids:
        mark_seen(user=user, document_ids=listed.unseen_ids)
    if not listed.is_filtered and not listed.caught_up:
        mark_documents_seen(user, dossier)


def sweep_orphan_files(*, older_than: timedelta = timedelta(hours=6)) -> list[str]:
    """Delete stored files no row references (second line behind add_document's cleanup)."""
    cutoff = timezone.now() - older_than
    deleted = []
    for prefix in FILE_PREFIXES:
        for name in _walk(prefix.rstrip("/")):
            if default_storage.get_modified_time(name) > cutoff:
                continue
            if _referenced(name):
                continue
            default_storage.delete(name)
            deleted.append(name)
    return deleted


def _referenced(name: str) -> bool:
    if name.startswith("renditions/"):
        return (
            Document.objects.filter(thumbnail=name).exists()
            or Document.objects.filter(preview=name).exists()
        )
    return Document.objects.filter(file=name).exists()


def _walk(directory: str):
    # listdir, not exists(): an object store has no folders (S3 lists an absent prefix as empty).
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for filename in files:
        yield f"{directory}/{filename}"
    for folder in folders:
        yield from _walk(f"{directory}/{folder}")


@transaction.atomic
def release_to_insured(*, document: Document, released: bool) -> bool:
    """Release the document to the insured ("visible par l'assuré") or withdraw it; True when
    that changed. The insured reads it at their next page (connect/insured/access.py)."""
    changed = Document.objects.filter(pk=document.pk).exclude(released_to_insured=released)
    if not changed.update(released_to_insured=released):
        return False
    document.released_to_insured = released
    return True
