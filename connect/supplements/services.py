"""Supplement workflows: the garage submits one (through messaging's composer, in the
message's transaction); the expert decides, as often as needed, each decision a new row."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from connect.accounts.queries import repairers_of
from connect.api.events import record_event
from connect.dossiers.touch import touch_dossiers
from connect.lib.idempotency import replay_or_write
from connect.mail import queue_email
from connect.push.models import PushKind
from connect.push.services import notify as push
from connect.supplements.amounts import euros
from connect.supplements.models import (
    Outcome,
    Supplement,
    SupplementCeiling,
    SupplementDecision,
    SupplementLine,
)


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class SupplementDraft:
    """What the composer asked for: the amount excl. VAT and, optionally, its lines."""

    amount: Decimal
    lines: tuple[Line, ...] = ()


def submit_supplement(
    *, dossier, by, draft: SupplementDraft, thread=None, documents: Sequence = ()
) -> Supplement:
    """A new supplement awaiting the expert's decision; `documents`: its PDF and photos."""
    with transaction.atomic():
        supplement = Supplement.objects.create(
            dossier=dossier, thread=thread, amount=draft.amount, submitted_by=by
        )
        SupplementLine.objects.bulk_create(
            SupplementLine(
                supplement=supplement, position=index, label=line.label, amount=line.amount
            )
            for index, line in enumerate(draft.lines)
        )
        if documents:
            supplement.documents.add(*documents)
        touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
        payload = {
            **_payload(supplement),
            "lines": [{"label": line.label, "amount": str(line.amount)} for line in draft.lines],
            "submitted_by": by.email if by else None,
        }
        record_event("supplement.submitted", payload=payload, dossier=dossier, documents=documents)
    return supplement


class DecisionUnchanged(Exception):
    """The decision asked is the one in force already (same outcome, amount and reason)."""

    def __init__(self, decision: "SupplementDecision") -> None:
        super().__init__("decision unchanged")
        self.decision = decision


def decide_supplement(
    *,
    supplement: Supplement,
    by,
    outcome: str,
    accepted_amount: Decimal | None = None,
    reason: str = "",
    idempotency_key=None,
) -> SupplementDecision:
    """Accept (the amount asked), accept part (0 < accepted ≤ asked) or refuse (0); a later
    decision supersedes this one without erasing it; the decision in force asked again is
    `DecisionUnchanged` (nothing recorded). A replayed `idempotency_key` returns the decision
    it recorded (`KeyUsedElsewhere` when it was used on another supplement or by someone
    else)."""
    amount = {
        Outcome.ACCEPTED: supplement.amount,
        Outcome.REFUSED: Decimal("0.00"),
    }.get(Outcome(outcome), accepted_amount)
    if amount is None or not (Decimal("0") <= amount <= supplement.amount):
        raise ValueError("accepted amount outside 0 … amount asked")
    return replay_or_write(
        SupplementDecision.objects,
        idempotency_key,
        scope={"supplement": supplement, "decided_by": by},
        write=lambda: _decide(supplement, by, outcome, amount, reason, idempotency_key),
    )


def _decide(supplement, by, outcome, amount, reason, key) -> SupplementDecision:
    dossier = supplement.dossier
    with transaction.atomic():
        # The supplement's lock first: a concurrent twin (same key or same decision) waits
        # here, then finds the decision in force.
        Supplement.objects.select_for_update().filter(pk=supplement.pk).first()
        in_force = supplement.decisions.order_by("-decided_at", "-pk").first()
        asked = (outcome, amount, reason.strip())
        if (
            in_force is not None
            and (in_force.outcome, in_force.accepted_amount, in_force.reason) == asked
        ):
            if key is not None and in_force.idempotency_key == key:
                return in_force
            raise DecisionUnchanged(in_force)
        decision = SupplementDecision.objects.create(
            supplement=supplement,
            outcome=outcome,
            accepted_amount=amount,
            reason=reason.strip(),
            decided_by=by,
            decided_at=timezone.now(),
            idempotency_key=key,
        )
        touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
        payload = {
            **_payload(supplement),
            "outcome": decision.outcome,
            "accepted_amount": str(decision.accepted_amount),
            "reason": decision.reason,
            "decided_by": by.email if by else None,
            "agreed_total": _text(agreed_total(dossier)),
        }
        record_event("supplement.decided", payload=payload, dossier=dossier)
        _tell_the_garage(decision)
    return decision


def _tell_the_garage(decision: SupplementDecision) -> None:
    """The garage waits for the decision to repair: e-mailed at once to its repairers who did
    not opt out, pushed to those who opted in, in the decision's transaction."""
    supplement = decision.supplement
    dossier = supplement.dossier
    path = reverse("dossier_detail", kwargs={"code": dossier.code})
    path += f"#supplement-{supplement.code}"
    context = {
        "dossier_reference": dossier.reference,
        "path": path,
        "outcome": decision.get_outcome_display(),
        "accepted": euros(decision.accepted_amount),
        "asked": euros(supplement.amount),
        "reason": decision.reason,
    }
    for user in repairers_of(dossier.garage_id, notified=True):
        queue_email([user.email], "supplements/email/decision", context)
    push(
        user_ids=repairers_of(dossier.garage_id).values_list("pk", flat=True),
        kind=PushKind.SUPPLEMENT_DECIDED,
        dossier_reference=dossier.reference,
        url=path,
    )


def raise_ceiling(*, dossier, by, up_to: Decimal) -> SupplementCeiling:
    """The expert allows supplements up to `up_to` on this dossier (queries.ceiling_of)."""
    return SupplementCeiling.objects.create(dossier=dossier, up_to=up_to, raised_by=by)


def agreed_total(dossier, supplements: Iterable[Supplement] | None = None) -> Decimal | None:
    """The dossier's agreed total excl. VAT: `Dossier.repair_amount` plus, for each supplement,
    the amount of its decision in force (all of it accepted, the part accepted, nothing when
    refused or not decided yet). None when the repair amount is unknown and nothing was
    accepted."""
    if supplements is None:
        supplements = Supplement.objects.filter(dossier=dossier).prefetch_related("decisions")
    accepted = sum((supplement.agreed_amount for supplement in supplements), Decimal("0"))
    if dossier.repair_amount is None and not accepted:
        return None
    return (dossier.repair_amount or Decimal("0")) + accepted


def _payload(supplement: Supplement) -> dict:
    return {
        "supplement": str(supplement.code),
        "reference": supplement.dossier.reference,
        "thread": str(supplement.thread.code) if supplement.thread else None,
        "amount": str(supplement.amount),
    }


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
