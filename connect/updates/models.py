from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

version_validator = RegexValidator(
    r"^\d{1,4}(\.\d{1,4}){1,3}$", "Numéro de version attendu au format 24.9.5."
)


class Audience(models.TextChoices):
    """Whom an update is written for: the firm's staff need not read "transmettre vos tarifs"."""

    REPAIRERS = "repairers", "Réparateurs"
    STAFF = "staff", "Cabinet"
    BOTH = "both", "Réparateurs et cabinet"


class ServiceUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_reader(self, user):
        """The updates written for this user's side (administrators read everything)."""
        if user.is_admin:
            return self
        side = Audience.REPAIRERS if user.is_repairer else Audience.STAFF
        return self.filter(audience__in=[side, Audience.BOTH])

    def newest_first(self):
        return self.order_by("-published_on", "-id")

    def with_seen_by(self, user):
        """Annotates `is_seen`: whether `user` ticked "Marquer comme lu" on each update."""
        seen = ServiceUpdateSeen.objects.filter(update=OuterRef("pk"), user=user)
        return self.annotate(is_seen=Exists(seen))

    def unseen_by(self, user):
        return (
            self.published().for_reader(user).with_seen_by(user).filter(is_seen=False)
        ).newest_first()


class ServiceUpdate(models.Model):
    """Release notes ("Mises à jour du service") shown to users after login until read."""

    version = models.CharField(
        "version", max_length=20, unique=True, validators=[version_validator]
    )
    published_on = models.DateField("date", default=timezone.localdate)
    title = models.CharField("titre", max_length=150)
    body = models.TextField(
        "texte", help_text="Markdown : **gras**, *italique*, listes, liens http(s) et mailto."
    )
    audience = models.CharField(
        "destinataires", max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    is_published = models.BooleanField(
        "publiée", default=False, help_text="Une mise à jour non publiée est un brouillon."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = "mise à jour du service"
        verbose_name_plural = "mises à jour du service"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.version} · {self.title}"


class ServiceUpdateSeen(models.Model):
    """One user ticked "Marquer comme lu" on one update."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    update = models.ForeignKey(ServiceUpdate, on_delete=models.CASCADE, related_name="seen_rows")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mise à jour vue"
        constraints = [
            models.UniqueConstraint(fields=["user", "update"], name="service_update_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.update.version}"
