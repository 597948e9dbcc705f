"""The overdue digest: once a day, each unit manager gets one e-mail listing what is overdue
in the unit (the open waits past their due date, on the firm's side and the garages').

`send_overdue_digests()` (daily, `manage.py send_overdue_digests`) first recomputes the dossiers
whose open waits have passed their due date (a confirmed exam's date passes without anyone
writing), then enqueues one job per manager. The job reads the unit's overdue items when it
runs and sends through `send_once` keyed on the manager and the Paris day: a retry of the job,
or a second run of the command the same day, sends nothing more.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from connect.accounts.models import Role, User
from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.ball import side_words
from connect.dossiers.touch import touch_dossiers
from connect.jobs.queue import send_once
from connect.mail import MAIL_PRIORITY, deliver
from connect.mail import message_id as mail_message_id

# One e-mail stays readable: beyond, it says how many more and links to the inbox.
MAX_ITEMS = 200
RECOMPUTE_BATCH = 1000


@dataclass(frozen=True)
class OverdueItem:
    reference: str
    garage: str
    kind: str
    side: str
    label: str
    due_at: datetime
    path: str


def overdue_waits(unit_id: int, now: datetime | None = None):
    """The unit's open waits past their due date, the oldest due first (index wait_open_due)."""
    now = now or timezone.now()
    return (
        WaitPeriod.objects.filter(
            ended_at__isnull=True,
            due_at__lt=now,
            dossier__garage__unit_id=unit_id,
            dossier__archived=False,
        )
        .select_related("dossier__garage")
        .order_by("due_at", "id")
    )


def overdue_items(unit_id: int, now: datetime | None = None) -> tuple[list[OverdueItem], int]:
    waits = overdue_waits(unit_id, now)
    kinds = dict(WaitKind.choices)
    items = [
        OverdueItem(
            reference=period.dossier.reference,
            garage=period.dossier.garage.name,
            kind=kinds.get(period.kind, period.kind),
            side=side_words(period.side, firm=True),  # a manager reads as the firm
            label=period.label,
            due_at=period.due_at,
            path=reverse("dossier_detail", args=[period.dossier.code]),
        )
        for period in waits[:MAX_ITEMS]
    ]
    total = len(items) if len(items) < MAX_ITEMS else waits.count()
    return items, total


def refresh_lapsed(now: datetime | None = None) -> int:
    """Recompute the dossiers whose open waits are past due (their facts may have lapsed)."""
    now = now or timezone.now()
    ids = list(
        WaitPeriod.objects.filter(ended_at__isnull=True, due_at__lt=now)
        .values_list("dossier_id", flat=True)
        .distinct()
    )
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        with transaction.atomic():
            # The touch path, so that what follows the waits (the inbox's dates) follows too.
            touch_dossiers(ids[start : start + RECOMPUTE_BATCH])
    return len(ids)


def managers():
    return User.objects.filter(role=Role.MANAGER, is_active=True, unit__isnull=False).exclude(
        email=""
    )


def send_overdue_digests(today: date | None = None) -> int:
    """Enqueue today's digest of every unit manager; returns how many jobs were enqueued."""
    day = (today or timezone.localdate()).isoformat()
    refresh_lapsed()
    count = 0
    with transaction.atomic():
        for manager in managers().order_by("pk"):
            send_overdue_digest.enqueue(manager_id=manager.pk, day=day)
            count += 1
    return count


def delivery_key(manager_id: int, day: str) -> str:
    return f"overdue-digest:{manager_id}:{day}"


@task(priority=MAIL_PRIORITY)
def send_overdue_digest(*, manager_id: int, day: str) -> str:
    manager = managers().filter(pk=manager_id).first()
    if manager is None or manager.unit_id is None:
        return "no manager"
    items, total = overdue_items(manager.unit_id)
    if not items:
        return "nothing overdue"
    key = delivery_key(manager_id, day)
    message = _message(manager, items, total, key)
    return "sent" if send_once(key, lambda: deliver(message)) else "already sent"


def _message(manager, items, total, key) -> EmailMultiAlternatives:
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "FIRM_NAME": settings.FIRM_NAME,
        "PORTAL_URL": settings.PORTAL_URL,
        "unit": manager.unit,
        "items": items,
        "total": total,
        "more": total - len(items),
        "inbox_path": reverse("staff:inbox"),
    }
    template = "deadlines/email/overdue_digest"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [manager.email],
        headers={"Message-ID": mail_message_id(key.replace(":", "."))},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
