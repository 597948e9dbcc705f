"""Staff workflows: garages and accounts (each change audited), documents, threads, ESDs.

Confirming or declining an exam is connect.messaging.services.confirm_exam / decline_exam.
Publishing a document is connect.messaging.publishing.publish_document (the API uses it too).
"""

from django.db import models, transaction
from django.utils import timezone

from connect.accounts import services as accounts
from connect.accounts.models import Garage, Membership, User, normalize_email
from connect.documents.models import DocumentSeen
from connect.dossiers.models import Dossier, StepKind
from connect.dossiers.services import add_step
from connect.dossiers.touch import touch_dossiers
from connect.messaging import services as messaging
from connect.messaging.models import Thread
from connect.staff.models import AuditAction, AuditEntry


def record_audit(*, actor, action: str, garage=None, target_user=None, **details) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, action=action, garage=garage, target_user=target_user, details=details
    )


@transaction.atomic
def create_repairer_account(
    *, actor: User, garage: Garage, email: str, full_name: str, phone: str = ""
) -> User:
    """A new account gets its invitation; an existing repairer is attached to the garage."""
    existing = User.objects.filter(email=normalize_email(email)).first()
    joins = existing is not None and not existing.memberships.filter(garage=garage).exists()
    user = accounts.invite_repairer(garage=garage, email=email, full_name=full_name, phone=phone)
    if joins:
        accounts.attach_existing_repairer(actor=actor, garage=garage, user=user)
    elif existing is None:
        record_audit(
            actor=actor,
            action=AuditAction.ACCOUNT_CREATED,
            garage=garage,
            target_user=user,
            email=user.email,
        )
    return user


def audit_attachment(sender, *, actor, garage: Garage, user: User, details: dict, **kwargs):
    """Receiver of accounts.services.repairer_attached (connected in StaffConfig.ready)."""
    record_audit(
        actor=actor,
        action=AuditAction.ACCOUNT_ATTACHED,
        garage=garage,
        target_user=user,
        email=user.email,
        **details,
    )


@transaction.atomic
def resend_invitation(*, actor: User, garage: Garage, user: User) -> None:
    accounts.send_invitation(user, garage=garage)
    record_audit(
        actor=actor,
        action=AuditAction.INVITATION_SENT,
        garage=garage,
        target_user=user,
        email=user.email,
    )


@transaction.atomic
def set_account_active(*, actor: User, garage: Garage, user: User, active: bool) -> None:
    """Disabling ends the account's live sessions: they are refused at their next request."""
    accounts.set_active(user, active)
    action = AuditAction.ACCOUNT_ENABLED if active else AuditAction.ACCOUNT_DISABLED
    record_audit(actor=actor, action=action, garage=garage, target_user=user, email=user.email)


@transaction.atomic
def remove_membership(*, actor: User, garage: Garage, user: User) -> None:
    """The account loses this garage's dossiers at its next request and keeps its others;
    "Désactiver" is what blocks the account everywhere."""
    Membership.objects.filter(user=user, garage=garage).delete()
    record_audit(
        actor=actor,
        action=AuditAction.MEMBERSHIP_REMOVED,
        garage=garage,
        target_user=user,
        email=user.email,
    )


@transaction.atomic
def update_garage(*, actor: User, garage: Garage, visit_days: list[int], expert: User | None):
    before = {"visit_days": garage.visit_day_names, "expert": str(garage.expert or "")}
    garage.visit_days = sorted(set(visit_days))
    garage.expert = expert
    garage.save(update_fields=["visit_days", "expert", "updated_at"])
    after = {"visit_days": garage.visit_day_names, "expert": str(garage.expert or "")}
    if before != after:
        record_audit(
            actor=actor,
            action=AuditAction.GARAGE_UPDATED,
            garage=garage,
            before=before,
            after=after,
        )


def unseen_by_garage(dossier: Dossier, documents) -> set[int]:
    """Ids of `documents` that no member of the dossier's garage has opened yet."""
    ids = [document.pk for document in documents]
    opened = (
        DocumentSeen.objects.filter(
            document_id__in=ids,
            user__in=Membership.objects.filter(garage_id=dossier.garage_id).values("user_id"),
        )
        .values_list("document_id", flat=True)
        .distinct()
    )
    return set(ids) - set(opened)


# Threads and exams --------------------------------------------------------------------------


def reply(*, actor: User, thread, body: str, attachments=(), idempotency_key=None):
    """The firm's reply: the garage sees a novelty and its users get the notification."""
    return messaging.post_message(
        thread=thread,
        author=actor,
        body=body,
        attachments=attachments,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def set_thread_status(*, thread, status: str) -> None:
    Thread.objects.filter(pk=thread.pk).update(status=status)
    thread.status = status
    touch_dossiers([thread.dossier_id])  # a closed thread awaits no answer


class EsdOutcome(models.TextChoices):
    AGREED = "agreed", "Accord sur photos : le rapport suit"
    MORE_PHOTOS = "more_photos", "Photos insuffisantes : merci de compléter"
    VISIT = "visit", "Examen sur place nécessaire"


@transaction.atomic
def record_esd_outcome(*, actor: User, thread, outcome: str, comment: str = "") -> None:
    """The expert's decision on an ESD: a step of the dossier and a message to the garage."""
    label = EsdOutcome(outcome).label
    add_step(
        dossier=thread.dossier,
        kind=StepKind.EXAM,
        label=f"Examen sans déplacement : {label}",
        occurred_at=timezone.now(),
    )
    body = f"Résultat de l'examen sans déplacement : {label}."
    if comment.strip():
        body += f"\n{comment.strip()}"
    reply(actor=actor, thread=thread, body=body)


def insured_follower(dossier: Dossier) -> dict:
    """What the staff see of the insured on a dossier: the address the core system gave, the
    account of that address (if the insured signed up), whether they may follow it, and when
    they last came (their last login)."""
    account = None
    if dossier.insured_email:
        account = User.objects.filter(
            email=normalize_email(dossier.insured_email), role="insured"
        ).first()
    signed_up = account is not None and account.is_active and account.has_usable_password()
    return {
        "email": dossier.insured_email,
        "access": dossier.insured_access,
        "account": account,
        "follows": bool(signed_up and dossier.insured_access),
        "last_login": account.last_login if account is not None else None,
    }
