"""JPEG renditions of photos: a thumbnail for the list and a large preview for the lightbox.

Made once, off the request path (tasks.make_renditions), from the original in private storage,
upright according to the EXIF orientation. Browsers cannot show HEIC: the preview is what the
lightbox and the no-JS link display.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

THUMBNAIL_BOX = (320, 320)
PREVIEW_BOX = (1600, 1600)


def render_jpeg(image: Image.Image, box: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(box)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def make_renditions(document) -> tuple[str, str]:
    """Write both renditions of `document` and return their storage names."""
    with default_storage.open(document.file.name, "rb") as source, Image.open(source) as image:
        image.draft("RGB", PREVIEW_BOX)  # JPEG: decode at reduced scale, far less memory
        upright = ImageOps.exif_transpose(image).convert("RGB")
    base = f"renditions/{document.code}"
    thumbnail = overwrite(f"{base}-miniature.jpg", render_jpeg(upright, THUMBNAIL_BOX))
    preview = overwrite(f"{base}-apercu.jpg", render_jpeg(upright, PREVIEW_BOX))
    return thumbnail, preview


def overwrite(name: str, data: bytes) -> str:
    """Store under exactly `name`, replacing what a run cut short left there: a job run again
    after a crash writes the same files, not a second set under suffixed names."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def photo_as_pdf(file, *, name: str) -> ContentFile:
    """A photographed page (JPEG, PNG, WebP, HEIC) as a one-page PDF, upright, named
    `<name without extension>.pdf`: the firm files invoices as PDF, a repairer may only have
    the camera. Pillow writes the PDF; at 200 dpi an A4 photo prints at its size."""
    file.seek(0)
    with Image.open(file) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    buffer = io.BytesIO()
    upright.save(buffer, "PDF", resolution=200.0)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return ContentFile(buffer.getvalue(), name=f"{stem or 'facture'}.pdf")
