import re
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.accounts.models import Garage, Role, garage_visibility
from connect.lib.plates import fold, plate_key


class Impact(models.TextChoices):
    FRONT = "à l'avant", "à l'avant"
    FRONT_RIGHT = "à l'avant droit", "à l'avant droit"
    FRONT_LEFT = "à l'avant gauche", "à l'avant gauche"
    REAR = "à l'arrière", "à l'arrière"
    REAR_RIGHT = "à l'arrière droit", "à l'arrière droit"
    REAR_LEFT = "à l'arrière gauche", "à l'arrière gauche"
    RIGHT_SIDE = "sur le côté droit", "sur le côté droit"
    LEFT_SIDE = "sur le côté gauche", "sur le côté gauche"
    WHOLE_BODY = "sur toute la carrosserie", "sur toute la carrosserie"
    TOP = "en partie supérieure", "en partie supérieure"


class Ball(models.TextChoices):
    """Whose move it is on an open dossier (glossary "à vous / chez BCA"); derived by
    connect/deadlines/services.py from the dossier's facts, never set by hand."""

    GARAGE = "garage", "À vous"
    FIRM = "firm", "Chez le cabinet"


class Tab(models.TextChoices):
    """The home page's tabs; membership derives from explicit fields (docs/architecture.md)."""

    ALL = "tous", "Tous dossiers"
    TO_HANDLE = "a-traiter", "À traiter"
    ONGOING = "en-cours", "Dossiers en cours"
    AWAITING_INVOICE = "attente-facture", "En attente facture"
    UPCOMING_EXAMS = "examens", "Examens à venir"
    VE_FOLLOW_UP = "suivi-ve", "Suivi VE en cours"
    AWAITING_EAD = "attente-ead", "En attente EAD"


# What the list's counts read: tab_filter's columns and the novelties' (counts.py). A write that
# leaves these alone (and the dossier's garage) leaves every count as it was (touch.py).
COUNTED_FIELDS = (
    "archived",
    "awaiting_invoice",
    "appointment_at",
    "ve_follow_up",
    "remote_assessment",
    "awaiting_ead",
    "ball",
    "garage_waiting_since",
    "last_document_at",
    "last_message_at",
)


def tab_filter(tab: str, *, today=None, firm: bool = False) -> models.Q:
    """The condition that puts a dossier in a tab (one Q, so that counts can be aggregated).
    `firm`: read by the firm's staff, whose "À traiter" is what waits on the firm."""
    today = today or timezone.localdate()
    live = models.Q(archived=False)
    if tab == Tab.ONGOING:
        return live & models.Q(awaiting_invoice=False)
    if tab == Tab.AWAITING_INVOICE:
        return live & models.Q(awaiting_invoice=True)
    if tab == Tab.UPCOMING_EXAMS:
        start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
        return live & models.Q(appointment_at__gte=start)
    if tab == Tab.VE_FOLLOW_UP:
        return live & models.Q(ve_follow_up=True)
    if tab == Tab.AWAITING_EAD:
        return live & models.Q(remote_assessment=True, awaiting_ead=True)
    if tab == Tab.TO_HANDLE and firm:
        return live & models.Q(ball=Ball.FIRM)
    if tab == Tab.TO_HANDLE:
        return live & models.Q(garage_waiting_since__isnull=False)
    return live


# Only what a typed plate is made of gets the plate-key alternative (other signs stay literal).
_PLATE_LIKE = re.compile(r"[0-9A-Z][0-9A-Z .-]*")


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DossierQuerySet":
        """The only starting point for a user's dossiers: those of the garages the user sees
        (`garage_visibility`, the garages' own rule), filtered on the dossier's garage join."""
        rule = garage_visibility(user, via="garage__")
        return self.none() if rule is None else self.filter(rule)

    def matching(self, text: str) -> "DossierQuerySet":
        """The dossiers whose searchable text contains `text`, taken literally (`%`, `_` are
        plain), without case or accents. Every dossier search (the list, the staff lookup, the
        staff inbox) goes through here.

        The plate is stored as its key (`GG010MZ`), so the query's plate key is tried as well:
        `gg010mz`, `GG 010 MZ` and `GG-010-MZ` all find `GG-010-MZ`.
        """
        folded = fold(text)
        condition = models.Q(search_text__contains=folded)
        key = plate_key(text)
        if _PLATE_LIKE.fullmatch(folded) and key != folded:
            condition |= models.Q(search_text__contains=key)
        return self.filter(condition)

    def in_tab(self, tab: str, *, today=None, firm: bool = False):
        return self.filter(tab_filter(tab, today=today, firm=firm))


