"""The monthly e-mail to each client user (issue 27): the headline figures of the last 30 days
of their portfolio and a link to the indicators, through the task queue, once per user and
month (`MonthlyReport`'s unique key decides a race between two runs)."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Role, User
from connect.clients.access import portfolio
from connect.clients.indicators import indicators
from connect.clients.models import MonthlyReport
from connect.mail import queue_email


def send_monthly_reports(now: datetime | None = None) -> int:
    """Queue this month's e-mail for every active client user who has not had it yet."""
    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    users = (
        User.objects.filter(role=Role.CLIENT, is_active=True, client_member__isnull=False)
        .exclude(pk__in=MonthlyReport.objects.filter(month=month).values("user_id"))
        .order_by("pk")
    )
    sent = 0
    for user in users:
        sent += _send(user, month=month, now=now)
    return sent


def _send(user: User, *, month, now: datetime) -> bool:
    found = indicators(portfolio(user), now=now, days=30)
    try:
        with transaction.atomic():
            MonthlyReport.objects.create(user=user, month=month)
            queue_email(
                [user.email],
                "clients/email/monthly_report",
                {
                    "full_name": user.full_name,
                    "month": month,
                    "figures": found,
                    "supplement_percent": round(found.supplement_rate * 100),
                    "link": settings.PORTAL_URL + reverse("dashboard:client_indicators"),
                },
            )
    except IntegrityError:  # another run sent it meanwhile
        return False
    return True
