import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.documents import provenance
from connect.dossiers.models import Dossier


class DocumentType(models.TextChoices):
    """The guide's document catalogue (docs/product.md, "Document types"); messaging reuses it."""

    MISSION_ORDER = "ordre_mission", "Ordre de mission"
    COVERAGE_AGREEMENT = "prise_en_charge", "Prise en charge"
    PRE_REPORT = "pre_rapport", "Pré-rapport"
    EXPERT_REPORT = "rapport_expertise", "Rapport d'expertise"
    VE_FOLLOW_UP_REPORT = "pv_suivi_ve", "PV Suivi VE"
    VE_COMPLIANCE_REPORT = "rapport_conformite_ve", "Rapport de conformité VE"
    FEE_NOTE = "note_honoraires", "Note d'honoraires"
    LETTER = "courrier", "Courrier"
    QUOTE = "devis", "Devis"
    REPAIR_INVOICE = "facture_reparations", "Facture des réparations"
    PHOTO = "photo", "Photo"
    EXTRA_DAMAGE = "dommages_supplementaires", "Dommages supplémentaires"
    REPAIRER_SUPPLEMENT = "supplement_reparateur", "Supplément réparateur"
    OTHER = "autres", "Autres"
    INSURED_STATEMENT = "declaration_assure", "Déclaration assuré"
    ACCESSORY_INVOICES = "factures_accessoires", "Factures accessoires"
    REGISTRATION_CERTIFICATE = "certificat_immatriculation", "Certificat d'immatriculation"
    REPAIR_ORDER = "ordre_reparations", "Ordre de réparations"
    ROADWORTHINESS_TEST = "controle_technique", "Contrôle technique"
    ALIGNMENT_CHECK = "controle_geometrie", "Contrôle géométrie"
    ADAS_DIAGNOSIS = "diag_adas", "Diag ADAS"
    DIAGNOSIS = "diagnostic", "Diagnostic"
    REMOVAL_AUTHORISATION = "autorisation_enlevement", "Autorisation enlèvement"
    SCRAPPER_FEEDBACK = "retour_info_epaviste", "Retour info épaviste"


class Origin(models.TextChoices):
    FIRM = "firm", "Cabinet"
    CORE_SYSTEM = "core", "Système de gestion"
    REPAIRER_MESSAGE = "repairer", "Message du réparateur"


# Documents the garage should notice as novelties: what the firm's side published.
NOVELTY_ORIGINS = (Origin.FIRM, Origin.CORE_SYSTEM)
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")
# What a browser can show inline without help (HEIC needs our JPEG preview).
BROWSER_INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


class DocumentQuerySet(models.QuerySet):
    def photos(self):
        return self.filter(content_type__in=PHOTO_TYPES)

    def others(self):
        return self.exclude(content_type__in=PHOTO_TYPES)

    def newest_first(self):
        return self.order_by("-occurred_at", "-id")


