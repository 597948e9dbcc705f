"""What the Messages tab reads: threads with their unread state, messages with documents."""

from django.db.models import OuterRef, Prefetch, Subquery

from connect.documents.models import Document
from connect.messaging import subjects
from connect.messaging.models import ExamRequest, Message, Thread, ThreadRead


def threads_for(dossier, user) -> list[Thread]:
    read_at = ThreadRead.objects.filter(user_id=user.pk, thread=OuterRef("pk")).values("read_at")
    threads = list(
        Thread.objects.filter(dossier=dossier)
        .annotate(read_at=Subquery(read_at[:1]))
        .newest_first()
    )
    for thread in threads:
        thread.unread = thread.read_at is None or thread.last_message_at > thread.read_at
    return threads


def messages_of(thread) -> list[Message]:
    documents = Document.objects.order_by("id")
    return list(
        thread.messages.select_related("author")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("created_at", "id")
    )


def exams_of(dossier) -> list[ExamRequest]:
    return list(dossier.exam_requests.order_by("-requested_date", "-id"))


def last_invoice(dossier) -> Thread | None:
    return (
        Thread.objects.filter(dossier=dossier, subject=subjects.INVOICE.key)
        .order_by("-created_at")
        .first()
    )
