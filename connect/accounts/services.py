from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from connect.accounts.models import Garage, Membership, Role, User, normalize_email
from connect.accounts.tokens import invitation_token
from connect.mail import queue_email

# Sent when an existing account joins one more garage (kwargs: actor, garage, user, details);
# the staff app records it in the garage's audit log (accounts cannot import staff).
repairer_attached = Signal()


def attach_existing_repairer(*, actor, garage: Garage, user: User, **details) -> None:
    """An existing account joins one more garage: audited, and its owner is told by e-mail."""
    Membership.objects.get_or_create(user=user, garage=garage)
    queue_email(
        [user.email], "accounts/email/garage_added", {"email": user.email, "garage": garage.name}
    )
    repairer_attached.send(
        sender=attach_existing_repairer, actor=actor, garage=garage, user=user, details=details
    )


def invitation_link(user: User) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation", args=[uid, invitation_token.make_token(user)])
    return f"{settings.PORTAL_URL}{path}"


def send_invitation(
    user: User, *, garage: Garage | None = None, client_name: str = "", access_code: str = ""
) -> None:
    """The link to choose a first password: for a garage's repairer, or a client's user
    (issue 27), whose access code the mail gives as their identifier."""
    queue_email(
        [user.email],
        "accounts/email/invitation",
        {
            "full_name": user.full_name,
            "garage": garage.name if garage else "",
            "client": client_name,
            "access_code": access_code,
            "link": invitation_link(user),
        },
    )


@transaction.atomic
def invite_repairer(*, garage: Garage, email: str, full_name: str, phone: str = "") -> User:
    """Create (or attach) a repairer account to a garage; a new account gets its invitation."""
    email = normalize_email(email)
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=full_name, phone=phone, role=Role.REPAIRER
        )
    Membership.objects.get_or_create(user=user, garage=garage)
    if created or not user.has_usable_password():
        send_invitation(user, garage=garage)
    return user


@transaction.atomic
def set_active(user: User, active: bool) -> None:
    """A disabled account cannot log in, and its live sessions stop at their next request."""
    user.is_active = active
    user.save(update_fields=["is_active"])


@transaction.atomic
def upsert_garage(*, external_id: str, values: dict) -> tuple[Garage, bool]:
    """Create or update a garage from the core system (values: model attribute names)."""
    garage, created = Garage.objects.select_for_update().get_or_create(
        external_id=external_id, defaults=values
    )
    if not created:
        for name, value in values.items():
            setattr(garage, name, value)
        garage.save()
    return garage, created


@transaction.atomic
def upsert_repairer(
    *, garage: Garage, email: str, full_name: str, phone: str, active: bool
) -> tuple[User, bool]:
    """Create or update a repairer of `garage`; a new active account gets its invitation."""
    user = User.objects.select_for_update().filter(email=normalize_email(email)).first()
    created = user is None
    if user is None and active:
        return invite_repairer(garage=garage, email=email, full_name=full_name, phone=phone), True
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=full_name, phone=phone, role=Role.REPAIRER, is_active=False
        )
    else:
        user.full_name, user.phone = full_name, phone
        user.save(update_fields=["full_name", "phone"])
    Membership.objects.get_or_create(user=user, garage=garage)
    if user.is_active != active:
        set_active(user, active)
    return user, created
