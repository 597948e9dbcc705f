"""The garage dashboard: one garage, or every garage of a multi-site user, over 30/90 days;
and a client's indicators over its portfolio (issue 27), drawn the same way."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from connect.accounts.access import access_garage
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Garage
from connect.accounts.policies import authenticated, client_only, methods
from connect.clients.access import member_of, portfolio
from connect.clients.indicators import PERIODS as INDICATOR_PERIODS
from connect.clients.indicators import indicators
from connect.clients.portfolio import choices as portfolio_choices
from connect.dashboard.cache import dashboard_figures
from connect.dashboard.charts import bar_chart
from connect.dashboard.figures import PERIODS, Figures
from connect.dossiers.models import Tab
from connect.dossiers.templatetags.formats import format_amount, format_number
from connect.invoices.models import InvoiceState
from connect.lib.http import int_or_none, int_param

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


# The client's indicators (issue 27): the same charts and tables over a client's portfolio.


@client_only
@methods("GET")
def client_indicators(request: AuthenticatedHttpRequest) -> HttpResponse:
    days = int_param(
        request.GET, "periode", default=INDICATOR_PERIODS[1], choices=INDICATOR_PERIODS
    )
    dossiers = portfolio(request.user)
    choices = portfolio_choices(dossiers)
    unit, garage = (
        int_or_none(request.GET.get("unite", "")),
        int_or_none(request.GET.get("garage", "")),
    )
    narrowed = dossiers
    if unit is not None:
        narrowed = narrowed.filter(garage__unit_id=unit)
    if garage is not None:
        narrowed = narrowed.filter(garage_id=garage)
    found = indicators(narrowed, now=timezone.now(), days=days)
    stage_chart = bar_chart(
        [
            (label, value or 0, "—" if value is None else f"{format_number(value)} j")
            for label, value, _n in found.stages
        ]
    )
    since = (timezone.localdate() - timedelta(days=days)).isoformat()
    portfolio_url = reverse("clients:portfolio")
    context = {
        "member": member_of(request.user),
        # The dossiers behind the figures: the portfolio list over the same period.
        "dossiers_url": f"{portfolio_url}?{urlencode({'depuis': since})}",
        "garage_rows": [
            (line, f"{portfolio_url}?{urlencode({'depuis': since, 'garage': line.garage_id})}")
            for line in found.garages
        ],
        "days": days,
        "periods": INDICATOR_PERIODS,
        "unit": unit,
        "garage": garage,
        "figures": found,
        "stage_chart": stage_chart,
        "within": [
            (side_label, *found.within_level.get(side, (0, 0)))
            for side, side_label in (
                ("firm", f"Chez {settings.FIRM_SHORT_NAME}"),
                ("garage", "Chez le garage"),
            )
        ],
        **choices,
    }
    return render(request, "dashboard/client_indicators.html", context)
