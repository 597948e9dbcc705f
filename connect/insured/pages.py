"""What the insured's pages show, read in a constant number of queries."""

from urllib.parse import quote_plus

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from connect.dossiers.models import Dossier, Step
from connect.insured import tracker
from connect.insured.access import followed_dossiers, released_documents
from connect.insured.models import InsuredQuestion, InsuredSurvey
from connect.insured.now import who_acts
from connect.lib.money import format_euros


def vehicle_parts(vehicle: str) -> tuple[str, str]:
    """ "BMW - SERIE 1 F40" → ("BMW", "SERIE 1 F40"), as the core system writes it."""
    make, _, model = vehicle.partition(" - ")
    return make.strip(), model.strip()


def map_link(garage) -> str:
    """A map search for the garage's address (OpenStreetMap: no account, no tracker)."""
    address = ", ".join(part for part in (garage.address, garage.postal_code, garage.city) if part)
    if not address:
        return ""
    return "https://www.openstreetmap.org/search?query=" + quote_plus(f"{garage.name}, {address}")


def _with_steps(dossiers):
    steps = Prefetch("steps", queryset=Step.objects.order_by("occurred_at", "id"))
    return dossiers.select_related("garage").prefetch_related(steps)


def _summary(dossier: Dossier) -> dict:
    stages = tracker.stages(dossier, dossier.steps.all())
    current = tracker.current(stages)
    make, model = vehicle_parts(dossier.vehicle)
    return {
        "dossier": dossier,
        "make": make,
        "model": model,
        "stages": stages,
        "current": current,
        "says": tracker.SAYS[current.label],
        "who_acts": who_acts(dossier),
        "map_link": map_link(dossier.garage),
    }


def dossier_rows(user) -> list[dict]:
    """ "Mes dossiers": live ones first, then the newest mission."""
    dossiers = _with_steps(followed_dossiers(user)).order_by("archived", "-created_at", "-id")
    return [_summary(dossier) for dossier in dossiers]


def survey_open(stages: list[tracker.Stage]) -> bool:
    """The survey is offered once the vehicle is ready (or the dossier closed)."""
    return tracker.current(stages).label in ("Véhicule prêt", "Clos")


def dossier_context(dossier: Dossier) -> dict:
    dossier = _with_steps(Dossier.objects.filter(pk=dossier.pk)).get()
    appointment = dossier.appointment_at
    amount = dossier.repair_amount if settings.INSURED_SEES_AMOUNTS else None
    return {
        **_summary(dossier),
        "appointment": appointment,
        "appointment_upcoming": bool(appointment and appointment >= timezone.now()),
        "documents": list(released_documents(dossier)),
        "questions": list(InsuredQuestion.objects.filter(dossier=dossier)),
        "survey": InsuredSurvey.objects.filter(dossier=dossier).first(),
        "amount": format_euros(amount) if amount is not None else "",
    }
