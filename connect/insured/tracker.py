"""Where the claim stands, in the owner's words: déclaré → expertise → réparations → véhicule
prêt → clos, each with its date, derived from the dossier's facts and steps (nothing stored).

- Déclaré: always; the mission's reception (or the dossier's creation).
- Expertise: an appointment, an exam or a remote assessment (EAD) is on the dossier.
- Réparations: the expert's report is in (a "report" step): the garage may repair.
- Véhicule prêt: the garage's invoice is awaited or in (an "invoice" step): the works are done.
- Clos: the core system archived the dossier.
A later stage reached implies the earlier ones (a dossier sent already at the report shows the
expertise done, without a date).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from connect.dossiers.models import Dossier, StepKind

STAGES = ("Déclaré", "Expertise", "Réparations", "Véhicule prêt", "Clos")
# One sentence per current stage, for the owner.
SAYS = {
    "Déclaré": "Votre sinistre est enregistré : l'expertise de votre véhicule va être organisée.",
    "Expertise": "L'expert évalue les dommages de votre véhicule.",
    "Réparations": "L'expert a rendu son rapport : le garage répare votre véhicule.",
    "Véhicule prêt": "Les réparations sont terminées : votre véhicule est prêt.",
    "Clos": "Le dossier est clos.",
}


@dataclass(frozen=True)
class Stage:
    label: str
    on: date | None  # when it was reached, when known
    state: str  # "done", "current" or "todo"


def _first(steps, kinds) -> datetime | None:
    dates = [step.occurred_at for step in steps if step.kind in kinds]
    return min(dates) if dates else None


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def reached(dossier: Dossier, steps) -> list[tuple[bool, date | None]]:
    """For each stage: whether its fact is there, and its date."""
    exam = _first(steps, {StepKind.APPOINTMENT, StepKind.EXAM})
    exam_facts = exam or dossier.appointment_at
    report = _first(steps, {StepKind.REPORT})
    invoice = _first(steps, {StepKind.INVOICE})
    declared = dossier.mission_received_on or _day(dossier.created_at)
    return [
        (True, declared),
        (bool(exam_facts or dossier.remote_assessment), _day(exam_facts)),
        (report is not None, _day(report)),
        (bool(invoice or dossier.awaiting_invoice), _day(invoice)),
        (dossier.archived, _day(dossier.archived_at)),
    ]


def stages(dossier: Dossier, steps) -> list[Stage]:
    """The five stages, the last one reached "current", those before it "done"."""
    facts = reached(dossier, steps)
    current = max(index for index, (is_reached, _) in enumerate(facts) if is_reached)
    return [
        Stage(
            label,
            on if index <= current else None,
            "current" if index == current else "done" if index < current else "todo",
        )
        for index, (label, (_, on)) in enumerate(zip(STAGES, facts, strict=True))
    ]


def current(stage_list: list[Stage]) -> Stage:
    return next(stage for stage in stage_list if stage.state == "current")
