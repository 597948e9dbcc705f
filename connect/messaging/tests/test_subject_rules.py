"""Every subject of the guide's table × each of its rules, through the composer."""

import pytest

from connect.api.models import Event
from connect.documents.models import Document, DocumentType
from connect.messaging.models import ExamRequest, Message, Thread
from connect.messaging.services import visit_dates
from connect.messaging.subjects import SUBJECTS, Need
from connect.messaging.tests.helpers import (
    a_file,
    compose_url,
    pdf_file,
    photo,
    post_new,
    required_shots,
    valid,
)

MESSAGE_REQUIRED = [s for s in SUBJECTS if s.message == Need.REQUIRED]
MESSAGE_OPTIONAL = [s for s in SUBJECTS if s.message == Need.OPTIONAL]
MESSAGE_ABSENT = [s for s in SUBJECTS if s.message == Need.ABSENT]
DOCUMENTS_REQUIRED = [s for s in SUBJECTS if s.documents == Need.REQUIRED]
DOCUMENTS_OPTIONAL = [s for s in SUBJECTS if s.documents == Need.OPTIONAL]
MANUAL = [s for s in SUBJECTS if not s.automatic]
PDF_REFUSED = [s for s in SUBJECTS if not s.accepts_pdf]
PHOTO_REFUSED = [s for s in SUBJECTS if not s.accepts_photos]


def ids(subject):
    return subject.key


def nothing_stored():
    return not (Thread.objects.exists() or Message.objects.exists() or Document.objects.exists())


def send(client, dossier, subject, data):
    data = dict(data)
    return post_new(client, dossier, subject.key, body=data.pop("body", ""), **data)


@pytest.mark.parametrize("subject", SUBJECTS, ids=ids)
def test_the_smallest_valid_submission_opens_a_thread(as_repairer, dossier, subject):
    response = send(as_repairer, dossier, subject, valid(subject, dossier))
    assert response.status_code == 302, response.content.decode()
    thread = Thread.objects.get()
    assert thread.subject == subject.key and thread.requester == "repairer"
    assert response["Location"].endswith(f"/messages/{thread.code}/")


@pytest.mark.parametrize("subject", MESSAGE_REQUIRED, ids=ids)
def test_a_required_message_cannot_be_left_empty(as_repairer, dossier, subject):
    response = send(as_repairer, dossier, subject, valid(subject, dossier, body=False))
    assert response.status_code == 400
    assert "Écrivez votre message." in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("subject", MESSAGE_OPTIONAL, ids=ids)
def test_an_optional_message_may_be_left_empty(as_repairer, dossier, subject):
    response = send(as_repairer, dossier, subject, valid(subject, dossier, body=False))
    assert response.status_code == 302
    assert Message.objects.get().body == ""


@pytest.mark.parametrize("subject", MESSAGE_ABSENT, ids=ids)
def test_a_subject_without_message_has_no_field_and_refuses_one(as_repairer, dossier, subject):
    page = as_repairer.get(f"/dossiers/{dossier.code}/messages/nouveau/?objet={subject.key}")
    assert 'name="body"' not in page.content.decode()
    data = {**valid(subject, dossier), "body": "Un message en trop"}
    response = send(as_repairer, dossier, subject, data)
    assert response.status_code == 400
    assert "n&#x27;accepte pas de message" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("subject", DOCUMENTS_REQUIRED, ids=ids)
def test_required_documents_must_be_attached(as_repairer, dossier, subject):
    response = send(as_repairer, dossier, subject, valid(subject, dossier, files=False))
    assert response.status_code == 400
    # A subject with a guided capture names the required shots instead.
    expected = (
        "Photos obligatoires manquantes"
        if required_shots(subject.key, dossier)
        else ("Joignez au moins un document")
    )
    assert expected in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("subject", DOCUMENTS_OPTIONAL, ids=ids)
