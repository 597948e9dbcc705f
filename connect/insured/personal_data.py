"""Données personnelles: what the portal keeps about an insured, as JSON, and the account's
deletion by its owner (the firm's dossiers stay: they are the core system's)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from connect.accounts.models import Role, User
from connect.dossiers.models import Dossier
from connect.insured.access import followable, followed_dossiers
from connect.insured.models import InsuredQuestion


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(user: User) -> dict:
    dossiers = followed_dossiers(user).select_related("garage")
    questions = InsuredQuestion.objects.filter(author=user).select_related("dossier")
    return {
        "compte": {
            "email": user.email,
            "nom": user.full_name,
            "cree_le": _when(user.date_joined),
            "derniere_connexion": _when(user.last_login),
        },
        "dossiers_suivis": [
            {
                "reference": dossier.reference,
                "immatriculation": dossier.plate,
                "vehicule": dossier.vehicle,
                "nom_assure": dossier.insured_name,
                "email_assure": dossier.insured_email,
                "mobile_assure": dossier.insured_mobile,
                "garage": dossier.garage.name,
            }
            for dossier in dossiers
        ],
        "questions": [
            {
                "dossier": question.dossier.reference,
                "question": question.body,
                "posee_le": _when(question.asked_at),
                "reponse": question.answer,
                "repondue_le": _when(question.answered_at),
            }
            for question in questions
        ],
    }


@transaction.atomic
def delete_account(*, request, user: User) -> None:
    """The insured deletes their account: the session ends, the account row goes (their
    questions stay on the firm's dossier, without author); a new sign-up may follow later."""
    logout(request)
    User.objects.filter(pk=user.pk, role="insured").delete()


@transaction.atomic
def delete_idle_accounts(*, now=None) -> int:
    """Delete the insured accounts that follow no dossier and have not logged in (or, never
    logged in, were created) for INSURED_IDLE_ACCOUNT_DAYS (24 months): what the CNIL asks of
    an account kept for no purpose. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INSURED_IDLE_ACCOUNT_DAYS)
    follows = Dossier.objects.filter(followable(now), insured_email=OuterRef("email"))
    idle = (
        User.objects.filter(role=Role.INSURED)
        .annotate(seen=Coalesce("last_login", "date_joined"))
        .filter(seen__lt=cutoff)
        .exclude(Exists(follows))
    )
    ids = list(idle.values_list("pk", flat=True))
    User.objects.filter(pk__in=ids).delete()
    return len(ids)
