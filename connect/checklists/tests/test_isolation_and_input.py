"""Another garage's request or item is a 404 on every checklist URL, for repairers and staff
of another unit; bad input is a clear French error and stores nothing."""

import pytest

from connect.api.models import Event
from connect.checklists.models import ItemStatus, Request, RequestItem
from connect.checklists.services import ItemSpec, answer_item, create_request, mark_received
from connect.checklists.tests.helpers import (
    answer_url,
    ask_again_url,
    create_url,
    photo,
    receive_url,
    staff_url,
)
from connect.documents.models import Document
from connect.testing import login_as, stored_files


@pytest.fixture
def item(world):
    request = create_request(
        dossier=world.dossier_a, by=world.expert, items=[ItemSpec("Photo ¾ avant droit")]
    )
    return request.items.get()


@pytest.fixture
def answered(item, world):
    return answer_item(item=item, by=world.repairer, note="Voici")


def every_url(item):
    dossier = item.request.dossier
    return [
        ("get", answer_url(item)),
        ("post", answer_url(item)),
        ("get", staff_url(dossier)),
        ("post", create_url(dossier)),
        ("post", receive_url(item)),
        ("post", ask_again_url(item)),
    ]


@pytest.mark.parametrize("persona", ["other_repairer", "other_expert"])
def test_another_garages_checklist_is_a_404_everywhere(client, world, answered, persona):
    login_as(client, getattr(world, persona))
    for method, url in every_url(answered):
        response = getattr(client, method)(url, {"note": "x", "reason": "x", "label_0": "x"})
        assert response.status_code == 404, (persona, method, url)
    answered.refresh_from_db()
    assert answered.status == ItemStatus.ANSWERED and Request.objects.count() == 1


def test_an_item_reached_through_another_dossier_is_a_404(client, world, item):
    login_as(client, world.repairer)
    other = world.dossier("99000", world.garage_a)
    url = answer_url(item).replace(str(world.dossier_a.code), str(other.code))
    assert client.get(url).status_code == 404


def test_the_repairer_cannot_reach_the_staff_pages_nor_the_expert_answer(client, world, item):
    login_as(client, world.repairer)
    assert client.get(staff_url(world.dossier_a)).status_code == 404
    assert client.post(receive_url(item)).status_code == 404
    login_as(client, world.expert)
    assert client.post(answer_url(item), {"note": "x"}).status_code == 404


def test_an_empty_answer_is_refused(client, world, item):
    response = login_as(client, world.repairer).post(answer_url(item), {"note": "  "})
    assert response.status_code == 400
    assert "Joignez un fichier ou écrivez une note" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED
    assert not Event.objects.filter(kind="request_item.answered").exists()


def test_a_file_that_is_not_a_photo_nor_a_pdf_is_refused_and_nothing_is_stored(client, world, item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("page.html", b"<html><script>x</script></html>")
    response = login_as(client, world.repairer).post(
        answer_url(item), {"files": [bad], "note": "voici"}, headers={"HX-Request": "true"}
    )
    # htmx swaps only a 2xx: the item comes back with its error, and no page around it.
    assert response.status_code == 200
    assert "page.html" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


def test_an_answer_to_a_ticked_item_is_refused_and_stores_nothing(client, world, answered):
    mark_received(item=answered, by=world.expert)
    response = login_as(client, world.repairer).post(
        answer_url(answered), {"files": [photo()], "note": "encore"}
    )
    assert response.status_code == 400
    assert "n&#x27;attend plus de réponse" in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == ItemStatus.RECEIVED and answered.note == "Voici"
    assert not Document.objects.exists() and stored_files() == []


@pytest.mark.parametrize("htmx", [False, True])
def test_a_storage_failure_in_an_answer_stores_nothing(client, world, item, monkeypatch, htmx):
    from connect.testing import fail_storage_save

    calls = fail_storage_save(monkeypatch, at=2)
    response = login_as(client, world.repairer).post(
        answer_url(item),
        {"files": [photo("a.jpg"), photo("b.jpg")], "note": "voici"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert len(calls) == 2  # the first file was written, the second failed
    assert response.status_code == (200 if htmx else 400)
    assert "L&#x27;envoi a échoué, rien n&#x27;a été enregistré." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED and item.note == ""
    assert not Document.objects.exists() and stored_files() == []
    assert not Event.objects.filter(kind="request_item.answered").exists()


def test_an_answer_to_an_answered_item_is_refused(client, world, answered):
    response = login_as(client, world.repairer).post(answer_url(answered), {"note": "encore"})
    assert response.status_code == 400
    answered.refresh_from_db()
    assert answered.note == "Voici"


def test_a_request_without_any_item_is_refused(client, world):
    response = login_as(client, world.expert).post(create_url(world.dossier_a), {"label_0": " "})
    assert response.status_code == 400
    assert "Indiquez au moins un élément" in response.content.decode()
    assert not Request.objects.exists() and not Event.objects.exists()


def test_asking_again_needs_a_reason(client, world, answered):
    response = login_as(client, world.expert).post(ask_again_url(answered), {"reason": ""})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Indiquez pourquoi vous redemandez cet élément." in page
    answered.refresh_from_db()
    assert answered.status == ItemStatus.ANSWERED


def test_an_item_not_answered_cannot_be_ticked(client, world, item):
    response = login_as(client, world.expert).post(receive_url(item))
    page = client.get(response["Location"]).content.decode()
    assert "n&#x27;attend pas de vérification" in page
    assert RequestItem.objects.get().status == ItemStatus.REQUESTED


def test_a_thread_of_another_dossier_is_not_attached(client, world):
    from connect.messaging.services import open_thread

    other = open_thread(
        dossier=world.dossier_b, subject_key="expert", author=world.other_repairer, body="B"
    ).thread
    login_as(client, world.expert).post(
        create_url(world.dossier_a), {"label_0": "Photo", "fil": str(other.code)}
    )
    assert Request.objects.get().thread is None


def test_a_replayed_request_form_creates_the_request_once(client, world):
    import uuid

    data = {"label_0": "Photo", "token": str(uuid.uuid4())}
    login_as(client, world.expert)
    assert client.post(create_url(world.dossier_a), data).status_code == 302
    assert client.post(create_url(world.dossier_a), data).status_code == 302
    assert Request.objects.count() == 1 and RequestItem.objects.count() == 1
    assert Event.objects.filter(kind="request.created").count() == 1
