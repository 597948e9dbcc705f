"""Messaging workflows: open a thread, reply, request an exam, and the firm's side of exams.

A message and all its files are stored together or not at all. Files are written to storage
inside the transaction (storage cannot join it): when anything fails before the commit, the
files written so far are deleted at once (`documents.services.files_deleted_on_failure`);
the documents app's sweep is the second line. A replayed submit (same idempotency key)
returns the message the first one created and writes nothing (`connect.lib.idempotency`); its
key replayed on another thread or dossier, or by another person, is refused (`KeyUsedElsewhere`).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone

from connect.api.events import record_event
from connect.documents.models import Document, Origin
from connect.documents.provenance import Provenance
from connect.documents.services import add_document, files_deleted_on_failure
from connect.dossiers.models import Dossier, StepKind
from connect.dossiers.novelty import mark_messages_seen
from connect.dossiers.services import add_step
from connect.dossiers.touch import touch_dossiers
from connect.invoices.services import receive_invoice
from connect.lib.idempotency import replay_or_write
from connect.lib.working_days import working_days
from connect.messaging import notifications
from connect.messaging.models import (
    ExamRequest,
    ExamStatus,
    Message,
    Side,
    Thread,
    ThreadSeen,
)
from connect.messaging.subjects import (
    FIELD_EXAM,
    FIRM_SUBJECT,
    INVOICE,
    VE_FOLLOW_UP,
    ExamKind,
    Subject,
    get_subject,
)
from connect.readings.services import schedule_readings
from connect.supplements.services import SupplementDraft, submit_supplement

EXAM_WEEKS = 4


@dataclass(frozen=True)
class Attachment:
    """An uploaded file and the document type it will be stored under (already decided), with
    its provenance when it comes from the guided capture."""

    file: object
    doc_type: str
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Written:
    """A message just written and the documents its files became (in the attachments' order):
    what the event, the invoice, the supplement and the e-mail read."""

    message: Message
    attached: list[Document]


@dataclass(frozen=True)
class Exam:
    kind: ExamKind
    requested_date: date
    reason: str = ""


def visit_dates(garage, *, today: date | None = None, weeks: int = EXAM_WEEKS) -> list[date]:
    """The expert's visit days at `garage` from tomorrow over the next `weeks` weeks, public
    holidays left out."""
    today = today or timezone.localdate()
    return list(working_days(today, days=weeks * 7, weekdays=garage.visit_days or ()))


def route(dossier: Dossier, subject: Subject):
    """The person a subject goes to on this dossier; None means the unit's pool of that role."""
    return getattr(dossier, subject.routed_to.value)


def open_thread(
    *,
    dossier: Dossier,
    subject_key: str,
    author,
    body: str = "",
    attachments: Sequence[Attachment] = (),
    idempotency_key: uuid.UUID | None = None,
    exam: Exam | None = None,
    supplement: SupplementDraft | None = None,
) -> Message:
    """Open a thread with its first message (repairer, firm staff, or the core system: None).
    An "Evolution méthodologie" with `supplement` creates the Supplement in the same
    transaction, the message's files as its PDF and photos."""
    subject = get_subject(subject_key)
    return replay_or_write(
        Message.objects.select_related("thread"),
        idempotency_key,
        scope={"thread__dossier": dossier, "author": author},
        write=lambda: _open(
            dossier, subject, author, body, attachments, idempotency_key, exam, supplement
        ),
    )


def post_message(
    *,
    thread: Thread,
    author,
    body: str = "",
    attachments: Sequence[Attachment] = (),
    idempotency_key: uuid.UUID | None = None,
) -> Message:
    """Reply in an existing thread."""
    return replay_or_write(
        Message.objects.select_related("thread"),
        idempotency_key,
        scope={"thread": thread, "author": author},
        write=lambda: _post(thread, author, body, attachments, idempotency_key),
    )


def request_field_exam(*, dossier, requested_date, reason, **message) -> Message:
    """A "Demande expertise terrain"; `message`: author, body, attachments, idempotency_key."""
    exam = Exam(ExamKind.FIELD, requested_date, reason.strip())
    return open_thread(dossier=dossier, subject_key=FIELD_EXAM.key, exam=exam, **message)


def request_ve_exam(*, dossier, kind: ExamKind, requested_date, **message) -> Message:
    """ "Examen pendant travaux" / "Examen après travaux" on a VE dossier."""
    exam = Exam(ExamKind(kind), requested_date)
    return open_thread(dossier=dossier, subject_key=VE_FOLLOW_UP.key, exam=exam, **message)


@transaction.atomic
def confirm_exam(*, exam: ExamRequest, by, at: datetime) -> ExamRequest:
    """The firm confirms an exam for `at`: the dossier's appointment (it enters "Examens à
    venir"), a step of the dossier, and a message in the exam's thread tells the garage."""
    exam.status, exam.decided_by, exam.decided_at = ExamStatus.CONFIRMED, by, timezone.now()
    exam.confirmed_at = at
    exam.save(update_fields=["status", "decided_by", "decided_at", "confirmed_at"])
    Dossier.objects.filter(pk=exam.dossier_id).update(appointment_at=at)
    touch_dossiers([exam.dossier_id], garage_ids=[exam.dossier.garage_id])
    local = timezone.localtime(at)
    when = f"le {formats.date_format(local, 'l j F Y')} à {local:%H:%M}"
    label = exam.get_kind_display()
    add_step(
        dossier=exam.dossier,
        kind=StepKind.APPOINTMENT,
        label=f"Rendez-vous : {label} {when}",
        occurred_at=at,
    )
    post_message(thread=exam.thread, author=by, body=f"{label} confirmé {when}.")
    return exam


@transaction.atomic
def decline_exam(*, exam: ExamRequest, by, reason: str) -> ExamRequest:
    """The firm declines an exam; a message in its thread gives the garage the reason."""
    exam.status, exam.decided_by, exam.decided_at = ExamStatus.DECLINED, by, timezone.now()
    exam.decline_reason = reason
    exam.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    touch_dossiers([exam.dossier_id], garage_ids=[exam.dossier.garage_id])
    body = f"{exam.get_kind_display()} : demande refusée. Motif : {reason}"
    post_message(thread=exam.thread, author=by, body=body)
    return exam


def mark_thread_seen(*, user, thread: Thread, at: datetime | None = None) -> None:
    ThreadSeen.objects.bulk_create(
        [ThreadSeen(user=user, thread=thread, seen_at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "thread"],
        update_fields=["seen_at"],
    )


def mark_dossier_messages_seen(*, user, dossier: Dossier) -> None:
    mark_messages_seen(user, dossier)


# Internals ---------------------------------------------------------------------------------


def _side(author) -> Side:
    return Side.REPAIRER if author is not None and author.is_repairer else Side.FIRM


def _open(dossier, subject, author, body, attachments, key, exam, supplement=None) -> Message:
    subject = subject or FIRM_SUBJECT
    side = _side(author)
    now = timezone.now()
    with files_deleted_on_failure() as stored, transaction.atomic():
        thread = Thread.objects.create(
            dossier=dossier,
            subject=subject.key,
            requester=side,
            created_by=author,
            routed_role=subject.routed_to.value,
            routed_to=route(dossier, subject),
            unit_id=dossier.garage.unit_id,
            created_at=now,
            last_message_at=now,
        )
        written = _write(thread, author, side, body, attachments, key, stored, now)
        exam_request = None
        if exam is not None:
            exam_request = ExamRequest.objects.create(
                dossier=dossier,
                thread=thread,
                kind=exam.kind.value,
                requested_date=exam.requested_date,
                reason=exam.reason,
                requested_by=author,
            )
        if supplement is not None:
            submit_supplement(
                dossier=dossier,
                by=author,
                draft=supplement,
                thread=thread,
                documents=written.attached,
            )
        _after_write(written, exam_request)
    return written.message


def _post(thread, author, body, attachments, key) -> Message:
    side = _side(author)
    now = timezone.now()
    with files_deleted_on_failure() as stored, transaction.atomic():
        written = _write(thread, author, side, body, attachments, key, stored, now)
        Thread.objects.filter(pk=thread.pk).update(
            last_message_at=now, has_documents=thread.has_documents or bool(attachments)
        )
        thread.last_message_at = now
        _after_write(written, None)
    return written.message


def _write(thread, author, side, body, attachments, key, stored, now) -> Written:
    # The message row first: a concurrent replay blocks on its unique key, then fails cleanly.
    message = Message.objects.create(
        thread=thread,
        author=author,
        side=side,
        body=body.strip(),
        idempotency_key=key,
        created_at=now,
    )
    origin = (
        Origin.REPAIRER_MESSAGE
        if side == Side.REPAIRER
        else (Origin.FIRM if author is not None else Origin.CORE_SYSTEM)
    )
    documents = []
    for attachment in attachments:
        document = add_document(
            dossier=thread.dossier,
            file=attachment.file,
            doc_type=attachment.doc_type,
            origin=origin,
            author=author,
            occurred_at=now,
            provenance=attachment.provenance,
        )
        stored.append(document.file.name)
        documents.append(document)
    if documents:
        message.documents.add(*documents)
        # The plate, VIN and odometer shots are read off the request path (connect/readings).
        schedule_readings(documents)
        if not thread.has_documents:
            Thread.objects.filter(pk=thread.pk).update(has_documents=True)
            thread.has_documents = True
    if author is not None:
        mark_thread_seen(user=author, thread=thread, at=now)
    return Written(message, documents)


def _after_write(written: Written, exam_request: ExamRequest | None) -> None:
    message = written.message
    thread = message.thread
    dossier = thread.dossier
    if message.side == Side.FIRM:
        Dossier.objects.filter(pk=dossier.pk).update(last_message_at=message.created_at)
        dossier.last_message_at = message.created_at
    else:
        _record(written, exam_request)
        if thread.subject == INVOICE.key and written.attached:
            # The invoice's life until it is paid starts here (connect/invoices).
            receive_invoice(
                dossier=dossier,
                document=written.attached[0],
                at=message.created_at,
                by=message.author,
            )
    # Either side's message moves the ball (an answer awaited, or given).
    touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    notifications.notify_new_message(message, documents=written.attached)


def _record(written: Written, exam_request: ExamRequest | None) -> None:
    message = written.message
    thread = message.thread
    payload: dict[str, object] = {
        "thread": str(thread.code),
        "message": str(message.code),
        "subject": thread.subject,
        "subject_label": thread.subject_label,
        "body": message.body,
        "routed_role": thread.routed_role,
        "routed_to": thread.routed_to.email if thread.routed_to else None,
        "author": message.author.email if message.author else None,
    }
    kind = "message.created"
    if exam_request is not None:
        kind = "exam.requested"
        payload["exam"] = {
            "code": str(exam_request.code),
            "kind": exam_request.kind,
            "requested_date": exam_request.requested_date.isoformat(),
            "reason": exam_request.reason,
        }
    elif thread.subject == INVOICE.key:
        kind = "invoice.sent"
    record_event(kind, payload=payload, dossier=thread.dossier, documents=written.attached)
