import io

import pytest
from django.core import mail
from django.core.management import call_command

from connect.accounts.models import NotificationPreference, Role, User
from connect.messaging.models import PendingNotification, Thread
from connect.messaging.services import open_thread, post_message
from connect.messaging.tests.helpers import pdf_file, post_new
from connect.testing import run_tasks


def recipients():
    return sorted(address for email in mail.outbox for address in email.to)


def prefer(user, mode):
    NotificationPreference.objects.update_or_create(user=user, defaults={"mode": mode})


def test_a_repairer_message_mails_the_routed_expert_once_after_commit(as_repairer, dossier, world):
    body = "Le longeron est tordu"
    post_new(as_repairer, dossier, "expert", body=body, files=[pdf_file()], types=["devis"])
    assert mail.outbox == []  # queued with the message, sent by the worker
    run_tasks()
    run_tasks()
    assert recipients() == [world.expert.email]
    email = mail.outbox[0]
    thread = Thread.objects.get()
    assert "dossier 99677" in email.subject
    link = f"http://127.0.0.1:8000/dossiers/{dossier.code}/messages/{thread.code}/"
    assert link in email.body and link in email.alternatives[0][0]
    assert body not in email.body and dossier.insured_name not in email.body


def test_the_email_counts_the_documents_the_message_attached(as_repairer, dossier, world):
    files = [pdf_file("a.pdf"), pdf_file("b.pdf")]
    post_new(as_repairer, dossier, "expert", body="Devis", files=files, types=["devis", "devis"])
    run_tasks()
    (email,) = mail.outbox
    assert "Documents joints : 2" in email.body


def test_an_advisor_subject_mails_the_advisor(as_repairer, dossier, world):
    post_new(as_repairer, dossier, "divers", body="Bonjour")
    run_tasks()
    assert recipients() == [world.advisor.email]


def test_without_an_assigned_expert_the_units_pool_is_mailed(as_repairer, dossier, world):
    second = User.objects.create_user(
        "expert3@test.fr", "x" * 14, role=Role.EXPERT, unit=world.unit1
    )
    User.objects.create_user(
        "inactif@test.fr", "x" * 14, role=Role.EXPERT, unit=world.unit1, is_active=False
    )
    dossier.expert = None
    dossier.save(update_fields=["expert"])
    post_new(as_repairer, dossier, "expert", body="Bonjour")
    run_tasks()
    # Unit 1's experts, each in their own e-mail; not unit 2's, not the inactive one.
    assert recipients() == sorted([world.expert.email, second.email])
    assert all(len(email.to) == 1 for email in mail.outbox)


def test_a_firm_message_mails_the_garages_users_only(dossier, world):
    open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body="Photos ?")
    run_tasks()
    assert recipients() == sorted([world.repairer.email, world.colleague.email])
    assert "Nouveau message du cabinet" in mail.outbox[0].subject


def test_the_core_system_writing_mails_the_garage(dossier, world):
    open_thread(dossier=dossier, subject_key="cabinet", author=None, body="Rapport disponible")
    run_tasks()
    assert recipients() == sorted([world.repairer.email, world.colleague.email])


def test_a_repairer_reply_is_not_mailed_to_the_garage(as_repairer, dossier, world):
    thread = open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body="?")
    run_tasks()
    mail.outbox.clear()
    post_message(thread=thread.thread, author=world.repairer, body="Voici")
    run_tasks()
    assert recipients() == [world.expert.email]


def test_nothing_is_mailed_when_the_message_fails(as_repairer, dossier, monkeypatch):
    from connect.testing import fail_storage_save

    fail_storage_save(monkeypatch, at=1)
    post_new(as_repairer, dossier, "expert", body="x", files=[pdf_file()], types=["devis"])
    run_tasks()
    assert mail.outbox == []


@pytest.mark.parametrize("mode", ["daily", "none"])
def test_a_user_who_chose_a_digest_or_nothing_gets_no_immediate_mail(
    as_repairer, dossier, world, mode
):
    prefer(world.expert, mode)
    post_new(as_repairer, dossier, "expert", body="Bonjour")
    run_tasks()
    assert mail.outbox == []
    assert PendingNotification.objects.filter(user=world.expert).exists() == (mode == "daily")


def test_the_daily_digest_sends_one_mail_per_user_once(as_repairer, dossier, world):
    prefer(world.expert, "daily")
    post_new(as_repairer, dossier, "expert", body="Un")
    post_new(as_repairer, dossier, "methodologie", body="Deux", supplement_amount="80")
    call_command("send_daily_digests", stdout=io.StringIO())
    run_tasks()
    assert recipients() == [world.expert.email]
    digest = mail.outbox[0]
    assert "2 nouveaux messages" in digest.subject
    assert "Communication à l'expert" in digest.body and "Evolution méthodologie" in digest.body
    call_command("send_daily_digests", stdout=io.StringIO())
    run_tasks()
    assert len(mail.outbox) == 1


def test_the_digest_task_can_be_queued_by_a_scheduler(as_repairer, dossier, world):
    from connect.messaging.tasks import daily_digests

    prefer(world.expert, "daily")
    post_new(as_repairer, dossier, "expert", body="Un")
    daily_digests.enqueue()
    run_tasks()
    assert recipients() == [world.expert.email]


def test_published_documents_are_mailed_to_the_garage_or_kept_for_the_digest(dossier, world):
    from connect.documents.models import Origin
    from connect.documents.services import add_document
    from connect.messaging.notifications import notify_documents_published
    from connect.messaging.tests.helpers import pdf_file

    prefer(world.colleague, "daily")
    document = add_document(
        dossier=dossier,
        file=pdf_file("rapport.pdf"),
        doc_type="rapport_expertise",
        origin=Origin.CORE_SYSTEM,
    )
    notify_documents_published(dossier=dossier, documents=[document])
    run_tasks()
    assert recipients() == [world.repairer.email]
    assert "Rapport d'expertise" in mail.outbox[0].body
    call_command("send_daily_digests", stdout=io.StringIO())
    run_tasks()
    assert recipients() == sorted([world.repairer.email, world.colleague.email])
    assert "Nouveau document : Rapport d'expertise" in mail.outbox[1].body
