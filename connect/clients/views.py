"""The client's space: the portfolio list, its export, and a read-only dossier page."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import client_only, methods
from connect.clients import portfolio as pf
from connect.clients.access import access_portfolio_dossier, member_of, portfolio
from connect.clients.dossier_page import dossier_context
from connect.dossiers import export
from connect.dossiers.columns import LIST_COLUMNS
from connect.dossiers.list_rows import render_rows
from connect.dossiers.models import Impact
from connect.dossiers.queries import ListQuery
from connect.lib.throttle import Rate, Throttled, consume, throttled_page


def _state(request) -> tuple[ListQuery, pf.Filters]:
    return ListQuery.from_params(request.GET, tabs=pf.TABS), pf.Filters.from_params(request.GET)


@client_only
@methods("GET")
def portfolio_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    query, filters = _state(request)
    dossiers = portfolio(request.user)
    counts = pf.counts(dossiers)
    page = pf.page(dossiers, query, filters)
    context = {
        "member": member_of(request.user),
        "query": query,
        "filters": filters,
        "page": page,
        "rows": render_rows(page.object_list, firm=True, detail_url_name="clients:dossier"),
        "counts": counts,
        "impacts": Impact.choices,
        **pf.choices(dossiers),
        **_links(query, filters, counts, page),
    }
    return render(request, "clients/portfolio.html", context)


def _exported(request: AuthenticatedHttpRequest):
    """What the list shows, for an export; raises Throttled past the user's hourly exports."""
    consume(("exports-user", request.user.pk, Rate(settings.EXPORTS_PER_USER_PER_HOUR, 3600)))
    query, filters = _state(request)
    return pf.listed(portfolio(request.user), query, filters)


def _filename(extension: str) -> str:
    return f"portefeuille-{timezone.localdate():%Y-%m-%d}.{extension}"


@client_only
@methods("GET")
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    try:
        dossiers = _exported(request)
    except Throttled as error:
        return throttled_page(request, error)
    return export.csv_response(dossiers, filename=_filename("csv"))


@client_only
@methods("GET")
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    try:
        dossiers = _exported(request)
    except Throttled as error:
        return throttled_page(request, error)
    response = FileResponse(
        export.xlsx_file(dossiers),
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@client_only
@methods("GET")
def dossier_page(request: AuthenticatedHttpRequest, code) -> HttpResponse:
    dossier = access_portfolio_dossier(request.user, code)
    return render(request, "clients/dossier.html", dossier_context(request, dossier))


def _links(query: ListQuery, filters: pf.Filters, counts: dict, page) -> dict:
    base = reverse("clients:portfolio")
    tabs = [
        {
            "label": tab.label,
            "count": counts[tab.value],
            "url": pf.url(base, query, filters, tab=tab.value, page="1"),
            "current": tab.value == query.tab,
        }
        for tab in pf.ClientTab
    ]
    firm = settings.FIRM_SHORT_NAME
    headers = []
    for column in LIST_COLUMNS:
        if not column.sort:
            headers.append({"label": column.header(firm), "url": "", "sort": ""})
            continue
        current = query.order.lstrip("-") == column.key
        descending = query.order.startswith("-")
        sort = f"-{column.key}" if current and not descending else column.key
        headers.append(
            {
                "label": column.header(firm),
                "url": pf.url(base, query, filters, sort=sort, page="1"),
                "sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return {
        "tabs": tabs,
        "headers": headers,
        "column_count": len(LIST_COLUMNS),
        "clear_url": pf.url(base, query, pf.Filters(), search="", received_from=None, page="1"),
        "export_csv_url": pf.url(reverse("clients:export_csv"), query, filters, page="1"),
        "export_xlsx_url": pf.url(reverse("clients:export_xlsx"), query, filters, page="1"),
        "previous_url": pf.url(base, query, filters, page=str(page.number - 1))
        if page.has_previous()
        else "",
        "next_url": pf.url(base, query, filters, page=str(page.number + 1))
        if page.has_next()
        else "",
    }
