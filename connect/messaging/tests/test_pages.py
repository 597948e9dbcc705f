import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connect.dossiers.models import DossierSeen
from connect.messaging.models import Thread
from connect.messaging.services import open_thread, post_message
from connect.messaging.tests.helpers import compose_url, pdf, pdf_file, post_new, thread_url
from connect.testing import login_as


def threads_url(dossier):
    return reverse("messaging:threads", kwargs={"code": dossier.code})


def test_the_list_shows_subject_requester_dates_attachment_mark_and_visit_days(
    as_repairer, dossier, world
):
    post_new(as_repairer, dossier, "expert", body="Bonjour", files=[pdf_file()], types=["devis"])
    open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body="Photos ?")
    page = as_repairer.get(threads_url(dossier)).content.decode()
    for text in (
        "Objet",
        "Demandeur",
        "Création",
        "Dernier message",
        "Communication à l&#x27;expert",
        "Réparateur",
        "Message du cabinet",
        "avec pièces jointes",
        "+ Nouveau message",
        "Jours de passage de l'expert",
        'visit-days__on">Lundi',
        'visit-days__on">Jeudi',
    ):
        assert text in page, text


def test_a_firm_message_is_unread_until_the_thread_is_opened(as_repairer, dossier, world):
    thread = open_thread(
        dossier=dossier, subject_key="cabinet", author=world.expert, body="Bonjour"
    ).thread
    assert "Non lu" in as_repairer.get(threads_url(dossier)).content.decode()
    as_repairer.get(thread_url(thread))
    assert "Non lu" not in as_repairer.get(threads_url(dossier)).content.decode()
    post_message(thread=thread, author=world.expert, body="Relance")
    assert "Non lu" in as_repairer.get(threads_url(dossier)).content.decode()


def test_a_firm_message_marks_the_dossier_as_a_novelty_until_seen(as_repairer, dossier, world):
    open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body="Bonjour")
    dossier.refresh_from_db()
    assert dossier.last_message_at is not None
    as_repairer.get(threads_url(dossier))
    seen = DossierSeen.objects.get(user=world.repairer, dossier=dossier)
    assert seen.messages_seen_at >= dossier.last_message_at


def test_a_repairer_message_is_no_novelty_for_the_garage(as_repairer, dossier):
    post_new(as_repairer, dossier, "divers", body="Bonjour")
    dossier.refresh_from_db()
    assert dossier.last_message_at is None


def test_the_thread_shows_messages_in_order_with_typed_documents(as_repairer, dossier, world):
    post_new(
        as_repairer,
        dossier,
        "expert",
        body="Premier",
        files=[pdf_file("devis.pdf")],
        types=["devis"],
    )
    thread = Thread.objects.get()
    post_message(thread=thread, author=world.expert, body="Deuxième")
    page = as_repairer.get(thread_url(thread)).content.decode()
    assert page.index("Premier") < page.index("Deuxième")
    assert "devis.pdf" in page and ">Devis<" in page
    assert "Répondre" in page


def test_the_repairer_replies_in_an_open_thread_and_not_in_a_closed_one(as_repairer, dossier):
    post_new(as_repairer, dossier, "divers", body="Premier")
    thread = Thread.objects.get()
    url = f"{thread_url(thread)}repondre/"
    response = as_repairer.post(url, {"body": "Suite", "token": str(uuid.uuid4())})
    assert response.status_code == 302 and thread.messages.count() == 2
    Thread.objects.filter(pk=thread.pk).update(status="closed")
    response = as_repairer.post(url, {"body": "Encore", "token": str(uuid.uuid4())})
    assert response.status_code == 400 and thread.messages.count() == 2
    assert "Ce fil est clos" in response.content.decode()


def test_html_in_a_body_and_a_filename_is_shown_as_text(as_repairer, dossier):
    body = '<script>alert("x")</script><b onmouseover=alert(1)>gras</b>'
    name = "<img src=x onerror=alert(1)>.pdf"
    upload = SimpleUploadedFile(name, pdf())
    post_new(as_repairer, dossier, "expert", body=body, files=[upload], types=["devis"])
    page = as_repairer.get(thread_url(Thread.objects.get())).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page


