import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


def between(low: str, high: str, unit: str) -> list:
    """Both bounds of an amount, with one French message naming the allowed range."""
    message = f"Indiquez une valeur entre {low.replace('.', ',')} et {high} {unit}."
    message = message.replace("%", "%%")  # validator messages are %-formatted with params
    return [
        MinValueValidator(Decimal(low), message=message),
        MaxValueValidator(Decimal(high), message=message),
    ]


HOURLY = between("0.01", "500", "€")  # an hourly rate is never free nor above 500 €
PERCENT = between("0", "100", "%")
FLAT_PRICE = between("0.01", "20000", "€")


def rate(label: str, *, optional: bool = False, validators=HOURLY, help_text: str = ""):
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        validators=validators,
        null=optional,
        blank=optional,
        help_text=help_text,
    )


def board_path(card: "RateCard", filename: str) -> str:
    """Generated name: the user's file name never reaches the file system."""
    extension = card.board_extension or ".bin"
    return f"tariffs/{card.garage_id}/{uuid.uuid4().hex}{extension}"


class TaxBasis(models.TextChoices):
    EXCL = "HT", "HT (hors taxes)"
    INCL = "TTC", "TTC (toutes taxes comprises)"


class RateCardQuerySet(models.QuerySet):
    def effective(self, *, today=None):
        return self.filter(effective_on__lte=today or timezone.localdate())

    def latest_first(self):
        return self.order_by("-effective_on", "-version")

    def current_for(self, garage, *, today=None):
        """The card in force: the latest effective one (a future-dated card waits its day)."""
        return self.filter(garage=garage).effective(today=today).latest_first().first()


class RateCard(models.Model):
    """One version of a garage's public rate card (arrêté du 27 mars 1987); never edited."""

    garage = models.ForeignKey(
        "accounts.Garage", on_delete=models.CASCADE, related_name="rate_cards"
    )
    version = models.PositiveIntegerField("version")
    effective_on = models.DateField("date d'effet")
    tax_basis = models.CharField("prix affichés", max_length=3, choices=TaxBasis.choices)
    labour_t1 = rate("taux horaire T1", help_text="Main-d'œuvre tôlerie, difficulté 1.")
    labour_t2 = rate("taux horaire T2", help_text="Difficulté 2.")
    labour_t3 = rate("taux horaire T3", help_text="Difficulté 3.")
    paint_labour = rate("taux horaire peinture")
    paint_opaque = rate("ingrédients peinture opaque", help_text="Par heure de peinture.")
    paint_varnished = rate(
        "ingrédients peinture vernie / métallisée", help_text="Par heure de peinture."
    )
    paint_pearl = rate("ingrédients peinture nacrée", help_text="Par heure de peinture.")
    mechanics = rate("taux horaire mécanique", optional=True, help_text="Facultatif.")
    electrics = rate("taux horaire électricité", optional=True, help_text="Facultatif.")
    small_supplies = rate(
        "petites fournitures (%)",
        validators=PERCENT,
        help_text="En pourcentage du montant de la main-d'œuvre.",
    )
    parts_discount = rate("remise sur pièces (%)", validators=PERCENT)
    board = models.FileField("panneau d'affichage des prix", upload_to=board_path)
    board_content_type = models.CharField(max_length=60)
    board_extension = models.CharField(max_length=8)
    board_size = models.PositiveBigIntegerField(default=0)
    board_sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="transmis par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("transmis le", default=timezone.now)

    objects = RateCardQuerySet.as_manager()

    class Meta:
        verbose_name = "tarifs publics"
        verbose_name_plural = "tarifs publics"
        ordering = ["garage", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["garage", "version"], name="rate_card_version_unique")
        ]
        indexes = [
            models.Index(fields=["garage", "-effective_on", "-version"], name="rate_card_current")
        ]

    def __str__(self) -> str:
        return f"{self.garage} · v{self.version} au {self.effective_on:%d/%m/%Y}"

    @property
    def board_is_image(self) -> bool:
        return self.board_content_type.startswith("image/")

    @property
    def board_download_name(self) -> str:
        return f"tarifs-{self.garage.external_id}-v{self.version}{self.board_extension}"

    def is_current_on(self, today=None) -> bool:
        return self.effective_on <= (today or timezone.localdate())

    def as_event_payload(self) -> dict:
        """What the core system receives: amounts as strings, never floats."""

        def amount(value):
            return None if value is None else str(value)

        return {
            "garage": self.garage.external_id,
            "rate_card_id": self.pk,
            "version": self.version,
            "effective_on": self.effective_on.isoformat(),
            "tax_basis": self.tax_basis,
            **{name: amount(getattr(self, name)) for name in RATE_FIELDS},
            "flat_rates": [
                {"label": f.label, "price": amount(f.price)} for f in self.flat_rates.all()
            ],
            "board": {
                "content_type": self.board_content_type,
                "size": self.board_size,
                "sha256": self.board_sha256,
            },
            "submitted_by": self.submitted_by.email if self.submitted_by else None,
            "submitted_at": self.submitted_at.isoformat(),
        }


RATE_FIELDS = [
    "labour_t1",
    "labour_t2",
    "labour_t3",
    "paint_labour",
    "paint_opaque",
    "paint_varnished",
    "paint_pearl",
    "mechanics",
    "electrics",
    "small_supplies",
    "parts_discount",
]


class RateCardFlatRate(models.Model):
    """A flat-rate service ("forfait") of a rate card: a label and a price."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="flat_rates")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField("libellé", max_length=120)
    price = models.DecimalField("prix", max_digits=8, decimal_places=2, validators=FLAT_PRICE)

    class Meta:
        verbose_name = "forfait"
        ordering = ["card", "position", "id"]

    def __str__(self) -> str:
        return f"{self.label} : {self.price} €"
