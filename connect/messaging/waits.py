"""What the firm and the garage wait on in messaging: messages, exams, EAD material.

Read from the data as it is stored (each source: a fixed number of queries for any batch):

- MESSAGE_ANSWER (firm): an open thread whose last repairer message came after the firm's last
  message. "Answered" is a firm message (staff or the core system) in the thread, or the
  thread closed. Since: the repairer's first message after the firm's last one. Not counted:
  "Facture définitive" threads (the invoice's validation is the invoices' wait) and an exam
  thread while its request waits for confirmation (the confirmation is the answer; after the
  decision, a new repairer message waits for an answer again); likewise the decision on the
  thread's supplement answers its message (a later repairer message waits again).
- EXAM_CONFIRMATION (firm): an exam request still "requested", since it was made.
- EXAM_TO_ATTEND (garage): a confirmed exam still to come, since its confirmation, due at the
  exam's time. When the time passes nothing is written: the daily digest recomputes the
  dossiers whose exam wait is past its date (deadlines.digest).
- EAD_ASSESSMENT (firm): on an EAD dossier, photos or an estimate the repairer sent after the
  firm's last document. "Assessed" is a document the firm or the core system published after
  them (the dossier's `last_document_at`: the pre-report, the report, a letter). What answers
  an item of the expert's checklist is not counted: its check is COMPLEMENT_CHECK, which
  ticking the item "reçu" ends.
- EAD_MATERIAL_AWAITED (garage): an EAD dossier the core system marks "en attente EAD" on which
  the repairer has sent no photo or estimate yet.

`follow_waits` (a touch listener, after the deadlines' recompute) copies the due date of each
thread's open wait on the firm onto `Thread.due_at`, in the same transaction: the staff
inbox's index, never written elsewhere.
"""

from collections.abc import Collection
from datetime import datetime

from django.db.models import Exists, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from connect.checklists.models import RequestItem
from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import Wait, WaitKind, source
from connect.documents.models import Document, DocumentType, Origin
from connect.dossiers.models import Ball, Dossier
from connect.dossiers.touch import on_dossiers_touched
from connect.lib.ids import any_of
from connect.messaging.models import ExamRequest, ExamStatus, Message, Side, Thread, ThreadStatus
from connect.messaging.subjects import INVOICE, get_subject
from connect.supplements.models import SupplementDecision

EAD_MATERIAL = (DocumentType.PHOTO, DocumentType.QUOTE)
ITEM_DOCUMENTS = RequestItem.documents.through


def thread_key(thread_id: int, what: str = "") -> str:
    """The waits of a thread: "thread:<id>" (its answer), "thread:<id>:exam" (its exam's
    confirmation), "thread:<id>:attend" (the exam itself); the staff inbox sorts on them."""
    return f"thread:{thread_id}:{what}" if what else f"thread:{thread_id}"


def _label(subject_key: str) -> str:
    subject = get_subject(subject_key)
    return subject.label if subject else subject_key


@source
def unanswered_messages(dossier_ids: Collection[int]) -> list[Wait]:
    threads = (
        Thread.objects.filter(dossier_id__in=any_of(dossier_ids), status=ThreadStatus.OPEN)
        .exclude(subject=INVOICE.key)
        .annotate(
            last_firm=Max("messages__created_at", filter=Q(messages__side=Side.FIRM)),
            last_repairer=Max("messages__created_at", filter=Q(messages__side=Side.REPAIRER)),
            exam_status=F("exam_request__status"),
            exam_decided_at=F("exam_request__decided_at"),
            supplement_decided_at=Subquery(
                SupplementDecision.objects.filter(supplement__thread_id=OuterRef("pk"))
                .order_by("-decided_at")
                .values("decided_at")[:1]
            ),
        )
        .filter(last_repairer__isnull=False)
        .values_list(
            "pk",
            "dossier_id",
            "subject",
            "last_firm",
            "last_repairer",
            "exam_status",
            "exam_decided_at",
            "supplement_decided_at",
        )
    )
    waiting = {}
    for pk, dossier_id, subject, last_firm, last_repairer, exam, decided, settled in threads:
        if exam == ExamStatus.REQUESTED:
            continue
        moments = (last_firm, decided, settled)
        answered = max((moment for moment in moments if moment), default=None)
        if answered is None or last_repairer > answered:
            waiting[pk] = (dossier_id, subject, answered)
    if not waiting:
        return []
    firsts: dict[int, datetime] = {}
    messages = Message.objects.filter(thread_id__in=list(waiting), side=Side.REPAIRER)
    for thread_id, created_at in messages.values_list("thread_id", "created_at"):
        answered = waiting[thread_id][2]
        if (answered is None or created_at > answered) and (
            thread_id not in firsts or created_at < firsts[thread_id]
        ):
            firsts[thread_id] = created_at
    return [
        Wait(
            dossier_id,
            WaitKind.MESSAGE_ANSWER,
            firsts[pk],
            key=thread_key(pk),
            subject=subject,
            label=_label(subject),
        )
        for pk, (dossier_id, subject, _answered) in waiting.items()
        if pk in firsts
    ]