def test_the_composer_shows_the_fields_the_subject_asks_for(as_repairer, dossier):
    page = as_repairer.get(compose_url(dossier)).content.decode()
    assert "Facture définitive des réparations" in page and 'name="body"' not in page
    invoice = as_repairer.get(compose_url(dossier, "facture")).content.decode()
    assert 'name="body"' not in invoice and "photo de la facture papier" in invoice
    assert 'accept="application/pdf,.pdf,image/jpeg' in invoice
    field_exam = as_repairer.get(compose_url(dossier, "expertise-terrain")).content.decode()
    assert 'name="reason"' in field_exam and 'name="requested_date"' in field_exam
    expert = as_repairer.get(compose_url(dossier, "expert")).content.decode()
    assert 'name="types"' in expert and "Contrôle géométrie" in expert
    assert 'capture="environment"' in expert and "maximum par fichier" in expert


def test_the_composer_partial_is_served_to_htmx(as_repairer, dossier):
    response = as_repairer.get(compose_url(dossier, "divers"), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'id="composer-form"' in content and "<html" not in content


@pytest.mark.parametrize("kind", ["list", "thread", "compose", "reply"])
def test_another_garage_gets_a_404_on_every_thread_url(client, world, dossier, kind):
    thread = open_thread(dossier=dossier, subject_key="divers", author=world.repairer, body="A")
    thread = thread.thread
    urls = {
        "list": threads_url(dossier),
        "thread": thread_url(thread),
        "compose": compose_url(dossier, "divers"),
        "reply": f"{thread_url(thread)}repondre/",
    }
    login_as(client, world.other_repairer)
    response = client.post(urls[kind], {"body": "x", "token": str(uuid.uuid4())})
    if kind in ("list", "thread"):
        response = client.get(urls[kind])
    assert response.status_code == 404
    assert thread.messages.count() == 1


def test_a_thread_under_another_dossiers_url_is_a_404(client, world, dossier):
    thread = open_thread(dossier=dossier, subject_key="divers", author=world.repairer, body="A")
    thread = thread.thread
    login_as(client, world.other_repairer)
    wrong = reverse(
        "messaging:thread", kwargs={"code": world.dossier_b.code, "thread_code": thread.code}
    )
    assert client.get(wrong).status_code == 404
    assert (
        client.post(f"{wrong}repondre/", {"body": "x", "token": str(uuid.uuid4())}).status_code
        == 404
    )


def test_the_list_costs_the_same_queries_for_many_threads(
    as_repairer, dossier, world, django_assert_max_num_queries
):
    for n in range(12):
        open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body=f"M{n}")
    with django_assert_max_num_queries(12):
        response = as_repairer.get(threads_url(dossier))
    assert response.content.decode().count("Message du cabinet") == 12


def test_the_thread_costs_the_same_queries_for_many_messages(
    as_repairer, dossier, world, django_assert_max_num_queries
):
    message = open_thread(dossier=dossier, subject_key="divers", author=world.repairer, body="A")
    for n in range(10):
        post_message(thread=message.thread, author=world.expert, body=f"R{n}", attachments=[])
    post_new(
        as_repairer,
        dossier,
        "expert",
        body="x",
        files=[pdf_file(), pdf_file("b.pdf")],
        types=["devis"],
    )
    with django_assert_max_num_queries(14):
        response = as_repairer.get(thread_url(message.thread))
    assert response.status_code == 200


def test_staff_of_the_unit_read_the_thread_but_write_from_their_workspace(client, world, dossier):
    thread = open_thread(dossier=dossier, subject_key="divers", author=world.repairer, body="A")
    login_as(client, world.expert)
    page = client.get(thread_url(thread.thread))
    assert page.status_code == 200 and "Répondre" not in page.content.decode()
    assert client.get(compose_url(dossier)).status_code == 404


def test_the_notification_preference_page_saves_the_choice(as_repairer, world):
    url = reverse("messaging:preferences")
    assert "Un résumé par jour" in as_repairer.get(url).content.decode()
    assert as_repairer.post(url, {"mode": "daily"}).status_code == 302
    assert world.repairer.notification_preference.mode == "daily"
    as_repairer.post(url, {"mode": "n'importe quoi"})
    world.repairer.notification_preference.refresh_from_db()
    assert world.repairer.notification_preference.mode == "daily"


def test_the_dossier_page_links_its_messages_tab_and_shows_invoice_and_exams(as_repairer, dossier):
    from connect.messaging.services import visit_dates

    day = visit_dates(dossier.garage)[0]
    post_new(as_repairer, dossier, "suivi-ve", exam_kind="ve_after", requested_date=day.isoformat())
    post_new(as_repairer, dossier, "facture", files=[pdf_file("facture.pdf")])
    page = as_repairer.get(reverse("dossier_detail", kwargs={"code": dossier.code}))
    content = page.content.decode()
    assert f'href="{threads_url(dossier)}"' in content
    assert "Facture transmise le" in content
    assert "Examen après travaux" in content and "Demandé" in content
