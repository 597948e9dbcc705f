"""Who hears about a new message, and when (immediately, in the daily digest, or never).

A repairer's message goes to the person the thread is routed to, or to the unit's pool of that
role; a message from the firm goes to the users of the dossier's garage. Each recipient gets
their own e-mail (no address is shown to another), queued in the caller's transaction: a worker
sends it only once the message has committed. E-mails carry the dossier reference, the subject
and a link, never the message body or the insured's name.
"""

from itertools import groupby

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import NotificationMode, NotificationPreference, User
from connect.accounts.queries import repairers_of
from connect.mail import queue_email
from connect.messaging.models import ExamRequest, Message, PendingNotification, Side
from connect.push.models import PushKind
from connect.push.services import notify as push


def recipients(message) -> list[User]:
    thread = message.thread
    if message.side == Side.REPAIRER:
        if thread.routed_to is not None and thread.routed_to.is_active:
            return [thread.routed_to]
        users = User.objects.filter(role=thread.routed_role, unit_id=thread.unit_id, is_active=True)
    else:
        users = repairers_of(thread.dossier.garage_id)
    if message.author_id:
        users = users.exclude(pk=message.author_id)
    return list(users.order_by("pk"))


def modes(users) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users).values_list("user_id", "mode")
    )
    return {user.pk: chosen.get(user.pk, NotificationMode.IMMEDIATE) for user in users}


def notify_new_message(message, *, documents=()) -> None:
    """`documents`: what the message's files became, counted in the e-mail."""
    users = recipients(message)
    mode_of = modes(users)
    for user in users:
        if mode_of[user.pk] == NotificationMode.IMMEDIATE:
            context = {**_context(message, user), "document_count": len(documents)}
            queue_email([user.email], "messaging/email/new_message", context)
        elif mode_of[user.pk] == NotificationMode.DAILY:
            PendingNotification.objects.create(user=user, message=message)
    if message.side == Side.FIRM:
        # Pushed whatever the e-mail mode: each channel is chosen on its own.
        push(
            user_ids=[user.pk for user in users],
            kind=_push_kind(message),
            dossier_reference=message.thread.dossier.reference,
            url=thread_url(message),
        )


def thread_url(message) -> str:
    thread = message.thread
    return reverse(
        "messaging:thread", kwargs={"code": thread.dossier.code, "thread_code": thread.code}
    )


def _context(message, user) -> dict:
    thread = message.thread
    return {
        "user": user,
        "dossier_reference": thread.dossier.reference,
        "subject_label": thread.subject_label,
        "from_firm": message.side == Side.FIRM,
        "garage_name": thread.dossier.garage.name,
        "path": thread_url(message),
    }


def notify_documents_published(*, dossier, documents) -> None:
    """The firm or the core system published `documents`: tell the garage's users.

    For the documents app and the API to call inside the transaction that adds the documents.
    """
    documents = list(documents)
    if not documents:
        return
    users = list(repairers_of(dossier.garage_id))
    mode_of = modes(users)
    path = reverse("dossier_detail", kwargs={"code": dossier.code})
    for user in users:
        if mode_of[user.pk] == NotificationMode.IMMEDIATE:
            context = {
                "dossier_reference": dossier.reference,
                "path": path,
                "documents": [d.label for d in documents],
            }
            queue_email([user.email], "messaging/email/new_documents", context)
        elif mode_of[user.pk] == NotificationMode.DAILY:
            PendingNotification.objects.bulk_create(
                [PendingNotification(user=user, document=d) for d in documents],
                ignore_conflicts=True,
            )
    push(
        user_ids=[user.pk for user in users],
        kind=PushKind.DOCUMENT_PUBLISHED,
        dossier_reference=dossier.reference,
        url=path,
    )


def _push_kind(message) -> str:
    """Staff announce an exam's confirmation or refusal with a message in its thread: that
    message is pushed as the decision (one notification, not a reply and a decision)."""
    try:
        exam = message.thread.exam_request
    except ExamRequest.DoesNotExist:
        return PushKind.FIRM_REPLY
    if exam.decided_at is None:
        return PushKind.FIRM_REPLY
    earlier = Message.objects.filter(
        thread_id=message.thread_id, side=Side.FIRM, created_at__gte=exam.decided_at
    ).exclude(pk=message.pk)
    return PushKind.FIRM_REPLY if earlier.exists() else PushKind.EXAM_DECIDED


def _digest_line(item, user) -> dict:
    if item.message is not None:
        return {**_context(item.message, user), "at": item.message.created_at}
    document = item.document
    return {
        "dossier_reference": document.dossier.reference,
        "subject_label": f"Nouveau document : {document.label}",
        "path": reverse("dossier_detail", kwargs={"code": document.dossier.code}),
        "at": document.occurred_at,
    }


def send_daily_digests(*, now=None) -> int:
    """One e-mail per user with unsent digest items; returns how many e-mails were queued."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        pending = list(
            PendingNotification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sent_at__isnull=True)
            .select_related("user", "message__thread__dossier__garage", "document__dossier")
            .order_by("user_id", "id")
        )
        for user, group in groupby(pending, key=lambda item: item.user):
            items = list(group)
            if user.is_active:
                lines = [_digest_line(item, user) for item in items]
                queue_email([user.email], "messaging/email/digest", {"user": user, "items": lines})
                sent += 1
            PendingNotification.objects.filter(pk__in=[item.pk for item in items]).update(
                sent_at=now
            )
    return sent
