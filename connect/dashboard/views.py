"""The garage dashboard: one garage, or every garage of a multi-site user, over 30/90 days."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from connect.accounts.access import access_garage
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Garage
from connect.accounts.policies import authenticated, methods
from connect.dashboard.cache import dashboard_figures
from connect.dashboard.charts import bar_chart
from connect.dashboard.figures import PERIODS, Figures
from connect.dossiers.templatetags.formats import format_amount, format_number


def _days(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("periode", "")
    return int(raw) if raw.isdigit() and int(raw) in PERIODS else PERIODS[0]


@authenticated
@methods("GET")
def all_garages(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_repairer:  # staff pick one garage of their unit: its page links here
        return redirect("staff:garages")
    garages = list(Garage.objects.visible_to(request.user).order_by("name"))
    return _render(request, garages, current=None)


@authenticated
@methods("GET")
def one_garage(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = access_garage(request.user, garage_id)
    garages = list(Garage.objects.visible_to(request.user).order_by("name"))
    if not request.user.is_repairer:  # staff reach a garage of their unit, not the unit's list
        garages = [garage]
    return _render(request, garages, current=garage)


def _render(request: AuthenticatedHttpRequest, garages, *, current) -> HttpResponse:
    days = _days(request)
    ids = [current.pk] if current else [garage.pk for garage in garages]
    found = dashboard_figures(ids, now=timezone.now(), days=days)
    context = {
        "garages": garages,
        "current": current,
        "days": days,
        "periods": PERIODS,
        "figures": found,
        **charts(found),
    }
    return render(request, "dashboard/dashboard.html", context)


def _hours(hours: float) -> str:
    if hours < 48:
        return f"{format_number(hours).replace(',00', '')} h"
    return f"{format_number(hours / 24).replace(',00', '')} j"


def _days_text(days: float | None) -> str:
    return "" if days is None else format_number(days).replace(",00", "")


def charts(found: Figures) -> dict:
    return {
        "tabs_chart": bar_chart([(label, n, str(n)) for label, n in found.tabs]),
        "states_chart": bar_chart([(label, n, str(n)) for label, n in found.states]),
        "response_chart": bar_chart(
            [(label, hours, _hours(hours)) for label, hours, _ in found.response_hours]
        ),
        "response_rows": [(label, _hours(h), n) for label, h, n in found.response_hours],
        "mission_days": _days_text(found.mission_to_report_days),
        "invoice_rows": [
            ("En attente de validation", *found.invoices["validation"]),
            ("En attente de paiement", *found.invoices["payment"]),
        ],
        "invoice_chart": bar_chart(
            [
                (
                    "En attente de validation",
                    float(found.invoices["validation"][1]),
                    format_amount(found.invoices["validation"][1]),
                ),
                (
                    "En attente de paiement",
                    float(found.invoices["payment"][1]),
                    format_amount(found.invoices["payment"][1]),
                ),
            ]
        ),  # fmt: skip
    }
