"""The per-kind opt-in beside the e-mail preferences, and what opting out stops."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from connect.messaging.services import open_thread, post_message
from connect.push.models import PushKind, PushPreference
from connect.push.tests.helpers import subscribe
from connect.testing import login_as, run_tasks

pytestmark = pytest.mark.django_db


def firm_reply(world):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Bonjour"
    ).thread
    post_message(thread=thread, author=world.expert, body="Réponse")


def test_the_email_preferences_page_shows_the_push_choices(client, world, push_service):
    login_as(client, world.repairer)
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert "Notifications push" in page
    for label in PushKind.labels:
        assert label in page
    assert 'data-public-key="' + push_service.vapid_public_key + '"' in page
    assert "js/push.js" in page


def test_with_push_off_the_page_says_so(client, world, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    login_as(client, world.repairer)
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert "Les notifications push ne sont pas activées sur ce portail" in page
    assert "js/push.js" not in page


def test_choices_are_saved_per_kind(client, world, push_service):
    login_as(client, world.repairer)
    url = reverse("push:preferences")
    next_url = reverse("messaging:preferences")
    response = client.post(url, {"kinds": [PushKind.EXAM_DECIDED], "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    chosen = dict(PushPreference.objects.filter(user=world.repairer).values_list("kind", "enabled"))
    assert chosen == {kind: kind == PushKind.EXAM_DECIDED for kind in PushKind.values}
    page = client.get(next_url).content.decode()
    assert "Vos préférences de notification push sont enregistrées." in page


def test_an_unknown_kind_saves_nothing(client, world, push_service):
    login_as(client, world.repairer)
    response = client.post(reverse("push:preferences"), {"kinds": ["everything"]})
    assert response.status_code == 200
    assert not PushPreference.objects.exists()


def test_next_never_leads_off_the_portal(client, world, push_service):
    login_as(client, world.repairer)
    response = client.post(reverse("push:preferences"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("push:preferences")


def test_an_opted_out_kind_sends_nothing(client, world, push_service):
    subscribe(client, world.repairer, push_service.browser())
    client.post(reverse("push:preferences"), {"kinds": [PushKind.DOCUMENT_PUBLISHED]})

    firm_reply(world)
    run_tasks()

    assert push_service.received == []
    assert not DBTaskResult.objects.filter(task_path__endswith="send_push").exists()


def test_opting_out_after_the_job_was_queued_still_sends_nothing(client, world, push_service):
    subscribe(client, world.repairer, push_service.browser())
    firm_reply(world)
    assert DBTaskResult.objects.filter(task_path__endswith="send_push").count() == 1
    client.post(reverse("push:preferences"), {"kinds": []})

    run_tasks()
    assert push_service.received == []


def test_a_user_without_a_subscribed_browser_gets_no_job(client, world, push_service):
    login_as(client, world.repairer)
    client.post(reverse("push:preferences"), {"kinds": PushKind.values})
    firm_reply(world)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_push").exists()


def test_a_rolled_back_reply_pushes_nothing(client, world, push_service):
    from django.db import transaction

    subscribe(client, world.repairer, push_service.browser())
    with pytest.raises(RuntimeError), transaction.atomic():
        firm_reply(world)
        raise RuntimeError("the writer fails after notifying")
    run_tasks()
    assert push_service.received == []


def test_an_account_disabled_before_the_job_runs_gets_nothing(client, world, push_service):
    subscribe(client, world.repairer, push_service.browser())
    firm_reply(world)
    world.repairer.is_active = False
    world.repairer.save(update_fields=["is_active"])
    run_tasks()
    assert push_service.received == []


def test_notify_costs_the_writer_one_query_plus_one_per_job(
    client, world, push_service, django_assert_num_queries
):
    from connect.push.services import notify

    subscribe(client, world.repairer, push_service.browser())
    subscribe(client, world.colleague, push_service.browser())
    users = [world.repairer.pk, world.colleague.pk, world.other_repairer.pk]
    with django_assert_num_queries(3):
        queued = notify(
            user_ids=users, kind=PushKind.FIRM_REPLY, dossier_reference="99677", url="/dossiers/"
        )
    assert queued == 2
