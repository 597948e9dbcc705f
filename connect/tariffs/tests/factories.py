"""Rate cards for tests, saved the way the service saves them."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from connect.documents.validation import check_upload
from connect.tariffs import services
from connect.tariffs.demo import BASE


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def board_upload(content=None, name="panneau.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, "image/png")


# The demo's card (one set of plausible rates), dated and without mechanics labour.
VALUES = {**BASE, "effective_on": date(2024, 1, 1), "mechanics": None}


def make_rate_card(garage, user=None, flat_rates=(), **values):
    board = board_upload()
    return services.submit_rate_card(
        garage=garage,
        user=user,
        values={**VALUES, **values},
        flat_rates=list(flat_rates),
        board=board,
        checked_board=check_upload(board),
    )
