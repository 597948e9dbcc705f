"""The ZIP of a dossier's documents, streamed: nothing is built in memory or on disk.

Each entry reads its file from storage in chunks only when the stream reaches it, so memory
stays flat whatever the total size. Entries are stored (not deflated): photos and PDFs are
already compressed, and storing lets us announce the exact length up front.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.utils import timezone
from zipstream import ZIP_STORED, ZipStream

from connect.documents.models import Document

CHUNK = 256 * 1024
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
# Entry names are capped in UTF-8 bytes, not characters: file systems and unzip tools limit a
# name to 255 bytes, and a French or emoji name takes 2 to 4 bytes a character.
MAX_NAME_BYTES = 200


def fit(stem: str, suffix: str, limit: int = MAX_NAME_BYTES) -> str:
    """`stem + suffix` cut at a character boundary so that it holds in `limit` UTF-8 bytes."""
    room = limit - len(suffix.encode())
    stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip()
    return stem + suffix


def entry_name(document: Document) -> str:
    """`Rapport d'expertise - 2026-11-27 - rapport.pdf`: type, date, original name."""
    day = timezone.localtime(document.occurred_at).date().isoformat()
    original = document.original_name
    if PurePosixPath(original).suffix.lower() != f".{document.extension.lower()}":
        original = f"{original}.{document.extension.lower()}"
    name = f"{document.get_doc_type_display()} - {day} - {original}"
    name = unicodedata.normalize("NFC", " ".join(UNSAFE.sub("_", name).split()).lstrip(". "))
    if len(name.encode()) > MAX_NAME_BYTES:
        suffix = PurePosixPath(name).suffix[:10]
        name = fit(name[: -len(suffix) or None], suffix)
    return name or "document"


def unique_names(documents: Iterable[Document]) -> list[tuple[Document, str]]:
    """Every entry gets a distinct name (case-insensitively): `x.pdf`, `x (2).pdf`…"""
    taken: set[str] = set()
    named = []
    for document in documents:
        name = entry_name(document)
        stem, suffix = name[: -len(PurePosixPath(name).suffix) or None], PurePosixPath(name).suffix
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            candidate = fit(stem, f" ({number}){suffix}")
        taken.add(candidate.lower())
        named.append((document, candidate))
    return named


def read_chunks(storage_name: str) -> Iterator[bytes]:
    with default_storage.open(storage_name, "rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk


def dossier_zip(documents: Iterable[Document]) -> ZipStream:
    archive = ZipStream(compress_type=ZIP_STORED, sized=True)
    for document, name in unique_names(documents):
        archive.add(read_chunks(document.file.name or ""), name, size=document.size)
    return archive