class Document(models.Model):
    """A file of a dossier: published by the firm or the core system, or sent by the garage.

    The bytes live in private storage under a generated name; `original_name` is display text
    only. `content_type` was sniffed from the bytes at upload (validation.py).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField("type", max_length=40, choices=DocumentType.choices)
    title = models.CharField("titre", max_length=200, blank=True)
    file = models.FileField("fichier", max_length=255)
    original_name = models.CharField("nom d'origine", max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    origin = models.CharField("origine", max_length=10, choices=Origin.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField("date", default=timezone.now)
    # A report that cancels and replaces an earlier one; both are kept.
    replaces = models.ForeignKey(
        "self",
        verbose_name="annule et remplace",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    # Renditions made by the thumbnail task (photos only): small and large JPEG.
    thumbnail = models.FileField(max_length=255, blank=True)
    preview = models.FileField(max_length=255, blank=True)
    rendition_failed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Provenance of a photo taken with the guided capture (provenance.py): evidence for the
    # expert. Empty when the file came another way; position only when the user allowed it.
    shot = models.CharField("prise de vue", max_length=40, blank=True)
    shot_label = models.CharField("libellé de la prise de vue", max_length=80, blank=True)
    captured_at = models.DateTimeField("pris le (appareil)", null=True, blank=True)
    exif_taken_at = models.DateTimeField("pris le (EXIF)", null=True, blank=True)
    latitude = models.DecimalField(
        "latitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "longitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    sha256_capture = models.CharField("empreinte à la prise de vue", max_length=64, blank=True)
    confirmed_plate = models.CharField("immatriculation confirmée", max_length=20, blank=True)
    # What the portal read in the file (plate, VIN, odometer, invoice: a list of JSON objects,
    # each with its "kind"), filled by the reading engine; the seal covers it (seal.py).
    readings = models.JSONField("lectures", default=list, blank=True)
    # The server's seal (seal.py): Ed25519 signature over the portal's facts, and its key's id.
    seal_key_id = models.CharField("clé du sceau", max_length=40, blank=True)
    seal_signature = models.CharField("sceau", max_length=100, blank=True)
    # "Visible par l'assuré": the firm's staff release a document to the insured (issue 26);
    # nothing is shown to them otherwise (connect/insured/access.py).
    released_to_insured = models.BooleanField(
        "visible par l'assuré", default=False, db_default=False
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "-occurred_at", "-id"], name="document_dossier_date"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def provenance_text(self) -> str:
        """ "Photo prise le 12/03 à 10:42 selon le téléphone, reçue par le portail à 10:47,
        empreinte … identique …" ("" when nothing is known)."""
        return provenance.summary(self)

    @property
    def server_facts(self) -> list[str]:
        return provenance.server_facts(self)

    @property
    def device_facts(self) -> list[str]:
        return provenance.device_facts(self)

    @property
    def label(self) -> str:
        return self.title or self.get_doc_type_display()

    @property
    def is_photo(self) -> bool:
        return self.content_type in PHOTO_TYPES

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def browser_can_show(self) -> bool:
        return self.content_type in BROWSER_INLINE_TYPES

    @property
    def extension(self) -> str:
        return PurePosixPath(self.file.name or "").suffix.lstrip(".").upper()

    @property
    def download_name(self) -> str:
        """The original name, with the extension of what the bytes really are."""
        suffix = PurePosixPath(self.file.name or "").suffix.lower()
        if PurePosixPath(self.original_name).suffix.lower() in (
            suffix,
            ".jpeg" if suffix == ".jpg" else suffix,
        ):
            return self.original_name
        return f"{self.original_name}{suffix}"


class DocumentSeen(models.Model):
    """A user has been shown a document (list or file): the per-document seen state."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="seen_rows")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="document_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.document_id}"


# Messaging subjects that may carry a guided capture. The keys are messaging's
# (connect/messaging/subjects.py; a messaging test checks they exist): documents sits below
# messaging and cannot import its table.
CAPTURE_SUBJECTS = [
    ("esd", "Demande examen sans déplacement (ESD)"),
    ("expert", "Communication à l'expert (matériel EAD)"),
    ("suivi-ve", "Suivi VE : demande d'examen"),
]


class ShotList(models.Model):
    """The shots the firm wants for one kind of message (prise de vue guidée), editable by staff
    in the admin; the defaults come from shots.DEFAULT_SHOT_LISTS (data migration)."""

    subject = models.CharField("objet du message", max_length=40, choices=CAPTURE_SUBJECTS)
    # EAD material goes to the expert as a "Communication à l'expert" on a dossier the firm
    # waits on for it: such a list applies to those dossiers only.
    awaiting_ead_only = models.BooleanField(
        "seulement sur les dossiers en attente EAD", default=False
    )
    label = models.CharField("libellé", max_length=120)
    active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "liste de prises de vue"
        verbose_name_plural = "listes de prises de vue"
        ordering = ["subject", "awaiting_ead_only"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "awaiting_ead_only"], name="shot_list_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Shot(models.Model):
    shot_list = models.ForeignKey(
        ShotList, verbose_name="liste", on_delete=models.CASCADE, related_name="shots"
    )
    key = models.SlugField("clé", max_length=40)
    label = models.CharField("libellé", max_length=80)
    instruction = models.CharField("consigne", max_length=300, blank=True)
    required = models.BooleanField("obligatoire", default=True)
    several = models.BooleanField("plusieurs photos permises", default=False)
    # The plate shot: the repairer confirms the plate text (read by a person, no OCR).
    confirm_plate = models.BooleanField("faire confirmer l'immatriculation", default=False)
    doc_type = models.CharField(
        "type de document", max_length=40, choices=DocumentType.choices, default=DocumentType.PHOTO
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "prise de vue"
        verbose_name_plural = "prises de vue"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["shot_list", "key"], name="shot_key_unique")]

    def __str__(self) -> str:
        return self.label
