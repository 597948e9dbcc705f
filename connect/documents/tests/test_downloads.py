import hashlib
import io
import zipfile
from unittest import mock
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse
from django.urls import reverse

from connect.documents import samples
from connect.documents.models import DocumentSeen, DocumentType
from connect.documents.tests.helpers import add, add_pdf, add_photo
from connect.testing import login_as, run_tasks

HOSTILE_NAMES = [
    "Procès-verbal « été » n°2.pdf",
    'rapport "final".pdf',
    "../../../etc/passwd.pdf",
    "a/b\\c.pdf",
    "ligne1\r\nSet-Cookie: x=1.pdf",
    "x" * 300 + ".pdf",
]


def file_url(document, **params):
    url = reverse("document_file", args=[document.dossier.code, document.code])
    return url + ("?telecharger=1" if params.get("download") else "")


def zip_url(dossier):
    return reverse("documents_zip", args=[dossier.code])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_file_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_pdf_opens_inline_with_its_sniffed_type(as_repairer, world):
    document = add_pdf(world.dossier_a, "rapport.pdf")
    response = as_repairer.get(file_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="rapport.pdf"'
    assert_file_headers(response)
    assert body(response) == samples.pdf("rapport.pdf", pages=2)


def test_a_single_file_downloads_under_its_original_name(as_repairer, world):
    document = add_photo(world.dossier_a, "IMG 0001.jpg")
    response = as_repairer.get(file_url(document, download=True))
    assert response["Content-Disposition"] == 'attachment; filename="IMG 0001.jpg"'
    assert_file_headers(response)


def test_heic_is_downloaded_since_browsers_cannot_show_it(as_repairer, world):
    document = add(world.dossier_a, samples.heic(), "IMG_0002.HEIC", DocumentType.PHOTO)
    response = as_repairer.get(file_url(document))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/heic"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_safe_in_content_disposition(as_repairer, world, name):
    document = add_pdf(world.dossier_a, name)
    response = as_repairer.get(file_url(document, download=True))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "/" not in header.split("''")[-1]
    assert not response.has_header("Set-Cookie") or "x=1" not in response["Set-Cookie"]
    if "filename*=" in header:
        assert header.endswith(quote(document.download_name))
    assert len(document.original_name) <= 180


def test_thumbnails_and_previews_are_served_after_the_task(as_repairer, world):
    document = add_photo(world.dossier_a)
    thumbnail = reverse("document_thumbnail", args=[world.dossier_a.code, document.code])
    preview = reverse("document_preview", args=[world.dossier_a.code, document.code])
    assert as_repairer.get(thumbnail)["Location"].endswith("document-pending.svg")
    run_tasks()
    for url in (thumbnail, preview):
        response = as_repairer.get(url)
        assert response["Content-Type"] == "image/jpeg"
        assert_file_headers(response)
        assert body(response)[:3] == b"\xff\xd8\xff"


def test_a_pdf_has_no_thumbnail(as_repairer, world):
    document = add_pdf(world.dossier_a)
    url = reverse("document_thumbnail", args=[world.dossier_a.code, document.code])
    assert as_repairer.get(url).status_code == 404


def test_opening_a_document_marks_it_seen(as_repairer, world):
    document = add_pdf(world.dossier_a)
    body(as_repairer.get(file_url(document)))
    assert DocumentSeen.objects.filter(user=world.repairer, document=document).exists()


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(body(response)))


def test_the_zip_is_streamed_not_built(as_repairer, world):
    for index in range(3):
        add_pdf(world.dossier_a, f"doc{index}.pdf")
    opened = []
    real_open = default_storage.open

    def spy(name, mode="rb"):
        opened.append(name)
        return real_open(name, mode)

    with mock.patch.object(default_storage, "open", side_effect=spy):
        response = as_repairer.get(zip_url(world.dossier_a))
        assert isinstance(response, StreamingHttpResponse)
        assert opened == []  # nothing read before the body is iterated
        chunks = iter(response.streaming_content)
        next(chunks)
        assert len(opened) <= 1  # the first bytes leave before the other files are read
        rest = b"".join(chunks)
    assert len(opened) == 3 and rest
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="99677.zip"'
    assert_file_headers(response)


