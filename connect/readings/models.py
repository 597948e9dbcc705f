import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import models

from connect.documents.models import Document
from connect.dossiers.models import Dossier


class Kind(models.TextChoices):
    """What a guided-capture shot shows, hence what is read on it (shot keys: SHOT_KINDS)."""

    PLATE = "plate", "Plaque"
    VIN = "vin", "N° de série (VIN)"
    ODOMETER = "odometer", "Compteur"


# The guided capture's shot keys (documents/shots.py) whose photo is read.
SHOT_KINDS = {"plaque": Kind.PLATE, "vin": Kind.VIN, "compteur": Kind.ODOMETER}


class Verdict(models.TextChoices):
    PENDING = "pending", "lecture en cours"
    MATCH = "match", "conforme"  # the plate (the VIN) is the dossier's
    MISMATCH = "mismatch", "différent"  # another plate (VIN)
    NO_REFERENCE = "no_reference", "lue, dossier sans immatriculation"
    VALID = "valid", "lu"  # a VIN of 17 valid signs
    READ = "read", "lu"  # an odometer, nothing earlier to compare with
    CONSISTENT = "consistent", "cohérent"  # at least the vehicle's earlier reading
    LOWER = "lower", "inférieur à un relevé antérieur"
    UNREADABLE = "unreadable", "illisible"
    FAILED = "failed", "lecture impossible"  # the engine failed or ran out of time


class ReadingQuerySet(models.QuerySet):
    def of_documents(self):
        return self.filter(document__isnull=False)


class Reading(models.Model):
    """What the portal read on one photo of a guided capture (readings/engine.py), and its
    verdict against the dossier. A photo of a message has one reading (`document`); a plate
    shot read on the phone before sending (a "probe") has its bytes until the worker read them.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="readings")
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="reading"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="demandé par",
    )
    probe = models.BinaryField("photo à lire avant l'envoi", null=True, blank=True, editable=False)
    kind = models.CharField("lecture", max_length=10, choices=Kind.choices)
    raw_text = models.TextField("texte lu", blank=True)
    value = models.CharField("valeur lue", max_length=40, blank=True)
    verdict = models.CharField(
        "verdict", max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    detail = models.CharField("précision", max_length=200, blank=True)
    confidence = models.FloatField("confiance", null=True, blank=True)
    engine = models.CharField("moteur", max_length=80, blank=True)
    cpu_ms = models.PositiveIntegerField("temps de calcul (ms)", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = "lecture"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The staff inbox's flag: the dossiers whose photos show another plate.
            models.Index(fields=["verdict", "kind", "dossier"], name="reading_verdict_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_verdict_display()}"

    @property
    def done(self) -> bool:
        return self.verdict != Verdict.PENDING

    @property
    def is_warning(self) -> bool:
        """What the expert should look at: another plate or VIN, an odometer gone backwards."""
        return self.verdict in (Verdict.MISMATCH, Verdict.LOWER)

    @property
    def text(self) -> str:
        """The verdict in the expert's words ("Plaque conforme", "Plaque différente : lue …")."""
        if self.verdict == Verdict.PENDING:
            return "Lecture de la photo en cours"
        if self.verdict == Verdict.FAILED:
            return f"Lecture impossible ({self.detail})" if self.detail else "Lecture impossible"
        return _TEXTS[self.kind](self)


def _plate_text(reading: Reading) -> str:
    texts: dict[str, str] = {
        Verdict.MATCH: "Plaque conforme",
        Verdict.MISMATCH: f"Plaque différente : lue {reading.value}",
        Verdict.NO_REFERENCE: f"Plaque lue : {reading.value} (dossier sans immatriculation)",
    }
    return texts.get(reading.verdict, "Plaque illisible")


def _vin_text(reading: Reading) -> str:
    if reading.verdict == Verdict.MATCH:
        return f"VIN conforme : {reading.value}"
    if reading.verdict == Verdict.MISMATCH:
        return f"VIN différent : lu {reading.value} ({reading.detail})"
    if reading.verdict != Verdict.VALID:
        return "VIN illisible"
    return (
        f"VIN lu : {reading.value} ({reading.detail})"
        if reading.detail
        else f"VIN lu : {reading.value}"
    )


def _odometer_text(reading: Reading) -> str:
    if reading.verdict == Verdict.UNREADABLE or not reading.value:
        return "Compteur illisible"
    km = f"{int(reading.value):,}".replace(",", "\u202f")
    if reading.verdict == Verdict.LOWER:
        return f"Compteur lu : {km} km, inférieur au {reading.detail} : à vérifier"
    if reading.verdict == Verdict.CONSISTENT:
        return f"Compteur lu : {km} km, cohérent avec les relevés précédents"
    return f"Compteur lu : {km} km"


_TEXTS: dict[str, Callable[[Reading], str]] = {
    Kind.PLATE: _plate_text,
    Kind.VIN: _vin_text,
    Kind.ODOMETER: _odometer_text,
}
