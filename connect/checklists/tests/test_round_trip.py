"""The checklist round trip through the portal's pages: the expert asks from a thread, the
garage answers each item (files or a note, with and without htmx), the expert ticks one as
received and asks again for the other, the garage answers again; the ball's waits and the core
system's events follow each move."""

from django.urls import reverse

from connect.api.models import Event
from connect.checklists.models import ItemStatus, Request, RequestItem
from connect.checklists.tests.helpers import (
    answer_url,
    ask_again_url,
    create_url,
    pdf_file,
    photo,
    receive_url,
    staff_url,
)
from connect.deadlines.sources import WaitKind, open_waits
from connect.documents.models import Document, DocumentType, Origin
from connect.messaging.services import open_thread
from connect.testing import login_as


def waits_of(dossier):
    return sorted((w.kind, w.label) for w in open_waits([dossier.pk]) if w.key.startswith("req"))


def ask(client, world, dossier, thread=None):
    data = {
        "label_0": "Photo ¾ avant droit",
        "type_0": DocumentType.PHOTO,
        "type_1": DocumentType.ACCESSORY_INVOICES,
        "label_2": "Numéro de série du radar",
    }
    if thread is not None:
        data["fil"] = str(thread.code)
    return login_as(client, world.expert).post(create_url(dossier), data)


def test_the_expert_asks_from_a_thread_and_the_items_are_typed(client, world):
    dossier = world.dossier_a
    thread = open_thread(
        dossier=dossier, subject_key="expert", author=world.repairer, body="Bonjour"
    ).thread
    page = login_as(client, world.expert).get(staff_url(dossier, thread))
    assert page.status_code == 200 and "Demander des compléments" in page.content.decode()

    response = ask(client, world, dossier, thread)

    assert response.status_code == 302
    request = Request.objects.get()
    assert request.thread == thread and request.created_by == world.expert
    items = [(i.label, i.doc_type, i.status) for i in request.items.all()]
    assert items == [
        ("Photo ¾ avant droit", DocumentType.PHOTO, ItemStatus.REQUESTED),
        ("Factures accessoires", DocumentType.ACCESSORY_INVOICES, ItemStatus.REQUESTED),
        ("Numéro de série du radar", "", ItemStatus.REQUESTED),
    ]
    assert {kind for kind, _ in waits_of(dossier)} == {WaitKind.COMPLEMENT_REQUESTED}
    event = Event.objects.get(kind="request.created")
    assert event.dossier == dossier and event.payload["thread"] == str(thread.code)
    assert [i["label"] for i in event.payload["items"]][0] == "Photo ¾ avant droit"
    assert event.payload["items"][1]["doc_type"] == "factures_accessoires"


def test_the_staff_thread_page_links_to_the_request_form(client, world):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Bonjour"
    ).thread
    page = login_as(client, world.expert).get(reverse("staff:thread", args=[thread.code]))
    assert f"/complements/?fil={thread.code}" in page.content.decode()