class Dossier(models.Model):
    """The firm's file on one damaged vehicle for one mission, as the core system sends it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField("référence", max_length=20, unique=True)
    garage = models.ForeignKey(Garage, on_delete=models.PROTECT, related_name="dossiers")
    plate = models.CharField("immatriculation", max_length=20, blank=True)
    plate_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    # The VIN when the core system knows it: the VIN shot's reading is compared with it.
    vin = models.CharField("n° de série (VIN)", max_length=17, blank=True)
    claim_reference = models.CharField("référence sinistre", max_length=50, blank=True)
    vehicle = models.CharField("véhicule", max_length=120, blank=True)
    insurer = models.CharField("assureur", max_length=120, blank=True)
    status_label = models.CharField("état", max_length=60, blank=True)
    insured_name = models.CharField("nom assuré", max_length=150, blank=True)
    # Who the insured is, as the core system says (issue 26): the insured account whose login
    # is this address follows the dossier while `insured_access` is on (connect/insured/access.py).
    # Nothing is copied: a changed address moves the access at once.
    insured_email = models.EmailField(
        "e-mail assuré", max_length=254, blank=True, db_default="", db_index=True
    )
    insured_mobile = models.CharField("mobile assuré", max_length=20, blank=True, db_default="")
    insured_access = models.BooleanField("suivi par l'assuré", default=True, db_default=True)
    appointment_at = models.DateTimeField("date RDV", null=True, blank=True)
    impact = models.CharField("type choc", max_length=30, choices=Impact.choices, blank=True)
    repair_amount = models.DecimalField(
        "montant réparation HT", max_digits=12, decimal_places=2, null=True, blank=True
    )
    ve_procedure = models.BooleanField("procédure VE", default=False)
    ve_follow_up = models.BooleanField("suivi VE en cours", default=False)
    remote_assessment = models.BooleanField("EAD", default=False)
    awaiting_ead = models.BooleanField("en attente EAD", default=False)
    approved_repairer_mission = models.BooleanField("missionnement réparateur agréé", default=False)
    mission_received_on = models.DateField("date réception de mission", null=True, blank=True)
    awaiting_invoice = models.BooleanField("en attente facture", default=False)
    archived = models.BooleanField("archivé", default=False)
    # When the dossier was archived (set by the writers of `archived`): the insured reads it
    # INSURED_ARCHIVE_READ_DAYS longer.
    archived_at = models.DateTimeField("archivé le", null=True, blank=True)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_dossiers",
        limit_choices_to={"role": Role.EXPERT},
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advisor_dossiers",
        limit_choices_to={"role": Role.ADVISOR},
    )
    # The firm's client who ordered the expertise (connect/clients), named by string: the
    # clients' space reads dossiers, never the other way round (README "Layers"). `insurer`
    # stays the label the list shows; `client_region` is the client's own region or agency
    # label, which can limit a client user to part of the portfolio.
    client = models.ForeignKey(
        "clients.Client",
        verbose_name="client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    client_region = models.CharField("région / agence du client", max_length=100, blank=True)
    # Folded (upper case, no accents) text of the searchable columns.
    search_text = models.TextField(blank=True, editable=False)
    # When the firm last added something the garage should notice (novelties).
    last_document_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # The ball (connect/deadlines): a wait on the firm beats one on the garage, the oldest of
    # that side decides; "" when nothing waits or archived. Written only by
    # deadlines.services.recompute through the touch path.
    ball = models.CharField(
        "à qui la main", max_length=10, choices=Ball.choices, blank=True, db_default=""
    )
    wait_kind = models.CharField("attente", max_length=30, blank=True, db_default="")
    waiting_since = models.DateTimeField("depuis", null=True, blank=True)
    due_at = models.DateTimeField("échéance", null=True, blank=True)
    # The garage's oldest open wait, even when the firm's decides the ball: what the garage owes
    # stays in its "À traiter" while the firm also owes something (same writer).
    garage_wait_kind = models.CharField(
        "attente du garage", max_length=30, blank=True, db_default=""
    )
    garage_waiting_since = models.DateTimeField("chez le garage depuis", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier"
        ordering = ["-mission_received_on", "-id"]
        indexes = [
            # The home list: one garage's live dossiers, most recent mission first.
            models.Index(
                fields=["garage", "archived", "-mission_received_on", "-id"],
                name="dossier_garage_list",
            ),
            # The client's portfolio: its live dossiers, most recent mission first.
            models.Index(
                fields=["client", "archived", "-mission_received_on", "-id"],
                name="dossier_client_list",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def set_derived_fields(self) -> None:
        """Recompute the search keys; call before saving a created or edited dossier."""
        self.plate_key = plate_key(self.plate)
        self.search_text = " ".join(
            fold(part)
            for part in (
                self.reference,
                self.plate_key,
                self.claim_reference,
                self.vehicle,
                self.insured_name,
            )
            if part
        )

    @property
    def has_upcoming_exam(self) -> bool:
        return bool(self.appointment_at and self.appointment_at.date() >= timezone.localdate())


class StepKind(models.TextChoices):
    MISSION = "mission", "Mission"
    APPOINTMENT = "appointment", "Rendez-vous"
    EXAM = "exam", "Examen"
    REPORT = "report", "Rapport"
    INVOICE = "invoice", "Facture"
    VE = "ve", "Suivi VE"
    OTHER = "other", "Autre"


class Step(models.Model):
    """A dated step of a dossier's timeline ("étapes du dossier")."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    label = models.CharField("libellé", max_length=200)
    kind = models.CharField("type", max_length=20, choices=StepKind.choices, default=StepKind.OTHER)
    occurred_at = models.DateTimeField("date")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "étape"
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["dossier", "occurred_at"], name="step_dossier_date")]

    def __str__(self) -> str:
        return self.label


