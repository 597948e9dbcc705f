"""Who acts now, from the ball (connect/deadlines), said to the car's owner: "L'expert
examine les photos, réponse prévue mardi 10 h", "Le garage attend l'accord de l'expert".
Never the garage↔firm threads themselves, only what the owner waits on."""

from django.conf import settings
from django.utils import timezone

from connect.dossiers.ball import when
from connect.dossiers.models import Dossier

# The wait kinds are the clock's (connect/deadlines/sources.py: WaitKind), named here by value.
FIRM_SAYS = {
    "exam_confirmation": "L'expert fixe le rendez-vous d'examen",
    "ead_assessment": "L'expert examine les photos et le devis du garage",
    "complement_check": "L'expert vérifie les pièces que le garage lui a envoyées",
    "supplement_decision": "Le garage attend l'accord de l'expert sur des travaux supplémentaires",
    "invoice_validation": "{firm} vérifie la facture du garage",
    "message_answer": "{firm} répond au garage",
}
GARAGE_SAYS = {
    "invoice_awaited": "Le garage répare votre véhicule",
    "ead_material_awaited": "Le garage prépare les photos et le devis pour l'expert",
    "complement_requested": "Le garage complète le dossier à la demande de l'expert",
    "exam_to_attend": "Votre véhicule doit être présenté à l'expert au garage",
}


def who_acts(dossier: Dossier, now=None) -> str:
    """One sentence, or "" when nothing waits (or the dossier is closed)."""
    if dossier.archived or not dossier.ball:
        return ""
    firm = settings.FIRM_SHORT_NAME
    if dossier.ball == "firm":
        text = FIRM_SAYS.get(dossier.wait_kind, "{firm} traite le dossier").format(firm=firm)
        if dossier.due_at and dossier.due_at >= (now or timezone.now()):
            text += f", réponse prévue {when(dossier.due_at, now)}"
        return text + "."
    text = GARAGE_SAYS.get(dossier.wait_kind, "Le garage traite le dossier")
    if dossier.wait_kind == "exam_to_attend" and dossier.appointment_at:
        text += f" {when(dossier.appointment_at, now)}"
    return text + "."