def test_optional_documents_may_be_left_out(as_repairer, dossier, subject):
    assert send(as_repairer, dossier, subject, valid(subject, dossier)).status_code == 302
    assert not Document.objects.exists()


@pytest.mark.parametrize("subject", MANUAL, ids=ids)
def test_each_type_of_a_manual_subject_is_accepted_and_kept(as_repairer, dossier, subject):
    files = [a_file(subject) for _ in subject.manual_types]
    data = {**valid(subject, dossier), "files": files, "types": list(subject.manual_types)}
    assert send(as_repairer, dossier, subject, data).status_code == 302
    stored = Message.objects.get().documents.order_by("id")
    assert [d.doc_type for d in stored] == list(subject.manual_types)


@pytest.mark.parametrize("subject", MANUAL, ids=ids)
def test_a_type_outside_the_subjects_list_is_refused(as_repairer, dossier, subject):
    outsider = next(t for t in DocumentType.values if t not in subject.manual_types)
    data = {**valid(subject, dossier), "files": [a_file(subject), a_file(subject)]}
    data["types"] = [subject.manual_types[0], outsider]
    response = send(as_repairer, dossier, subject, data)
    assert response.status_code == 400
    assert "Choisissez le type de" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("subject", PDF_REFUSED, ids=ids)
def test_a_pdf_is_refused_where_only_photos_are_accepted(as_repairer, dossier, subject):
    data = {**valid(subject, dossier), "files": [photo(), pdf_file("devis.pdf")]}
    response = send(as_repairer, dossier, subject, data)
    assert response.status_code == 400
    assert "photos uniquement" in response.content.decode()
    assert nothing_stored()


def test_every_subject_takes_photos_or_converts_them(as_repairer, dossier):
    assert PHOTO_REFUSED == [] or all(s.photos_as_pdf for s in PHOTO_REFUSED)


def test_a_photographed_invoice_is_filed_as_a_one_page_pdf(as_repairer, dossier):
    from io import BytesIO

    from connect.documents.samples import jpeg

    upload = photo("facture-papier.jpg")
    upload.file = BytesIO(jpeg((600, 800), orientation=6, label="Facture"))
    upload.size = len(upload.file.getvalue())
    response = post_new(as_repairer, dossier, "facture", files=[upload])
    assert response.status_code == 302
    (document,) = Document.objects.all()
    assert (document.content_type, document.original_name) == (
        "application/pdf",
        "facture-papier.pdf",
    )
    assert document.doc_type == DocumentType.REPAIR_INVOICE
    data = document.file.read()
    assert data.startswith(b"%PDF")
    # Upright: stored 600 x 800 with EXIF orientation 6, the picture is 800 x 600 (at 200 dpi).
    import re

    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box is not None and [float(v) for v in box.groups()] == [288.0, 216.0]


def test_the_invoice_is_typed_automatically_and_the_dossier_shows_it_was_sent(as_repairer, dossier):
    response = post_new(as_repairer, dossier, "facture", files=[pdf_file("F-2026-001.pdf")])
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.doc_type == DocumentType.REPAIR_INVOICE
    # The message, then the invoice it starts (connect/invoices)
    assert list(Event.objects.order_by("id").values_list("kind", flat=True)) == [
        "invoice.sent",
        "invoice.received",
    ]
    page = as_repairer.get(f"/dossiers/{dossier.code}/messages/").content.decode()
    assert "Facture transmise le" in page


def test_methodology_types_photos_and_pdfs_from_their_bytes(as_repairer, dossier):
    files = [photo("choc.jpg"), pdf_file("supplement.pdf")]
    response = post_new(
        as_repairer,
        dossier,
        "methodologie",
        body="Complément",
        files=files,
        supplement_amount="120",
    )
    assert response.status_code == 302
    types = {d.original_name: d.doc_type for d in Document.objects.all()}
    assert types == {
        "choc.jpg": DocumentType.EXTRA_DAMAGE,
        "supplement.pdf": DocumentType.REPAIRER_SUPPLEMENT,
    }


