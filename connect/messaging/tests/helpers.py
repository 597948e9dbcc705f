import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from connect.messaging.services import visit_dates
from connect.messaging.subjects import Need


def jpeg(size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def png(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def photo(name="photo.jpg"):
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def pdf_file(name="document.pdf"):
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def compose_url(dossier, subject=""):
    url = reverse("messaging:compose", kwargs={"code": dossier.code})
    return f"{url}?objet={subject}" if subject else url


def thread_url(thread):
    return reverse(
        "messaging:thread", kwargs={"code": thread.dossier.code, "thread_code": thread.code}
    )


def post_new(client, dossier, subject, *, body="", files=(), types=(), token=None, **extra):
    import uuid

    data = {"objet": subject, "body": body, "token": str(token or uuid.uuid4()), **extra}
    if files:
        data["files"] = list(files)
    if types:
        data["types"] = list(types)
    return client.post(compose_url(dossier), data)


def required_shots(subject_key, dossier) -> dict:
    """The guided capture's required shots as the no-JS form posts them (`shot-<key>`), good
    photos, and the plate confirmed: {} for a subject without a shot list."""
    from connect.documents.shots import shot_list_for
    from connect.documents.tests import photos

    shot_list = shot_list_for(subject_key, dossier)
    if shot_list is None:
        return {}
    data: dict = {}
    for index, shot in enumerate(s for s in shot_list.shots.all() if s.required):
        data[f"shot-{shot.key}"] = photos.upload(photos.good(seed=index), f"{shot.key}.jpg")
        if shot.confirm_plate:
            data["plate"] = dossier.plate or "AB-123-CD"
    return data


# The subjects' table (test_subject_rules, test_routing_and_exams) --------------------------


def a_file(subject):
    return pdf_file() if subject.accepts_pdf else photo()


def valid(subject, dossier, *, body=True, files=True):
    """The smallest submission the subject accepts; tests then break one rule at a time."""
    data = {}
    if body and subject.message != Need.ABSENT:
        data["body"] = "Bonjour, voici les éléments."
    if files and subject.documents == Need.REQUIRED:
        data["files"] = [a_file(subject)]
        if not subject.automatic:
            data["types"] = [subject.manual_types[0]]
    if files:
        data.update(required_shots(subject.key, dossier))
    if subject.exam_kinds:
        data["requested_date"] = visit_dates(dossier.garage)[0].isoformat()
        data["exam_kind"] = subject.exam_kinds[0].value
    if subject.reason_required:
        data["reason"] = "Choc important sur le longeron"
    if subject.key == "methodologie":  # a supplement: its amount is required
        data["supplement_amount"] = "450,00"
    return data
