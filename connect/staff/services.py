"""Staff workflows on garages, accounts and dossiers; each one leaves an audit entry."""

from django.db import transaction

from connect.accounts import services as accounts
from connect.accounts.models import Garage, Membership, User
from connect.documents.models import Document, DocumentView, Origin
from connect.documents.services import add_document
from connect.dossiers.models import Dossier
from connect.staff.models import AuditAction, AuditEntry


def record(*, actor, action: str, garage=None, target_user=None, **details) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, action=action, garage=garage, target_user=target_user, details=details
    )


@transaction.atomic
def create_repairer_account(
    *, actor: User, garage: Garage, email: str, full_name: str, phone: str = ""
) -> User:
    """A new account gets its invitation; an existing repairer is attached to the garage."""
    existed = User.objects.filter(email=email).exists()
    user = accounts.invite_repairer(garage=garage, email=email, full_name=full_name, phone=phone)
    action = AuditAction.ACCOUNT_ATTACHED if existed else AuditAction.ACCOUNT_CREATED
    record(actor=actor, action=action, garage=garage, target_user=user, email=user.email)
    return user


@transaction.atomic
def resend_invitation(*, actor: User, garage: Garage, user: User) -> None:
    accounts.send_invitation(user, garage=garage)
    record(
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
    record(actor=actor, action=action, garage=garage, target_user=user, email=user.email)


@transaction.atomic
def update_garage(*, actor: User, garage: Garage, visit_days: list[int], expert: User | None):
    before = {"visit_days": garage.visit_day_names, "expert": str(garage.expert or "")}
    garage.visit_days = sorted(set(visit_days))
    garage.expert = expert
    garage.save(update_fields=["visit_days", "expert", "updated_at"])
    after = {"visit_days": garage.visit_day_names, "expert": str(garage.expert or "")}
    if before != after:
        record(
            actor=actor,
            action=AuditAction.GARAGE_UPDATED,
            garage=garage,
            before=before,
            after=after,
        )


def publish_document(
    *,
    actor: User,
    dossier: Dossier,
    file,
    doc_type: str,
    title: str = "",
    replaces: Document | None = None,
) -> Document:
    """A document from the firm: the garage sees it as a novelty (add_document does that)."""
    return add_document(
        dossier=dossier,
        file=file,
        doc_type=doc_type,
        title=title,
        origin=Origin.FIRM,
        author=actor,
        replaces=replaces,
    )


def unopened_by_garage(dossier: Dossier, documents) -> set[int]:
    """Ids of `documents` that no member of the dossier's garage has opened yet."""
    ids = [document.pk for document in documents]
    opened = (
        DocumentView.objects.filter(
            document_id__in=ids,
            user__in=Membership.objects.filter(garage_id=dossier.garage_id).values("user_id"),
        )
        .values_list("document_id", flat=True)
        .distinct()
    )
    return set(ids) - set(opened)
