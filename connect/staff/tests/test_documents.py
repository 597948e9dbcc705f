import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connect.documents import samples
from connect.documents.models import Document, DocumentType, Origin
from connect.documents.services import mark_seen
from connect.documents.tests.helpers import add_pdf
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def publish(client, dossier, **data):
    url = reverse("staff:document_publish", kwargs={"code": dossier.code})
    return client.post(url, data)


def pdf_upload(name="rapport.pdf"):
    return SimpleUploadedFile(name, samples.pdf(name), content_type="application/pdf")


def test_expert_publishes_a_report_the_garage_sees_as_a_novelty(client, world):
    login_as(client, world.expert)
    response = publish(
        client,
        world.dossier_a,
        doc_type=DocumentType.EXPERT_REPORT,
        title="Rapport définitif",
        file=pdf_upload(),
    )
    assert response.status_code == 302
    document = Document.objects.get(dossier=world.dossier_a)
    assert (document.origin, document.author, document.doc_type) == (
        Origin.FIRM,
        world.expert,
        DocumentType.EXPERT_REPORT,
    )
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.last_document_at is not None
    page = login_as(client, world.repairer).get(reverse("home"))
    assert page.status_code == 200


def test_a_new_report_can_cancel_and_replace_an_earlier_one(client, world):
    first = add_pdf(world.dossier_a, author=world.expert)
    login_as(client, world.expert)
    publish(
        client,
        world.dossier_a,
        doc_type=DocumentType.EXPERT_REPORT,
        file=pdf_upload("v2.pdf"),
        replaces=first.pk,
    )
    second = Document.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    page = client.get(reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code}))
    assert "annule et remplace" in page.content.decode()


def test_replacing_a_document_of_another_dossier_is_refused(client, world):
    other = add_pdf(world.dossier_b)
    login_as(client, world.expert)
    response = publish(
        client,
        world.dossier_a,
        doc_type=DocumentType.EXPERT_REPORT,
        file=pdf_upload(),
        replaces=other.pk,
    )
    assert response.status_code == 400
    assert not Document.objects.filter(dossier=world.dossier_a).exists()


def test_hostile_or_untyped_files_store_nothing(client, world):
    login_as(client, world.expert)
    html = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>")
    response = publish(client, world.dossier_a, doc_type=DocumentType.LETTER, file=html)
    assert response.status_code == 400
    response = publish(client, world.dossier_a, doc_type="inconnu", file=pdf_upload())
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_it_shows_which_documents_the_garage_has_not_opened(
    client, world, django_assert_max_num_queries
):
    opened = add_pdf(world.dossier_a, name="lu.pdf", title="Lu")
    add_pdf(world.dossier_a, name="pas-lu.pdf", title="Pas lu")
    mark_seen(user=world.colleague, documents=[opened])
    mark_seen(user=world.expert, documents=Document.objects.all())  # staff views do not count
    login_as(client, world.expert)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code}))
    html = page.content.decode()
    assert page.context["unseen_by_garage"] == {Document.objects.get(title="Pas lu").pk}
    assert html.count("Non consulté") == 1


def test_staff_of_another_unit_and_repairers_cannot_publish(client, world):
    for user in (world.other_expert, world.repairer):
        login_as(client, user)
        response = publish(client, world.dossier_a, doc_type=DocumentType.LETTER, file=pdf_upload())
        assert response.status_code == 404
    assert not Document.objects.exists()


def test_dossier_lookup_finds_the_units_dossiers_by_reference_or_plate(client, world):
    login_as(client, world.expert)
    url = reverse("staff:dossier_search")
    assert list(client.get(url, {"q": "99677"}).context["dossiers"]) == [world.dossier_a]
    assert list(client.get(url, {"q": "fp 562 ab"}).context["dossiers"]) == [world.dossier_b]
    assert list(client.get(url, {"q": "99812"}).context["dossiers"]) == []  # unit 2
    assert list(client.get(url, {"q": "%"}).context["dossiers"]) == []


@pytest.mark.django_db(transaction=True)
def test_the_garage_is_emailed_once_about_a_published_document(client, world):
    from django.core import mail

    from connect.testing import run_tasks

    login_as(client, world.expert)
    publish(client, world.dossier_a, doc_type=DocumentType.EXPERT_REPORT, file=pdf_upload())
    run_tasks()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.repairer.email, world.colleague.email])
    assert world.other_repairer.email not in recipients


def test_publishing_asks_for_the_type_instead_of_defaulting_to_the_first(client, world):
    login_as(client, world.expert)
    url = reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code})
    page = client.get(url).content.decode()
    select = page[page.index('name="doc_type"') :]
    assert select[select.index("<option") :].startswith('<option value="" selected>Choisir le type')
    response = publish(client, world.dossier_a, doc_type="", file=pdf_upload())
    assert "Choisissez le type du document." in response.content.decode()
    assert not Document.objects.exists()