@source
def exams(dossier_ids: Collection[int]) -> list[Wait]:
    now = timezone.now()
    rows = ExamRequest.objects.filter(
        Q(status=ExamStatus.REQUESTED) | Q(status=ExamStatus.CONFIRMED, confirmed_at__gt=now),
        dossier_id__in=any_of(dossier_ids),
    ).values_list(
        "thread_id",
        "dossier_id",
        "kind",
        "status",
        "created_at",
        "decided_at",
        "confirmed_at",
        "thread__subject",
    )
    waits = []
    for thread_id, dossier_id, kind, status, created_at, decided_at, confirmed_at, subject in rows:
        label = ExamRequest(kind=kind).get_kind_display()
        if status == ExamStatus.REQUESTED:
            waits.append(
                Wait(
                    dossier_id,
                    WaitKind.EXAM_CONFIRMATION,
                    created_at,
                    key=thread_key(thread_id, "exam"),
                    subject=subject,
                    label=label,
                )
            )
        else:
            waits.append(
                Wait(
                    dossier_id,
                    WaitKind.EXAM_TO_ATTEND,
                    decided_at or created_at,
                    key=thread_key(thread_id, "attend"),
                    subject=subject,
                    label=label,
                    due_at=confirmed_at,
                )
            )
    return waits


def _material():
    return Document.objects.filter(origin=Origin.REPAIRER_MESSAGE, doc_type__in=EAD_MATERIAL)


@source
def ead(dossier_ids: Collection[int]) -> list[Wait]:
    sent = (
        _material()
        .filter(dossier_id__in=any_of(dossier_ids), dossier__remote_assessment=True)
        .filter(
            Q(dossier__last_document_at__isnull=True)
            | Q(created_at__gt=F("dossier__last_document_at"))
        )
        # What answers a requested item is checked through the checklist (COMPLEMENT_CHECK).
        .exclude(Exists(ITEM_DOCUMENTS.objects.filter(document_id=OuterRef("pk"))))
        .values("dossier_id")
        .annotate(first=Min("created_at"))
        .order_by()
        .values_list("dossier_id", "first")
    )
    waits = [
        Wait(
            pk,
            WaitKind.EAD_ASSESSMENT,
            first,
            key="dossier:ead-assessment",
            label="Dossier EAD envoyé",
        )
        for pk, first in sent
    ]
    awaited = (
        Dossier.objects.filter(
            pk__in=any_of(dossier_ids), remote_assessment=True, awaiting_ead=True
        )
        .exclude(Exists(_material().filter(dossier_id=OuterRef("pk"))))
        .values_list("pk", "updated_at")
    )
    waits += [
        Wait(
            pk,
            WaitKind.EAD_MATERIAL_AWAITED,
            since,
            key="dossier:ead-material",
            label="Photos et devis EAD",
        )
        for pk, since in awaited
    ]
    return waits


@on_dossiers_touched
def follow_waits(dossier_ids: list[int]) -> None:
    """Thread.due_at := the earliest due date of the thread's open waits on the firm. Runs
    after the deadlines' recompute: listeners run in INSTALLED_APPS order, which follows the
    layers (deadlines before messaging)."""
    due: dict[int, datetime] = {}
    waits = WaitPeriod.objects.filter(
        dossier_id__in=any_of(dossier_ids),
        ended_at__isnull=True,
        side=Ball.FIRM,
        key__startswith="thread:",
    ).values_list("key", "due_at")
    for key, due_at in waits:
        thread_id = int(key.split(":")[1])
        if due_at is not None and (thread_id not in due or due_at < due[thread_id]):
            due[thread_id] = due_at
    threads = Thread.objects.filter(dossier_id__in=any_of(dossier_ids)).filter(
        Q(due_at__isnull=False) | Q(pk__in=list(due))
    )
    changed = []
    for thread in threads.only("pk", "due_at"):
        if thread.due_at != due.get(thread.pk):
            thread.due_at = due.get(thread.pk)
            changed.append(thread)
    if changed:
        Thread.objects.bulk_update(changed, ["due_at"], batch_size=500)
