"""Uploads are hostile until proven otherwise (docs/security.md, promise 2).

The type is decided from the bytes, never from the name or the browser's content type; images
are fully decoded by Pillow (only the decoders we accept, under a pixel cap); PDFs must look like
whole PDFs. Anything else (SVG, HTML, archives, office files…) is refused. Then clamd scans the
bytes (connect/documents/scanning.py), failing closed. `check_upload` stores nothing: forms
call it to show a clear French message, `services.add_document` calls it again.
"""

import hashlib
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

from connect.documents.scanning import ScanRefused, scan

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
ACCEPTED_TEXT = "PDF, JPEG, PNG, WebP ou HEIC"
HEIF_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic",
    b"hevx": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
}
# Content type → (Pillow format name, stored extension).
IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
    "image/webp": ("WEBP", ".webp"),
    "image/heic": ("HEIF", ".heic"),
    "image/heif": ("HEIF", ".heif"),
}
# Names a file of each type may carry (or none at all).
EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "image/png": {".png"},
    "image/webp": {".webp"},
    "image/heic": {".heic", ".heif", ".hif"},
    "image/heif": {".heic", ".heif", ".hif"},
}
EXTENSION_LIKE = re.compile(r"^\.[a-z][a-z0-9]{1,4}$")
PDF_TAIL = 2048


class RejectedFile(ValidationError):
    """An upload we refuse; the message is French and can be shown to the user as is."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(file, *, name: str = "") -> CheckedFile:
    """Validate an uploaded file (Django File / UploadedFile) or raise RejectedFile."""
    label = display_name(name or getattr(file, "name", "") or "")
    size = file.size
    if not size:
        raise RejectedFile(f"Le fichier « {label} » est vide.", code="empty")
    if size > settings.MAX_UPLOAD_FILE_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)
        raise RejectedFile(
            f"Le fichier « {label} » dépasse la taille maximale de {limit}.", code="too_large"
        )
    file.seek(0)
    head = file.read(64)
    content_type = sniff(head)
    if content_type is None:
        raise RejectedFile(
            f"Le fichier « {label} » n'est pas d'un type accepté ({ACCEPTED_TEXT}).",
            code="type",
        )
    _check_extension(label, content_type)
    if content_type == "application/pdf":
        _check_pdf(file, size, label)
        extension = ".pdf"
    else:
        _check_image(file, content_type, label)
        extension = IMAGE_FORMATS[content_type][1]
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    checked = CheckedFile(content_type, extension, size, digest.hexdigest())
    _scan(file, checked, label)
    return checked


def _scan(file, checked: CheckedFile, label: str) -> None:
    try:
        scan(file, sha256=checked.sha256)
    except ScanRefused as refused:
        if refused.code == "infected":
            raise RejectedFile(
                f"Le fichier « {label} » contient un logiciel malveillant "
                f"({refused.detail}) : il a été refusé et n'est pas enregistré.",
                code="infected",
            ) from None
        logger.error("Malware scanner unavailable, upload refused: %s", refused.detail)
        raise RejectedFile(
            f"L'analyse antivirus du fichier « {label} » est momentanément impossible : "
            "rien n'a été enregistré. Réessayez plus tard.",
            code="scanner_unavailable",
        ) from None


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, among the accepted ones; None otherwise."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[:4], "big")
        brands = head[8 : min(box_size, len(head))]
        if b"avif" in brands or b"avis" in brands:
            return None  # AVIF shares the container but is not an accepted type
        return HEIF_BRANDS.get(head[8:12])
    return None


def _check_extension(label: str, content_type: str) -> None:
    """A name that claims another type than the bytes is a lying file: refused."""
    suffix = PurePosixPath(label).suffix.lower()
    if EXTENSION_LIKE.match(suffix) and suffix not in EXTENSIONS[content_type]:
        raise RejectedFile(
            f"Le contenu du fichier « {label} » ne correspond pas à son extension {suffix}.",
            code="extension",
        )


def _check_pdf(file, size: int, label: str) -> None:
    file.seek(max(0, size - PDF_TAIL))
    if b"%%EOF" not in file.read(PDF_TAIL):
        raise RejectedFile(
            f"Le PDF « {label} » est incomplet ou endommagé (fin de fichier absente).",
            code="pdf_truncated",
        )


def _check_image(file, content_type: str, label: str) -> None:
    pillow_format = IMAGE_FORMATS[content_type][0]
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[pillow_format]) as image:
                if image.width * image.height > settings.MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                if pillow_format == "JPEG":
                    # Decode every byte at 1/8 scale: proves the file whole, costs little memory.
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        megapixels = settings.MAX_IMAGE_PIXELS // 1_000_000
        raise RejectedFile(
            f"L'image « {label} » est trop grande (plus de {megapixels} millions de pixels).",
            code="too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many types on hostile input: any failure is a refusal
        raise RejectedFile(
            f"L'image « {label} » est illisible, incomplète ou endommagée.", code="image_broken"
        ) from None
    finally:
        file.seek(0)


def display_name(name: str, *, max_length: int = 180) -> str:
    """A user-supplied file name reduced to safe display text (never used as a path)."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix[:10]
        name = name[: max_length - len(suffix)].rstrip(" .") + suffix
    return name or "document"
