"""Per-user and per-dossier limits on messages and attached files (the attacker's 40 messages
in 2 s): the refused one is answered 429 with Retry-After and a French message, nothing stored."""

import uuid

import pytest

from connect.documents.models import Document
from connect.messaging.models import Message, Thread
from connect.messaging.tests.helpers import pdf_file, post_new, thread_url
from connect.testing import login_as, stored_files

pytestmark = pytest.mark.django_db


def test_a_burst_of_messages_from_one_user_is_cut_at_the_limit(as_repairer, dossier, settings):
    settings.MESSAGES_PER_USER_PER_MINUTE = 3
    post_new(as_repairer, dossier, "divers", body="Premier")
    url = f"{thread_url(Thread.objects.get())}repondre/"
    for number in range(2):
        response = as_repairer.post(url, {"body": f"Suite {number}", "token": str(uuid.uuid4())})
        assert response.status_code == 302
    response = as_repairer.post(url, {"body": "De trop", "token": str(uuid.uuid4())})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    content = response.content.decode()
    assert "Trop de demandes en peu de temps" in content and "pas été envoyé" in content
    assert Message.objects.count() == 3 and not Message.objects.filter(body="De trop").exists()


def test_the_dossier_limit_holds_across_its_users(client, world, dossier, settings):
    settings.MESSAGES_PER_DOSSIER_PER_MINUTE = 2
    repairer, colleague = login_as(client, world.repairer), None
    assert post_new(repairer, dossier, "divers", body="Un").status_code == 302
    assert post_new(repairer, dossier, "divers", body="Deux").status_code == 302
    from django.test import Client

    colleague = login_as(Client(), world.colleague)
    response = post_new(colleague, dossier, "divers", body="Trois")
    assert response.status_code == 429 and "Retry-After" in response
    assert Message.objects.count() == 2
    # Another dossier is not concerned.
    other = world.dossier("99678", world.garage_a)
    assert post_new(colleague, other, "divers", body="Ailleurs").status_code == 302


def test_attached_files_count_against_the_upload_limit(as_repairer, dossier, settings):
    settings.UPLOADS_PER_USER_PER_HOUR = 3
    files = [pdf_file(f"devis{n}.pdf") for n in range(2)]
    response = post_new(
        as_repairer, dossier, "expert", body="Deux", files=files, types=["devis", "devis"]
    )
    assert response.status_code == 302
    files = [pdf_file(f"facture{n}.pdf") for n in range(2)]
    response = post_new(
        as_repairer, dossier, "expert", body="Encore deux", files=files, types=["devis", "devis"]
    )
    assert response.status_code == 429
    assert Document.objects.count() == 2 and len(stored_files()) == 2
    # The refused send consumed nothing: a message without files still goes.
    assert post_new(as_repairer, dossier, "divers", body="Sans fichier").status_code == 302


def test_a_message_hiding_bidi_controls_is_refused_and_nothing_stored(as_repairer, dossier):
    response = post_new(as_repairer, dossier, "divers", body="Facture \u202egpj.exe")
    assert response.status_code == 400
    assert (
        "caractères invisibles" in response.content.decode()
        and "U+202E" in response.content.decode()
    )
    assert not Message.objects.exists()
