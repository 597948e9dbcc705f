from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connect.documents import samples


def photo(name="avant-droit.jpg"):
    """A photo that passes the quality checks a "Photo" item applies (documents/quality.py)."""
    from connect.documents.tests import photos

    return SimpleUploadedFile(name, photos.good(), content_type="image/jpeg")


def pdf_file(name="facture-pieces.pdf"):
    return SimpleUploadedFile(name, samples.pdf("Facture pièces"), content_type="application/pdf")


def staff_url(dossier, thread=None):
    url = reverse("checklists:staff_checklist", kwargs={"code": dossier.code})
    return f"{url}?fil={thread.code}" if thread else url


def create_url(dossier):
    return reverse("checklists:request_create", kwargs={"code": dossier.code})


def answer_url(item):
    return reverse(
        "checklists:item_answer", kwargs={"code": item.request.dossier.code, "item_code": item.code}
    )


def receive_url(item):
    return reverse(
        "checklists:item_receive",
        kwargs={"code": item.request.dossier.code, "item_code": item.code},
    )


def ask_again_url(item):
    return reverse(
        "checklists:item_ask_again",
        kwargs={"code": item.request.dossier.code, "item_code": item.code},
    )
