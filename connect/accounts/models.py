import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

WEEKDAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"]


class Role(models.TextChoices):
    REPAIRER = "repairer", "Réparateur"
    EXPERT = "expert", "Expert"
    ADVISOR = "advisor", "Conseiller client"
    MANAGER = "manager", "Manager d'unité"
    ADMIN = "admin", "Administrateur"
    # The two other people the guide's login page welcomes: each has a space of its own and
    # reaches none of the garage↔firm pages (connect/accounts/policies.py).
    INSURED = "insured", "Assuré"
    CLIENT = "client", "Client"


STAFF_ROLES = (Role.EXPERT, Role.ADVISOR, Role.MANAGER, Role.ADMIN)
# Who proves a second factor after the password (connect/staff/second_factor.py): the firm's
# staff, and the clients' users, who see a whole portfolio across garages (issue 27).
SECOND_FACTOR_ROLES = (*STAFF_ROLES, Role.CLIENT)
# Who works dossiers on the portal's garage↔firm pages (the `authenticated` policy).
WORKING_ROLES = (Role.REPAIRER, *STAFF_ROLES)


def normalize_email(email: str | None) -> str:
    """E-mail addresses are logins: compared without case, surrounding spaces or compatibility
    forms (NFKC folds a fullwidth "ｒ" to "r"), the same way at creation, login and reset."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


class Unit(models.Model):
    """A sector of the firm: its staff work the garages attached to it."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "unité"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))

    def create_user(self, email, password=None, **fields):
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)  # None gives an unusable password: invitation pending
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", max_length=254, unique=True)
    full_name = models.CharField("nom complet", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.REPAIRER)
    unit = models.ForeignKey(
        Unit,
        verbose_name="unité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    is_active = models.BooleanField("actif", default=True)
    # A staff member who creates the firm's clients and their users (issue 27); set in the admin.
    is_account_manager = models.BooleanField("gestionnaire de compte", default=False)
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = "utilisateur"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    @property
    def is_admin(self) -> bool:
        """An administrator: every garage, every dossier, Django's admin."""
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Django's admin is for administrators; the firm's staff work in their workspace."""
        return self.is_admin

    @property
    def is_repairer(self) -> bool:
        return self.role == Role.REPAIRER

    @property
    def is_firm_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_insured(self) -> bool:
        return self.role == Role.INSURED

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def needs_second_factor(self) -> bool:
        return self.is_admin or self.role in SECOND_FACTOR_ROLES

    @property
    def manages_accounts(self) -> bool:
        """A staff member flagged "gestionnaire de compte": the clients' pages are theirs."""
        return self.is_firm_staff and self.is_account_manager

    @property
    def works_dossiers(self) -> bool:
        """A repairer or one of the firm's staff: the garage↔firm pages are theirs."""
        return self.is_admin or self.role in WORKING_ROLES

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


siret_validator = RegexValidator(r"^\d{14}$", "Le SIRET compte 14 chiffres.")


def garage_visibility(user, via: str = "") -> models.Q | None:
    """The role rule, written once: a repairer's own garages, a staff member's unit's, every
    garage for an administrator; `None` when nothing is visible.

    A condition on the garage reached through `via` ("" for garages, "garage__" for what
    belongs to a garage), so that each model filters on its own joins (no subquery).
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_admin:
        return models.Q()
    if user.is_repairer:
        return models.Q(**{f"{via}memberships__user": user})
    if not user.is_firm_staff or user.unit_id is None:
        return None
    return models.Q(**{f"{via}unit_id": user.unit_id})


class GarageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A repairer's own garages; a staff member's unit's; everything for an administrator."""
        rule = garage_visibility(user)
        return self.none() if rule is None else self.filter(rule)


class Garage(models.Model):
    """A repair shop; its users see its dossiers and nothing else."""

    external_id = models.CharField("identifiant externe", max_length=64, unique=True)
    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[siret_validator])
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="unité", on_delete=models.PROTECT, related_name="garages"
    )
    expert = models.ForeignKey(
        User,
        verbose_name="expert attitré",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_garages",
        limit_choices_to={"role": Role.EXPERT},
    )
    # Weekday numbers, Monday = 0 … Saturday = 5: the expert's "jours de passage".
    visit_days = models.JSONField("jours de passage", default=list, blank=True)
    members = models.ManyToManyField(User, through="Membership", related_name="garages")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GarageQuerySet.as_manager()

    class Meta:
        verbose_name = "garage"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def visit_day_names(self) -> list[str]:
        return [WEEKDAYS[d] for d in sorted(self.visit_days) if 0 <= d < len(WEEKDAYS)]

    def weekdays_with_visits(self) -> list[tuple[str, bool]]:
        """Every weekday Monday–Saturday with whether the expert comes that day."""
        days = set(self.visit_days)
        return [(name, index in days) for index, name in enumerate(WEEKDAYS)]


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    garage = models.ForeignKey(Garage, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "appartenance"
        constraints = [models.UniqueConstraint(fields=["user", "garage"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.garage}"


class AccessCode(models.Model):
    """A client user's login code (`CL-7KQ2-M9XD`, connect/accounts/access_codes.py). A code
    once issued stays here for good, even when its user is gone: never issued twice."""

    code = models.CharField("code d'accès", max_length=12, unique=True)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="access_codes"
    )
    issued_at = models.DateTimeField("émis le", default=timezone.now)

    class Meta:
        verbose_name = "code d'accès"
        verbose_name_plural = "codes d'accès"

    def __str__(self) -> str:
        return self.code


class LoginFailure(models.Model):
    """One failed login: what the throttles of connect/accounts/lockout.py count."""

    username = models.CharField("identifiant saisi", max_length=254)
    ip = models.CharField("adresse IP", max_length=45)
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "échec de connexion"
        verbose_name_plural = "échecs de connexion"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["ip", "at"], name="loginfailure_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.ip}"


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", "À chaque message"
    DAILY = "daily", "Un résumé par jour"
    NONE = "none", "Aucun e-mail"


class NotificationPreference(models.Model):
    """How a user wants e-mail about messages and published documents (no row: at once)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    mode = models.CharField(
        "e-mails",
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    def __str__(self) -> str:
        return f"{self.user_id} · {self.mode}"
