"""Checklist workflows: the expert asks, the garage answers each item, the expert ticks it or
asks again. Each writer changes the items, touches the dossier (its ball is recomputed in the
same transaction) and records the event for the core system, all in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from connect.accounts.queries import repairers_of
from connect.api.events import record_event
from connect.checklists.models import AWAITING_GARAGE, ItemStatus, Request, RequestItem
from connect.documents.models import DocumentType, Origin
from connect.documents.services import add_document, files_deleted_on_failure
from connect.dossiers.touch import touch_dossiers
from connect.lib.idempotency import replay_or_write
from connect.mail import queue_email
from connect.push.models import PushKind
from connect.push.services import notify as push


@dataclass(frozen=True)
class ItemSpec:
    """One item to ask for: a catalogue type, a free label, or both."""

    label: str
    doc_type: str = ""


class ItemNotAwaited(Exception):
    """The item is no longer waiting for that move (answered, ticked meanwhile)."""


def create_request(
    *, dossier, by, items: Sequence[ItemSpec], thread=None, idempotency_key=None
) -> Request:
    """The expert's request: its items, all "requested". `thread` is the one it was asked from.
    A replayed `idempotency_key` returns the request it created (`KeyUsedElsewhere` when it was
    used on another dossier or by someone else). The garage's repairers are told at once
    (e-mail, and Web Push to those who opted in), in the same transaction."""
    return replay_or_write(
        Request.objects,
        idempotency_key,
        scope={"dossier": dossier, "created_by": by},
        write=lambda: _create_request(dossier, by, items, thread, idempotency_key),
    )


def _create_request(dossier, by, items: Sequence[ItemSpec], thread, key) -> Request:
    with transaction.atomic():
        # The keyed row first: a concurrent twin waits on its unique key, then replays it.
        request = Request.objects.create(
            dossier=dossier, thread=thread, created_by=by, idempotency_key=key
        )
        rows = RequestItem.objects.bulk_create(
            [
                RequestItem(
                    request=request, position=index, label=spec.label, doc_type=spec.doc_type
                )
                for index, spec in enumerate(items)
            ]
        )
        touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
        payload = _request_payload(request)
        payload["items"] = [_item_payload(item) for item in rows]
        record_event("request.created", payload=payload, dossier=dossier)
        _tell_the_garage(request, rows)
    return request


def _tell_the_garage(request: Request, items, *, reason: str = "") -> None:
    """A request (or an item asked again, with its `reason`) waits on the garage: e-mailed at
    once (a daily-digest choice would leave it unseen for a day) to every repairer of the
    garage but those who chose no e-mail."""
    dossier = request.dossier
    users = list(repairers_of(dossier.garage_id, notified=True))
    path = reverse("dossier_detail", kwargs={"code": dossier.code}) + "#checklist"
    context = {
        "dossier_reference": dossier.reference,
        "path": path,
        "reason": reason,
        "items": [item.label or item.get_doc_type_display() for item in items],
    }
    template = "checklists/email/asked_again" if reason else "checklists/email/request"
    for user in users:
        queue_email([user.email], template, context)
    push(
        user_ids=repairers_of(dossier.garage_id).values_list("pk", flat=True),
        kind=PushKind.CHECKLIST_REQUEST,
        dossier_reference=dossier.reference,
        url=path,
    )


def answer_item(*, item: RequestItem, by, note: str = "", files: Sequence = ()) -> RequestItem:
    """The garage's answer: a note and/or files, stored as documents of the dossier."""
    dossier = item.request.dossier
    now = timezone.now()
    with files_deleted_on_failure() as stored, transaction.atomic():
        item = _locked(item, AWAITING_GARAGE)
        documents = []
        for file in files:
            document = add_document(
                dossier=dossier,
                file=file,
                doc_type=item.doc_type or DocumentType.OTHER,
                title=item.label if not item.doc_type else "",
                origin=Origin.REPAIRER_MESSAGE,
                author=by,
                occurred_at=now,
            )
            stored.append(str(document.file.name))
            documents.append(document)
        item.documents.add(*documents)
        item.status, item.answered_at, item.answered_by = ItemStatus.ANSWERED, now, by
        if note.strip():
            item.note = note.strip()
        item.save(update_fields=["status", "answered_at", "answered_by", "note"])
        _changed("request_item.answered", item, dossier, documents=documents, note=item.note)
    return item


def mark_received(*, item: RequestItem, by) -> RequestItem:
    """The expert ticks an answered item as received."""
    with transaction.atomic():
        item = _locked(item, (ItemStatus.ANSWERED,))
        item.status, item.checked_at, item.checked_by = ItemStatus.RECEIVED, timezone.now(), by
        item.save(update_fields=["status", "checked_at", "checked_by"])
        _changed("request_item.received", item, item.request.dossier)
    return item


def ask_again(*, item: RequestItem, by, reason: str) -> RequestItem:
    """The expert asks again for an answered item, saying why; the garage answers anew and is
    told as for a request."""
    with transaction.atomic():
        item = _locked(item, (ItemStatus.ANSWERED,))
        item.status, item.checked_at, item.checked_by = ItemStatus.ASKED_AGAIN, timezone.now(), by
        item.asked_again_reason = reason.strip()
        item.save(update_fields=["status", "checked_at", "checked_by", "asked_again_reason"])
        _changed(
            "request_item.asked_again", item, item.request.dossier, reason=item.asked_again_reason
        )
        _tell_the_garage(item.request, [item], reason=item.asked_again_reason)
    return item


def _locked(item: RequestItem, allowed) -> RequestItem:
    # The row lock makes two answers (or an answer and a tick) take turns, never both win.
    fresh = RequestItem.objects.select_for_update().select_related("request").get(pk=item.pk)
    if fresh.status not in allowed:
        raise ItemNotAwaited
    fresh.request.dossier = item.request.dossier
    return fresh


def _changed(kind: str, item: RequestItem, dossier, documents=(), **extra) -> None:
    touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    payload = {**_request_payload(item.request), "item": _item_payload(item), **extra}
    record_event(kind, payload=payload, dossier=dossier, documents=documents)


def _request_payload(request: Request) -> dict:
    return {
        "request": str(request.code),
        "reference": request.dossier.reference,
        "thread": str(request.thread.code) if request.thread else None,
    }


def _item_payload(item: RequestItem) -> dict:
    return {
        "code": str(item.code),
        "label": item.label,
        "doc_type": item.doc_type,
        "status": item.status,
    }