class DossierSeen(models.Model):
    """When a user last caught up with a dossier's documents and messages (novelties)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="seen_by")
    documents_seen_at = models.DateTimeField(null=True, blank=True)
    messages_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "dossier"], name="dossier_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.dossier_id}"


# The list's counts, kept by the writers (connect/dossiers/kept.py) ---------------------------


class CountMark(models.Model):
    """What the kept counts hold of one dossier: the garage it is counted in, its tabs (bits,
    kept.BITS) and the day of its exam. The touch path compares it with the dossier's facts and
    applies the difference to the garage's counts, so a writer needs no "before"."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, primary_key=True, related_name="count_mark"
    )
    garage = models.ForeignKey(Garage, on_delete=models.CASCADE, related_name="+")
    mask = models.PositiveSmallIntegerField(default=0)
    day = models.DateField(null=True)

    class Meta:
        verbose_name = "marque de décompte"

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.garage_id} ({self.mask})"


class KeptCounts(models.Model):
    """One garage's tab counts as the writers keep them (kept.py): what the list shows without
    counting. The row is also the garage's lock for its counts (writers, the nightly check)."""

    garage = models.OneToOneField(
        Garage, on_delete=models.CASCADE, primary_key=True, related_name="kept_counts"
    )
    live = models.IntegerField(default=0)
    to_handle = models.IntegerField(default=0)
    ongoing = models.IntegerField(default=0)
    awaiting_invoice = models.IntegerField(default=0)
    ve_follow_up = models.IntegerField(default=0)
    awaiting_ead = models.IntegerField(default=0)
    unread = models.IntegerField(default=0)
    firm_to_handle = models.IntegerField(default=0)

    class Meta:
        verbose_name = "décompte d'un garage"

    def __str__(self) -> str:
        return f"{self.garage_id}: {self.live}"


class KeptExamDay(models.Model):
    """A garage's live dossiers with an exam that day: "Examens à venir" is the sum from today,
    so the count follows the date without any write."""

    garage = models.ForeignKey(Garage, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dossiers = models.IntegerField(default=0)

    class Meta:
        verbose_name = "examens d'un jour"
        constraints = [
            models.UniqueConstraint(fields=["garage", "day"], name="kept_exam_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.garage_id} {self.day}: {self.dossiers}"


class CountsCheck(models.Model):
    """The nightly recount's outcome (manage.py check_counts): the metric reads the last one."""

    checked_at = models.DateTimeField()
    garages = models.IntegerField()
    drifted_garages = models.IntegerField()
    drift = models.IntegerField(help_text="somme des écarts absolus")

    class Meta:
        verbose_name = "contrôle des décomptes"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M}: {self.drift}"
