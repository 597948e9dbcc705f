"""What the Messages tab reads: threads with their unseen state, messages with documents."""

from django.db.models import OuterRef, Prefetch, Subquery

from connect.documents.models import Document
from connect.dossiers.panels import has_rows
from connect.messaging import subjects
from connect.messaging.models import ExamRequest, Message, Thread, ThreadSeen


def threads_for(dossier, user) -> list[Thread]:
    seen_at = ThreadSeen.objects.filter(user_id=user.pk, thread=OuterRef("pk")).values("seen_at")
    threads = list(
        Thread.objects.filter(dossier=dossier)
        .annotate(seen_at=Subquery(seen_at[:1]))
        .newest_first()
    )
    for thread in threads:
        thread.unseen = thread.seen_at is None or thread.last_message_at > thread.seen_at
    return threads


def messages_of(thread) -> list[Message]:
    documents = Document.objects.order_by("id")
    return list(
        thread.messages.select_related("author")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("created_at", "id")
    )


def exams_of(dossier) -> list[ExamRequest]:
    if not has_rows(dossier, "exam_requests"):
        return []
    return list(dossier.exam_requests.order_by("-requested_date", "-id"))


def last_invoice(dossier) -> Thread | None:
    if not has_rows(dossier, "threads"):
        return None
    return (
        Thread.objects.filter(dossier=dossier, subject=subjects.INVOICE.key)
        .order_by("-created_at")
        .first()
    )
