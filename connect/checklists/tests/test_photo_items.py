"""An item typed "Photo" takes photos only, through the guided capture's quality checks
(connect/documents/quality.py): a PDF or a nearly black photo is refused, nothing stored."""

import pytest

from connect.checklists.models import ItemStatus
from connect.checklists.services import ItemSpec, create_request
from connect.checklists.tests.helpers import answer_url, pdf_file
from connect.documents import quality
from connect.documents.models import Document, DocumentType
from connect.documents.tests import photos
from connect.testing import login_as


@pytest.fixture
def item(world):
    spec = ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO)
    return create_request(dossier=world.dossier_a, by=world.expert, items=[spec]).items.get()


def answer(client, world, item, upload, htmx=False):
    return login_as(client, world.repairer).post(
        answer_url(item),
        {"files": [upload], "note": ""},
        headers={"HX-Request": "true"} if htmx else {},
    )


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (pdf_file("avant-droit.pdf"), "« avant-droit.pdf » : cet élément attend une photo."),
        (photos.upload(photos.dark(), "nuit.jpg"), f"« nuit.jpg » : {quality.DARK}"),
        (photos.upload(photos.blurred(), "flou.jpg"), f"« flou.jpg » : {quality.BLURRED}"),
    ],
)
def test_a_photo_item_refuses_what_is_not_a_good_photo(client, world, item, upload, error):
    response = answer(client, world, item, upload, htmx=True)
    assert error in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED and not Document.objects.exists()


def test_a_photo_item_takes_a_good_photo_and_offers_the_camera(client, world, item):
    page = login_as(client, world.repairer).get(answer_url(item)).content.decode()
    assert 'accept="image/*"' in page and "Photos" in page
    assert answer(client, world, item, photos.upload(photos.good())).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED


def test_an_item_of_another_type_still_takes_a_pdf(client, world):
    spec = ItemSpec("Facture pièces", DocumentType.ACCESSORY_INVOICES)
    other = create_request(dossier=world.dossier_a, by=world.expert, items=[spec]).items.get()
    assert answer(client, world, other, pdf_file()).status_code == 302
