"""The garage dashboard: one garage, or every garage of a multi-site user, over 30/90 days."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from connect.accounts.access import access_garage
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Garage
from connect.accounts.policies import authenticated, methods
from connect.dashboard.cache import dashboard_figures
from connect.dashboard.charts import bar_chart
from connect.dashboard.figures import PERIODS, Figures
from connect.dossiers.models import Tab
from connect.dossiers.templatetags.formats import format_amount, format_number
from connect.invoices.models import InvoiceState
from connect.lib.http import int_param

VALIDATION, PAYMENT = "En attente de validation", "En attente de paiement"


def _days(request: AuthenticatedHttpRequest) -> int:
    return int_param(request.GET, "periode", default=PERIODS[0], choices=PERIODS)


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
    # Each figure links to the list of its dossiers where one exists.
    links = _list_links(request, garages, current)
    context["tab_rows"] = [(label, n, links.get(label, "")) for label, n in found.tabs]
    context["invoice_rows"] = [(*row, links.get(row[0], "")) for row in context["invoice_rows"]]
    return render(request, "dashboard/dashboard.html", context)


def _list_links(request: AuthenticatedHttpRequest, garages, current) -> dict[str, str]:
    """Where a figure's dossiers are listed: the home list's tabs and "Mes factures" by state.
    Those lists cover every garage of the repairer (no garage filter): a figure links only
    when the dashboard counts the same garages."""
    if not request.user.is_repairer or (current is not None and len(garages) > 1):
        return {}
    home, invoices = reverse("home"), reverse("invoices:mine")
    return {
        **{tab.label: f"{home}?onglet={tab.value}" for tab in Tab},
        VALIDATION: f"{invoices}?etat={InvoiceState.RECEIVED.value}",
        PAYMENT: f"{invoices}?etat={InvoiceState.VALIDATED.value}",
    }


def duration_words(hours: float, day_hours: float = 7.5) -> str:
    """A working-time duration as people say it: "moins d'une minute", "12 min", "3 h 05",
    "2,5 j ouvrés" (from one working day of `day_hours` on; never "0,02 h")."""
    minutes = round(hours * 60)
    if minutes < 1:
        return "moins d'une minute"
    if minutes < 60:
        return f"{minutes} min"
    if hours < day_hours:
        whole, rest = divmod(minutes, 60)
        return f"{whole} h {rest:02d}" if rest else f"{whole} h"
    days = f"{hours / day_hours:.1f}".replace(".", ",").removesuffix(",0")
    return f"{days} j ouvré" if days == "1" else f"{days} j ouvrés"


def _days_text(days: float | None) -> str:
    return "" if days is None else format_number(days).replace(",00", "")


def charts(found: Figures) -> dict:
    return {
        "tabs_chart": bar_chart([(label, n, str(n)) for label, n in found.tabs]),
        "states_chart": bar_chart([(label, n, str(n)) for label, n in found.states]),
        "response_chart": bar_chart(
            [
                (label, hours, duration_words(hours, found.day_hours))
                for label, hours, _ in found.response_hours
            ]
        ),
        "response_rows": [
            (label, duration_words(h, found.day_hours), n) for label, h, n in found.response_hours
        ],
        "mission_days": _days_text(found.mission_to_report_days),
        "invoice_rows": [
            (VALIDATION, *found.invoices["validation"]),
            (PAYMENT, *found.invoices["payment"]),
        ],
        "invoice_chart": bar_chart(
            [
                (
                    VALIDATION,
                    float(found.invoices["validation"][1]),
                    format_amount(found.invoices["validation"][1]),
                ),
                (
                    PAYMENT,
                    float(found.invoices["payment"][1]),
                    format_amount(found.invoices["payment"][1]),
                ),
            ]
        ),
    }