def test_esd_photos_are_typed_as_photos(as_repairer, dossier):
    shots = required_shots("esd", dossier)
    response = post_new(as_repairer, dossier, "esd", files=[photo("autre.jpg")], **shots)
    assert response.status_code == 302
    assert set(Document.objects.values_list("doc_type", flat=True)) == {DocumentType.PHOTO}


def test_a_file_whose_bytes_are_not_accepted_is_refused_with_its_name(as_repairer, dossier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("devis.pdf", b"<html><script>alert(1)</script></html>")
    response = post_new(as_repairer, dossier, "divers", body="x", files=[fake], types=["autres"])
    assert response.status_code == 400
    assert "« devis.pdf »" in response.content.decode()
    assert nothing_stored()


def test_the_per_message_limit_is_announced_and_enforced(as_repairer, dossier, settings):
    settings.MAX_UPLOAD_MESSAGE_BYTES = len(pdf_file().read()) + 10
    page = as_repairer.get(f"/dossiers/{dossier.code}/messages/nouveau/?objet=divers")
    assert "maximum par message" in page.content.decode()
    response = post_new(
        as_repairer,
        dossier,
        "divers",
        body="x",
        files=[pdf_file(), pdf_file("b.pdf")],
        types=["autres"],
    )
    assert response.status_code == 400
    assert "par message" in response.content.decode()
    assert nothing_stored()


def test_the_per_file_limit_is_enforced(as_repairer, dossier, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 100
    response = post_new(as_repairer, dossier, "divers", body="x", files=[photo()], types=["autres"])
    assert response.status_code == 400
    assert "dépasse la taille maximale" in response.content.decode()
    assert nothing_stored()


def test_without_javascript_one_type_applies_to_every_file(as_repairer, dossier):
    files = [pdf_file("a.pdf"), pdf_file("b.pdf")]
    response = post_new(as_repairer, dossier, "expert", body="x", files=files, types=["devis"])
    assert response.status_code == 302
    assert list(Document.objects.values_list("doc_type", flat=True)) == ["devis", "devis"]


def test_each_repairer_message_reaches_the_core_system_with_its_documents(as_repairer, dossier):
    post_new(as_repairer, dossier, "expert", body="Bonjour", files=[pdf_file()], types=["devis"])
    event = Event.objects.get()
    assert event.kind == "message.created"
    assert event.payload["subject"] == "expert" and event.payload["body"] == "Bonjour"
    assert event.document_codes == [str(Document.objects.get().code)]
    assert event.dossier == dossier


def test_an_exam_request_is_recorded_for_the_core_system(as_repairer, dossier):
    day = visit_dates(dossier.garage)[1]
    post_new(
        as_repairer, dossier, "expertise-terrain", reason="Choc", requested_date=day.isoformat()
    )
    exam = ExamRequest.objects.get()
    assert (exam.kind, exam.requested_date, exam.reason) == ("field", day, "Choc")
    event = Event.objects.get()
    assert event.kind == "exam.requested"
    assert event.payload["exam"]["requested_date"] == day.isoformat()


def test_a_refused_subject_says_so_before_the_user_types(as_repairer, dossier):
    from django.utils.html import escape

    from connect.messaging.subjects import EAD_FIRST, ESD_NOT_FOR_APPROVED

    dossier.approved_repairer_mission = True
    dossier.remote_assessment = dossier.awaiting_ead = True
    dossier.save(update_fields=["approved_repairer_mission", "remote_assessment", "awaiting_ead"])
    for key, message in (("esd", ESD_NOT_FOR_APPROVED), ("expertise-terrain", EAD_FIRST)):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = as_repairer.get(compose_url(dossier, key), **headers)
            page = response.content.decode()
            assert response.status_code == 200 and escape(message) in page, (key, headers)
            assert 'method="post"' not in page.split('id="composer-slot"')[-1], key
            assert "<textarea" not in page and 'type="file"' not in page, key
