"""The overdue digest: one e-mail a day per unit manager, through the task queue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from connect.deadlines.digest import send_overdue_digests
from connect.deadlines.models import WaitPeriod
from connect.messaging.models import Message
from connect.messaging.services import open_thread
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db


def overdue_question(world, dossier, days=10):
    message = open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body="?")
    past = timezone.now() - timedelta(days=days)
    Message.objects.filter(pk=message.pk).update(created_at=past)
    WaitPeriod.objects.filter(dossier=dossier).update(since=past, due_at=past + timedelta(days=1))
    return message


def test_the_manager_gets_the_units_overdue_items_once_a_day(world):
    overdue_question(world, world.dossier_a)
    overdue_question(world, world.dossier_c)  # another unit: not in this manager's digest
    # Not yet due: not listed.
    open_thread(dossier=world.dossier_b, subject_key="expert", author=world.repairer, body="?")
    run_tasks()  # the messages' own notifications
    mail.outbox.clear()

    call_command("send_overdue_digests", verbosity=0)
    run_tasks()
    (sent,) = mail.outbox
    assert sent.to == [world.manager.email]
    assert sent.subject == "Unité 1 : 1 attente en retard"
    assert "dossier 99677 (Garage A) · Réponse à un message" in sent.body
    assert "99812" not in sent.body and "99791" not in sent.body
    assert "en retard" in sent.alternatives[0][0]

    # The scheduler's second run the same day, or a retried job: nothing more.
    send_overdue_digests()
    run_tasks()
    assert len(mail.outbox) == 1

    # The next day, another e-mail.
    send_overdue_digests(today=timezone.localdate() + timedelta(days=1))
    run_tasks()
    assert len(mail.outbox) == 2


def test_nothing_overdue_sends_nothing(world):
    open_thread(dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="?")
    run_tasks()
    mail.outbox.clear()
    send_overdue_digests()
    run_tasks()
    assert mail.outbox == []


def test_a_lapsed_exam_is_recomputed_before_the_digest(world):
    from connect.messaging.models import ExamRequest, ExamStatus
    from connect.messaging.services import request_field_exam, visit_dates

    message = request_field_exam(
        dossier=world.dossier_a,
        requested_date=visit_dates(world.garage_a)[0],
        reason="Choc",
        author=world.repairer,
    )
    exam = message.thread.exam_request
    from connect.messaging.services import confirm_exam

    confirm_exam(exam=exam, by=world.expert, at=timezone.now() + timedelta(hours=1))
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.ball == "garage"
    # The exam took place yesterday: nobody wrote since.
    yesterday = timezone.now() - timedelta(days=1)
    ExamRequest.objects.filter(pk=exam.pk).update(confirmed_at=yesterday)
    WaitPeriod.objects.filter(kind="exam_to_attend").update(due_at=yesterday)
    assert ExamRequest.objects.get(pk=exam.pk).status == ExamStatus.CONFIRMED
    send_overdue_digests()
    world.dossier_a.refresh_from_db()
    assert (world.dossier_a.ball, world.dossier_a.wait_kind) == ("", "")