def test_the_zip_announces_its_exact_length(as_repairer, world):
    add_pdf(world.dossier_a)
    response = as_repairer.get(zip_url(world.dossier_a))
    assert int(response["Content-Length"]) == len(body(response))


def test_the_zip_holds_every_document_with_unique_readable_names(as_repairer, world):
    documents = [add_photo(world.dossier_a, "photo.jpg") for _ in range(3)]
    documents += [add_pdf(world.dossier_a, "Rapport.PDF"), add_pdf(world.dossier_a, "rapport.pdf")]
    documents += [add_pdf(world.dossier_a, name) for name in HOSTILE_NAMES]
    archive = read_zip(as_repairer.get(zip_url(world.dossier_a)))
    names = archive.namelist()
    assert len(names) == len(documents)
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and "\n" not in name
        assert not name.startswith(".") and len(name.encode()) <= 200
    assert any(name.startswith("Photo - ") and name.endswith("photo (2).jpg") for name in names)
    expected = {hashlib.sha256(samples.jpeg((64, 48))).hexdigest()} | {d.sha256 for d in documents}
    assert {hashlib.sha256(archive.read(name)).hexdigest() for name in names} <= expected
    assert sorted(hashlib.sha256(archive.read(n)).hexdigest() for n in names) == sorted(
        d.sha256 for d in documents
    )


def test_the_zip_of_a_selection_holds_only_the_selection(client, world):
    one, two, _ = (add_pdf(world.dossier_a, f"doc{i}.pdf") for i in range(3))
    response = login_as(client, world.repairer).post(
        zip_url(world.dossier_a), {"document": [str(one.code), str(two.code)]}
    )
    names = read_zip(response).namelist()
    assert sorted(name.rsplit(" - ", 1)[1] for name in names) == ["doc0.pdf", "doc1.pdf"]
    get = client.get(zip_url(world.dossier_a) + f"?document={one.code}")
    assert len(read_zip(get).namelist()) == 1


def test_an_empty_selection_asks_to_select(as_repairer, world):
    add_pdf(world.dossier_a)
    response = as_repairer.post(zip_url(world.dossier_a), {})
    assert response.status_code == 302 and response["Location"].endswith("#documents")


def test_a_document_of_another_dossier_is_a_404_even_for_its_own_garage(client, world):
    other = world.dossier("99999", world.garage_a)
    foreign = add_photo(world.dossier_b)
    mine = add_photo(other)
    run_tasks()
    repairer = login_as(client, world.repairer)
    for document in (foreign, mine):
        for name in ("document_file", "document_thumbnail", "document_preview"):
            url = reverse(name, args=[world.dossier_a.code, document.code])
            assert repairer.get(url).status_code == 404, (name, document)
        url = zip_url(world.dossier_a) + f"?document={document.code}"
        assert repairer.get(url).status_code == 404
    assert repairer.get(zip_url(world.dossier_a) + "?document=not-a-uuid").status_code == 404


@pytest.mark.parametrize("persona", ["other_repairer", "other_expert"])
def test_another_garage_gets_a_404_on_every_file(client, world, persona):
    document = add_photo(world.dossier_a)
    run_tasks()
    user = login_as(client, getattr(world, persona))
    for name in ("document_file", "document_thumbnail", "document_preview"):
        url = reverse(name, args=[world.dossier_a.code, document.code])
        assert user.get(url).status_code == 404
    assert user.get(zip_url(world.dossier_a)).status_code == 404
    assert user.post(zip_url(world.dossier_a), {"document": [document.code]}).status_code == 404


def test_staff_of_the_unit_reach_the_files(client, world):
    document = add_pdf(world.dossier_a)
    response = login_as(client, world.expert).get(file_url(document))
    assert response.status_code == 200


def test_long_multibyte_names_are_capped_in_bytes_and_stay_unique(as_repairer, world):
    long_name = "é" * 140 + "🚗" * 30 + ".pdf"  # 280 + 120 bytes: far past what unzip accepts
    documents = [add_pdf(world.dossier_a, long_name) for _ in range(3)]
    names = read_zip(as_repairer.get(zip_url(world.dossier_a))).namelist()
    assert len(names) == len(documents) == len({name.lower() for name in names})
    for name in names:
        assert len(name.encode()) <= 200 and name.endswith(".pdf")
    assert any(name.endswith(" (3).pdf") for name in names)
