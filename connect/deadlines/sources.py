"""Who waits on whom: the waits each fact's app knows, registered here (the one registry).

The ball of a dossier is computed by one service (connect/deadlines/services.py) from the waits
that every registered source returns for it; a source lives in the app that owns the fact
(messaging: messages, exams, EAD material; checklists: requested items; supplements; invoices)
and registers itself in its AppConfig.ready with `@source`. Sources are read in bulk: one call
per source for a whole batch of dossiers (the core system's batch is 1,000 dossiers).
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from connect.dossiers.models import Ball


class WaitKind(models.TextChoices):
    """What is awaited; each kind has one side and a service level (deadlines ServiceLevel)."""

    # On the garage
    INVOICE_AWAITED = "invoice_awaited", "Facture attendue"
    EAD_MATERIAL_AWAITED = "ead_material_awaited", "Dossier EAD attendu"
    COMPLEMENT_REQUESTED = "complement_requested", "Complément demandé"
    EXAM_TO_ATTEND = "exam_to_attend", "Examen à présenter"
    # On the firm
    MESSAGE_ANSWER = "message_answer", "Réponse à un message"
    EXAM_CONFIRMATION = "exam_confirmation", "Confirmation d'examen"
    EAD_ASSESSMENT = "ead_assessment", "Évaluation EAD"
    COMPLEMENT_CHECK = "complement_check", "Vérification des compléments"
    SUPPLEMENT_DECISION = "supplement_decision", "Décision sur un supplément"
    INVOICE_VALIDATION = "invoice_validation", "Validation de la facture"
    INSURED_QUESTION = "insured_question", "Question de l'assuré"
    INSURED_CALLBACK = "insured_callback", "Assuré à rappeler"


SIDE_OF_KIND: dict[str, str] = {
    WaitKind.INVOICE_AWAITED: Ball.GARAGE,
    WaitKind.EAD_MATERIAL_AWAITED: Ball.GARAGE,
    WaitKind.COMPLEMENT_REQUESTED: Ball.GARAGE,
    WaitKind.EXAM_TO_ATTEND: Ball.GARAGE,
    WaitKind.MESSAGE_ANSWER: Ball.FIRM,
    WaitKind.EXAM_CONFIRMATION: Ball.FIRM,
    WaitKind.EAD_ASSESSMENT: Ball.FIRM,
    WaitKind.COMPLEMENT_CHECK: Ball.FIRM,
    WaitKind.SUPPLEMENT_DECISION: Ball.FIRM,
    WaitKind.INVOICE_VALIDATION: Ball.FIRM,
    WaitKind.INSURED_QUESTION: Ball.FIRM,
    WaitKind.INSURED_CALLBACK: Ball.FIRM,
}


@dataclass(frozen=True)
class Wait:
    """One thing awaited on a dossier, since when. `key` identifies the fact across recomputes
    ("thread:<code>", "supplement:<id>"…), so that a wait keeps its history row; `subject` is
    the thread's subject when the service level depends on it."""

    dossier_id: int
    kind: str
    since: datetime
    key: str
    subject: str = ""
    label: str = ""  # what the dossier page's history says, e.g. "Photo ¾ avant droit"
    # A fact with its own date (the exam to attend) is due then, whatever the service level.
    due_at: datetime | None = None

    @property
    def side(self) -> str:
        return SIDE_OF_KIND[self.kind]


Source = Callable[[Collection[int]], Iterable[Wait]]
SOURCES: list[Source] = []


def source(function: Source) -> Source:
    """Register a source: dossier ids → the waits open on them now (any order)."""
    if function not in SOURCES:
        SOURCES.append(function)
    return function


def open_waits(dossier_ids: Collection[int]) -> list[Wait]:
    return [wait for function in SOURCES for wait in function(dossier_ids)]
