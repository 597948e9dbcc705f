"""The demo's insured: Marie Dupont follows two dossiers of garage 1, each with its expert
report released to her and a question answered by the advisor."""

from connect.accounts.demo import INSURED_EMAIL
from connect.accounts.models import Role, User
from connect.documents.models import Document
from connect.dossiers.models import Dossier
from connect.dossiers.touch import touch_dossiers
from connect.insured.models import InsuredQuestion


def seed(ctx) -> None:
    garages = ctx.objects.get("garages") or []
    if not garages:
        return
    user = User.objects.create_user(
        INSURED_EMAIL, ctx.password, full_name="Marie Dupont", role=Role.INSURED
    )
    ctx.objects.setdefault("logins", []).append(INSURED_EMAIL)
    dossiers = list(
        Dossier.objects.filter(
            garage=garages[0], archived=False, documents__isnull=False, threads__isnull=False
        )
        .distinct()
        .order_by("id")[:2]
    )
    advisor = next(iter(ctx.objects.get("advisors") or []), None)
    for dossier in dossiers:
        Dossier.objects.filter(pk=dossier.pk).update(
            insured_email=INSURED_EMAIL, insured_mobile="+33612345678"
        )
        document = Document.objects.filter(dossier=dossier).order_by("-occurred_at").first()
        if document is not None:
            Document.objects.filter(pk=document.pk).update(released_to_insured=True)
        InsuredQuestion.objects.create(
            dossier=dossier,
            author=user,
            body="Bonjour, savez-vous quand ma voiture sera prête ?",
            answer="Bonjour, le garage prévoit la fin des travaux en fin de semaine.",
            answered_by=advisor,
            answered_at=dossier.created_at,
        )
    touch_dossiers([dossier.pk for dossier in dossiers])
