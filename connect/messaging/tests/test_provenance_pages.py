"""The provenance flags where the expert reads them (issue 25): the dossier page, the staff
documents page and the thread."""

from datetime import date

from django.urls import reverse

from connect.documents.provenance import HASH_SAME
from connect.messaging.models import Thread
from connect.messaging.tests.test_guided_capture import all_shots, phone_post
from connect.testing import login_as

FLAG = "À vérifier : Date de prise de vue (12/03/2026) antérieure à la mission (01/04/2026)."


def expert_pages(client, world, dossier) -> dict[str, str]:
    login_as(client, world.repairer)
    assert phone_post(client, dossier, all_shots()).status_code == 302
    thread = Thread.objects.get()
    login_as(client, world.expert)
    urls = [
        reverse("dossier_detail", kwargs={"code": dossier.code}),
        reverse("staff:dossier_documents", kwargs={"code": dossier.code}),
        reverse("staff:thread", kwargs={"staff_thread_code": thread.code}),
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_a_photo_taken_before_the_mission_is_flagged_on_every_page(client, world, dossier):
    dossier.mission_received_on = date(2026, 4, 1)
    dossier.save(update_fields=["mission_received_on"])
    for url, page in expert_pages(client, world, dossier).items():
        assert page.count(FLAG) == 6, url  # each of the six shots, dated 12/03 by the phone
        assert ", " + HASH_SAME in page and "intacte" not in page, url


def test_photos_taken_after_the_mission_carry_no_flag(client, world, dossier):
    dossier.mission_received_on = date(2026, 3, 12)
    dossier.save(update_fields=["mission_received_on"])
    for url, page in expert_pages(client, world, dossier).items():
        assert "À vérifier" not in page and "data-provenance-warnings" not in page, url


def test_every_page_says_what_the_portal_established_and_what_the_phone_declared(
    client, world, dossier
):
    pages = expert_pages(client, world, dossier)
    login_as(client, world.repairer)
    repairer_page = client.get(reverse("dossier_detail", kwargs={"code": dossier.code}))
    pages["repairer"] = repairer_page.content.decode()
    for url, page in pages.items():
        assert page.count("Constaté par le portail") == 6, url
        assert page.count("Déclaré par le téléphone (non vérifiable par le portail)") == 6, url
        assert page.count("(horloge du téléphone)") == 6, url
        assert "Empreinte SHA-256 calculée à la réception : " in page, url
