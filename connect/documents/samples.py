"""Real sample files made in code, for the demo data, the tests and the benchmarks.

No network, no fixtures on disk: minimal valid multi-page PDFs written by hand, and photos made
with Pillow (JPEG with an EXIF orientation, PNG, WebP, HEIC).
"""

import io

from PIL import Image, ImageDraw

EXIF_ORIENTATION = 0x0112


def pdf(title: str, pages: int = 2, lines: tuple[str, ...] = ()) -> bytes:
    """A valid PDF of `pages` pages of Helvetica text (catalog, pages, fonts, xref, trailer)."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * index for index in range(pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for number in range(1, pages + 1):
        text = [title, f"Page {number} / {pages}", *lines]
        stream = "BT /F1 16 Tf 60 780 Td 22 TL " + " ".join(
            f"({_pdf_text(line)}) '" for line in text
        )
        stream_bytes = (stream + " ET").encode("cp1252", "replace")
        content_id = 4 + 2 * (number - 1) + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream_bytes)} >>\nstream\n".encode() + stream_bytes + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{index} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def picture(size=(640, 480), colour=(180, 40, 40), label: str = "") -> Image.Image:
    """A picture with a marked top-left corner, so that orientation can be checked."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(255, 255, 255))
    if label:
        draw.text((size[0] // 3, size[1] // 2), label, fill=(255, 255, 255))
    return image


def encode(image: Image.Image, fmt: str, *, orientation: int | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        options["exif"] = exif.tobytes()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(size=(640, 480), *, orientation: int | None = None, label: str = "", **options) -> bytes:
    return encode(picture(size, label=label), "JPEG", orientation=orientation, **options)


def png(size=(320, 240)) -> bytes:
    return encode(picture(size, (40, 120, 40)), "PNG")


def webp(size=(320, 240)) -> bytes:
    return encode(picture(size, (40, 40, 160)), "WEBP")


def heic(size=(320, 240)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return encode(picture(size, (120, 80, 20)), "HEIF", quality=60)
