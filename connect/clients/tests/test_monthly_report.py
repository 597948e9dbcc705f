"""The monthly e-mail: each active client user once a month, with the headline figures."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from connect.clients.models import MonthlyReport
from connect.clients.monthly import send_monthly_reports
from connect.testing import run_tasks

from .helpers import client_user


# The database worker closes a connection left in a transaction: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_each_client_user_gets_it_once_a_month(world):
    w = world
    w.dossier_a.mission_received_on = timezone.localdate() - timedelta(days=3)
    w.dossier_a.save()
    second = client_user("sud@client-a.example", w.client, region="Sud")
    second.is_active = False
    second.save()
    now = timezone.now()
    assert send_monthly_reports(now) == 1  # the disabled user is skipped
    assert send_monthly_reports(now) == 0  # once a month
    call_command("send_client_monthly_reports", verbosity=0)
    run_tasks()
    (sent,) = mail.outbox
    assert sent.to == [w.client_user.email]
    assert "1 dossier dont la mission a été reçue" in sent.body
    assert "/portefeuille/indicateurs/" in sent.body
    assert "Mission → premier examen" in sent.body
    next_month = timezone.make_aware(
        datetime.combine(
            timezone.localdate(now).replace(day=28) + timedelta(days=5), datetime.min.time()
        )
    )
    assert send_monthly_reports(next_month) == 1
    assert MonthlyReport.objects.filter(user=w.client_user).count() == 2


def test_staff_repairers_and_the_insured_get_none(world):
    world.client_user.client_member.delete()
    assert send_monthly_reports() == 0
