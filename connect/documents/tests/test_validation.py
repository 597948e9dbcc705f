import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connect.documents import samples
from connect.documents.validation import RejectedFile, check_upload, display_name


def check(data: bytes, name: str):
    return check_upload(SimpleUploadedFile(name, data, content_type="image/jpeg"))


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (samples.pdf("Rapport", pages=3), "rapport.pdf", "application/pdf"),
        (samples.jpeg(), "photo.JPG", "image/jpeg"),
        (samples.png(), "capture.png", "image/png"),
        (samples.webp(), "photo.webp", "image/webp"),
        (samples.heic(), "IMG_0001.HEIC", "image/heic"),
        (samples.jpeg(), "sans extension", "image/jpeg"),
    ],
)
def test_it_accepts_the_allowed_types_from_their_bytes(data, name, content_type, settings):
    checked = check(data, name)
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def huge_png(width: int, height: int) -> bytes:
    """A PNG whose header announces width × height pixels: a few bytes on disk."""
    data = bytearray(samples.encode(samples.picture((8, 8)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize("side", [8_000, 60_000])  # just past the cap, and a real bomb
def test_it_refuses_an_image_past_the_pixel_cap(side, settings):
    settings.MAX_IMAGE_PIXELS = 50_000_000
    with pytest.raises(RejectedFile, match="trop grande"):
        check(huge_png(side, side), "bombe.png")


def test_it_refuses_a_truncated_jpeg():
    data = samples.jpeg((800, 600))
    with pytest.raises(RejectedFile, match="incomplète"):
        check(data[: len(data) // 2], "coupee.jpg")


def test_it_refuses_a_truncated_pdf():
    with pytest.raises(RejectedFile, match="incomplet"):
        check(samples.pdf("x")[:-200], "rapport.pdf")


def test_it_refuses_a_pdf_renamed_jpg():
    with pytest.raises(RejectedFile, match="ne correspond pas"):
        check(samples.pdf("Rapport"), "photo.jpg")


def test_it_refuses_a_photo_renamed_html():
    with pytest.raises(RejectedFile, match="ne correspond pas"):
        check(samples.jpeg(), "page.html")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
        (b"<!doctype html><script>alert(1)</script>", "photo.jpg"),
        (b"PK\x03\x04" + b"\x00" * 100, "devis.docx"),
        (b"PK\x03\x04" + b"\x00" * 100, "archive.zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "macro.doc"),
        (b"GIF89a" + b"\x00" * 100, "anim.gif"),
    ],
)
def test_it_refuses_other_types_whatever_their_name(data, name):
    with pytest.raises(RejectedFile, match="pas d'un type accepté"):
        check(data, name)


def test_it_refuses_polyglots_that_only_look_like_an_accepted_type():
    png_header_then_html = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    with pytest.raises(RejectedFile, match="illisible"):
        check(png_header_then_html, "image.png")
    html_with_pdf_magic_inside = b"<html>%PDF-1.4 <script>alert(1)</script> %%EOF</html>"
    with pytest.raises(RejectedFile, match="pas d'un type accepté"):
        check(html_with_pdf_magic_inside, "doc.pdf")


def test_it_refuses_an_empty_or_too_large_file(settings):
    with pytest.raises(RejectedFile, match="vide"):
        check(b"", "vide.pdf")
    settings.MAX_UPLOAD_FILE_BYTES = 1000
    with pytest.raises(RejectedFile, match="taille maximale"):
        check(samples.jpeg((400, 400)), "grande.jpg")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\moi\\photo.jpg", "photo.jpg"),
        ('rapport "final"\r\n.pdf', 'rapport "final" .pdf'),
        ("\x00\u202eexe.pdf", "exe.pdf"),
        ("", "document"),
        ("Expertisé à l'arrière.pdf", "Expertisé à l'arrière.pdf"),
    ],
)
def test_display_names_are_plain_text(raw, expected):
    assert display_name(raw) == expected


def test_display_names_are_capped_and_keep_their_extension():
    name = display_name("é" * 300 + ".pdf")
    assert len(name) == 180 and name.endswith(".pdf")
