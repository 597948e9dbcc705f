"""Données personnelles: what the portal keeps about an insured, as JSON, and the account's
deletion by its owner (the firm's dossiers stay: they are the core system's)."""

from django.contrib.auth import logout
from django.db import transaction

from connect.accounts.models import User
from connect.insured.access import followed_dossiers
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
