import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.accounts.models import Unit
from connect.dossiers.models import Dossier
from connect.messaging.subjects import (
    EXAM_KIND_LABELS,
    SUBJECT_CHOICES,
    RoutedRole,
    agree,
    get_subject,
)


class Side(models.TextChoices):
    REPAIRER = "repairer", "Réparateur"
    FIRM = "firm", "Cabinet"


class ThreadStatus(models.TextChoices):
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clos"


class ThreadQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-last_message_at", "-id")


class Thread(models.Model):
    """A conversation on a dossier about one subject, routed to a person or a unit's pool."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField("objet", max_length=30, choices=SUBJECT_CHOICES)
    requester = models.CharField("demandeur", max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_role = models.CharField("destinataire", max_length=10, choices=RoutedRole.choices)
    # None: the pool of `routed_role` in `unit` (the dossier had nobody assigned).
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routed_threads",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="threads")
    status = models.CharField(max_length=10, choices=ThreadStatus.choices, default="open")
    has_documents = models.BooleanField(default=False)
    created_at = models.DateTimeField("création", default=timezone.now)
    last_message_at = models.DateTimeField("dernier message", default=timezone.now)
    # When the firm's answer (or the exam's confirmation) is due: the thread's open wait on the
    # firm (deadlines.WaitPeriod), followed through the touch path (messaging/waits.py) so that
    # the staff inbox reads its open threads by due date on an index.
    due_at = models.DateTimeField("échéance", null=True, blank=True, editable=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = "fil de messages"
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "-last_message_at"], name="thread_dossier_last"),
            models.Index(fields=["unit", "routed_role", "status"], name="thread_pool"),
            # Staff inbox: the open threads (a small working set) in recency order, for every
            # role of the unit; and the whole history of a role's threads in recency order.
            models.Index(
                fields=["unit", "-last_message_at", "-id"],
                condition=models.Q(status="open"),
                name="thread_inbox_open",
            ),
            models.Index(
                fields=["unit", "routed_role", "-last_message_at", "-id"],
                name="thread_inbox_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} · {self.dossier_id}"

    @property
    def subject_rules(self):
        return get_subject(self.subject)

    @property
    def subject_label(self) -> str:
        return self.get_subject_display()

    @property
    def is_open(self) -> bool:
        return self.status == ThreadStatus.OPEN


class Message(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # None: written by the core claims system.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField("message", blank=True)
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="messages")
    # The composer's hidden token: a replayed submit finds the message it already created.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_date")]

    def __str__(self) -> str:
        return f"{self.thread_id} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_firm(self) -> bool:
        return self.side == Side.FIRM


class ThreadSeen(models.Model):
    """When a user last saw a thread (the list's unseen marks)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="seen_rows")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="thread_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.thread_id}"


class ExamStatus(models.TextChoices):
    REQUESTED = "requested", "Demandé"
    CONFIRMED = "confirmed", "Confirmé"
    DECLINED = "declined", "Refusé"


class ExamRequest(models.Model):
    """A field exam or a VE follow-up exam the repairer asked for; the firm confirms it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="exam_requests")
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="exam_request")
    kind = models.CharField(
        "examen", max_length=10, choices=[(k.value, label) for k, label in EXAM_KIND_LABELS.items()]
    )
    requested_date = models.DateField("date souhaitée")
    reason = models.TextField("motif", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ExamStatus.choices, default=ExamStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the firm (staff workspace) through services.confirm_exam / decline_exam.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("date confirmée", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "demande d'examen"
        ordering = ["requested_date", "id"]
        indexes = [models.Index(fields=["dossier", "status"], name="exam_dossier_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_date}"

    @property
    def requested_word(self) -> str:
        """ "demandée" after "Expertise terrain", "demandé" after "Examen …"."""
        return agree("demandé", self.kind)

    @property
    def status_display(self) -> str:
        """The status agreed with the exam: "Expertise terrain · Confirmée"."""
        return agree(self.get_status_display(), self.kind)


class PendingNotification(models.Model):
    """A message, or a document the firm published, waiting for its recipient's daily digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "message"], name="pending_notification_unique"),
            models.UniqueConstraint(fields=["user", "document"], name="pending_document_unique"),
        ]
        indexes = [models.Index(fields=["sent_at", "user"], name="pending_unsent")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.message_id or self.document_id}"
