"""Rate cards for tests, saved the way the service saves them, and the form a repairer submits."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
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


def form_data(**overrides):
    data = {
        "effective_on": "2025-03-01",
        "tax_basis": "HT",
        "labour_t1": "62,50",
        "labour_t2": "68,00",
        "labour_t3": "74",
        "paint_labour": "66,00",
        "paint_opaque": "32,00",
        "paint_varnished": "38,50",
        "paint_pearl": "45,00",
        "mechanics": "",
        "electrics": "71,20",
        "small_supplies": "3",
        "parts_discount": "10,5",
        "forfaits-TOTAL_FORMS": "3",
        "forfaits-INITIAL_FORMS": "0",
        "forfaits-0-label": "Vidange",
        "forfaits-0-price": "89,90",
        "forfaits-1-label": "Géométrie",
        "forfaits-1-price": "1 250,00 €",
        "forfaits-2-label": "",
        "forfaits-2-price": "",
        "board_upload": board_upload(),
    }
    data.update(overrides)
    return data


def submit(client, garage, **overrides):
    url = reverse("tariffs:submit", kwargs={"garage_id": garage.pk})
    return client.post(url, form_data(**overrides))
