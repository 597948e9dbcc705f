import hashlib
import hmac
import secrets
import uuid
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

TOKEN_PREFIX = "crk"


class CurrentTransactionId(models.Func):
    """The id of the writing transaction on PostgreSQL; NULL elsewhere.

    The event feed serves only events whose transaction is older than every transaction still
    in flight, so that an event committed late can never fall behind a consumer's cursor.
    SQLite serialises writers, so there id order is commit order and no id is needed.
    """

    output_field = models.BigIntegerField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        return "NULL", ()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return "(pg_current_xact_id()::text::bigint)", ()


class Event(models.Model):
    """Something a repairer sent, for the core system to collect (GET /api/v1/events)."""

    kind = models.CharField(max_length=40)
    garage = models.ForeignKey(
        "accounts.Garage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict)
    # Codes of the documents the event carries; the feed turns them into download links.
    document_codes = models.JSONField(default=list, blank=True)
    txid = models.BigIntegerField(null=True, editable=False, db_default=CurrentTransactionId())
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["id"]
        indexes = [models.Index(fields=["txid", "id"], name="event_commit_order")]

    def __str__(self) -> str:
        return f"{self.id} {self.kind}"

    @property
    def cursor(self) -> str:
        return f"{self.txid or 0}.{self.id}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def authenticate(self, presented: str) -> "ApiToken | None":
        """The live token matching `presented`, or None (looked up by prefix, compared by hash)."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        token = self.filter(prefix=parts[1], revoked_at__isnull=True).first()
        if token is None or not hmac.compare_digest(token.key_hash, hash_key(presented)):
            return None
        return token


def hash_key(presented: str) -> str:
    # The key carries 256 random bits: a fast hash is enough, no stretching needed.
    return hashlib.sha256(presented.encode("utf-8", "replace")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the core claims system. Only its hash is stored."""

    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("préfixe", max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    webhook_url = models.URLField(
        "URL de notification",
        blank=True,
        help_text="Reçoit un avis signé (HMAC-SHA256) quand de nouveaux événements sont prêts.",
    )
    webhook_secret = models.CharField("secret de signature", max_length=64, blank=True)
    # A client's token (issue 27): reads only that client's dossiers through the clients' API
    # (connect/api/client_api.py), never the core system's; empty for the core system's.
    client = models.ForeignKey(
        "clients.Client",
        verbose_name="client",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @classmethod
    def issue(cls, name: str, *, webhook_url: str = "", client=None) -> tuple["ApiToken", str]:
        """Create a token (a client's when `client` is given); the plain key is returned once
        and never stored."""
        prefix = secrets.token_hex(4)
        presented = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            name=name,
            prefix=prefix,
            key_hash=hash_key(presented),
            webhook_url=webhook_url,
            webhook_secret=secrets.token_hex(32) if webhook_url else "",
            client=client,
        )
        return token, presented

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def touch(self) -> None:
        """Record use, at most once a minute, so that reads do not all turn into writes."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed on a repeat."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class BatchJob(models.Model):
    """A core-system batch accepted for later (POST /dossiers/batch over API_BATCH_SYNC_MAX
    items, or asked with `Prefer: respond-async`): answered 202 with its status URL, applied by
    a background worker (connect/api/batches.py), its outcome in its status and in the feed."""

    class State(models.TextChoices):
        QUEUED = "queued", "en attente"
        DONE = "done", "appliqué"
        FAILED = "failed", "refusé"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    items = models.PositiveIntegerField()
    # The batch's items as received (validated); emptied once applied.
    payload = models.JSONField(default=list)
    # BatchOut once done; the refusal's body (code, message, errors per item) once failed.
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lot en tâche de fond"
        verbose_name_plural = "lots en tâche de fond"

    def __str__(self) -> str:
        return f"{self.code} ({self.state})"
