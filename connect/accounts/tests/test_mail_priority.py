"""E-mail goes before thumbnails: the worker takes the highest priority first."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from connect.documents.tasks import make_document_renditions
from connect.mail import queue_email
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reset_mail_enqueued_after_many_thumbnail_jobs_is_taken_first(world):
    for document_id in range(1, 41):  # the demo seeds hundreds; no such document: a no-op each
        make_document_renditions.enqueue(document_id)
    queue_email([world.repairer.email], "accounts/email/password_reset", {"link": "http://x/"})
    first = DBTaskResult.objects.ready().first()
    assert first.task_path == "connect.mail.send_email"
    run_tasks()
    assert [message.to for message in mail.outbox] == [[world.repairer.email]]