def test_the_round_trip_from_request_to_received(client, world):
    dossier = world.dossier_a
    ask(client, world, dossier)
    front, invoices, serial = RequestItem.objects.order_by("position")

    # The garage sees the checklist on the dossier page, each item with its own form.
    page = login_as(client, world.repairer).get(reverse("dossier_detail", args=[dossier.code]))
    html = page.content.decode()
    assert "Compléments demandés" in html and "3 à fournir" in html
    # The "Photo" item takes photos only (issue 24, item 10): its input offers no PDF.
    assert html.count('accept="image/*,application/pdf"') == 2
    assert html.count('accept="image/*"') == 1
    assert answer_url(front) in html

    # A photo without JavaScript: a plain form post, back to the dossier page.
    response = client.post(answer_url(front), {"files": [photo()], "note": ""})
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    # A PDF and a note with htmx: only the item comes back, answered.
    response = client.post(
        answer_url(invoices),
        {"files": [pdf_file()], "note": "Facture du fournisseur"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "votre réponse est envoyée" in response.content.decode()
    assert "<html" not in response.content.decode()
    # A note alone.
    assert client.post(answer_url(serial), {"note": "SN 4471-AB"}).status_code == 302

    front.refresh_from_db()
    assert front.status == ItemStatus.ANSWERED and front.answered_by == world.repairer
    document = front.documents.get()
    assert document.doc_type == DocumentType.PHOTO and document.origin == Origin.REPAIRER_MESSAGE
    assert Document.objects.get(original_name="facture-pieces.pdf").doc_type == (
        DocumentType.ACCESSORY_INVOICES
    )
    serial.refresh_from_db()
    assert serial.note == "SN 4471-AB" and serial.documents.count() == 0
    assert {kind for kind, _ in waits_of(dossier)} == {WaitKind.COMPLEMENT_CHECK}
    answered = Event.objects.filter(kind="request_item.answered").order_by("id")
    assert [e.payload["item"]["label"] for e in answered] == [
        "Photo ¾ avant droit",
        "Factures accessoires",
        "Numéro de série du radar",
    ]
    assert answered[0].payload["reference"] == dossier.reference
    assert answered[0].document_codes == [str(document.code)]

    # The expert ticks two items received and asks again for the photo.
    login_as(client, world.expert)
    assert client.post(receive_url(invoices)).status_code == 302
    assert client.post(receive_url(serial)).status_code == 302
    response = client.post(ask_again_url(front), {"reason": "Photo floue, reprenez-la"})
    assert response.status_code == 302
    front.refresh_from_db()
    assert front.status == ItemStatus.ASKED_AGAIN and front.checked_by == world.expert
    assert waits_of(dossier) == [(WaitKind.COMPLEMENT_REQUESTED, "Photo ¾ avant droit")]
    assert Event.objects.filter(kind="request_item.received").count() == 2
    again = Event.objects.get(kind="request_item.asked_again")
    assert again.payload["reason"] == "Photo floue, reprenez-la"
    assert again.payload["item"]["doc_type"] == "photo"

    # The garage reads why and answers again; the expert ticks it; nothing waits any more.
    login_as(client, world.repairer)
    html = client.get(reverse("dossier_detail", args=[dossier.code])).content.decode()
    assert "Photo floue, reprenez-la" in html and "1 à fournir" in html
    assert client.post(answer_url(front), {"files": [photo("net.jpg")]}).status_code == 302
    login_as(client, world.expert)
    assert client.post(receive_url(front)).status_code == 302
    assert waits_of(dossier) == []
    statuses = set(RequestItem.objects.values_list("status", flat=True))
    assert statuses == {ItemStatus.RECEIVED}
    assert front.documents.count() == 2  # both answers kept


def test_the_staff_page_shows_answers_and_the_forms_to_tick(client, world):
    dossier = world.dossier_a
    ask(client, world, dossier)
    item = RequestItem.objects.get(position=2)
    login_as(client, world.repairer).post(answer_url(item), {"note": "SN 4471-AB"})
    html = login_as(client, world.expert).get(staff_url(dossier)).content.decode()
    assert "SN 4471-AB" in html and "Répondu, à vérifier" in html
    assert receive_url(item) in html and ask_again_url(item) in html


def test_the_dossier_page_stays_within_its_query_budget(
    client, world, django_assert_max_num_queries
):
    dossier = world.dossier_a
    ask(client, world, dossier)
    ask(client, world, dossier)
    login_as(client, world.repairer)
    url = reverse("dossier_detail", args=[dossier.code])
    client.get(url)
    with django_assert_max_num_queries(40) as counted:
        client.get(url)
    few = len(counted)
    ask(client, world, dossier)
    login_as(client, world.repairer)
    client.get(url)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_the_staff_page_does_not_grow_with_the_requests(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = world.dossier_a
    url = staff_url(dossier)

    def counted():
        login_as(client, world.expert).get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    ask(client, world, dossier)
    few = counted()
    ask(client, world, dossier)
    ask(client, world, dossier)
    assert counted() == few
