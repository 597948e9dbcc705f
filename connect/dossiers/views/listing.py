"""The home page: the user's dossiers in six tabs, searchable, sortable, exportable."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import authenticated, methods
from connect.dossiers import export
from connect.dossiers.ball import reads_as_firm
from connect.dossiers.columns import LIST_COLUMNS
from connect.dossiers.counts import list_counts
from connect.dossiers.list_rows import render_rows
from connect.dossiers.models import Tab
from connect.dossiers.queries import (
    ListQuery,
    list_page,
    listed_dossiers,
    visible_dossiers,
)
from connect.lib.throttle import Rate, Throttled, consume, throttled_page


def _count_export(user) -> None:
    consume(("exports-user", user.pk, Rate(settings.EXPORTS_PER_USER_PER_HOUR, 3600)))


@authenticated
@methods("GET")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = ListQuery.from_params(request.GET)
    dossiers = visible_dossiers(request.user)
    counts = list_counts(request.user, dossiers)
    page = list_page(request.user, query, dossiers, counts)
    context = {
        "query": query,
        "page": page,
        "rows": render_rows(page.object_list, firm=reads_as_firm(request.user)),
        "counts": counts,
        **_links(query, counts, page),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(request, "dossiers/_list.html" if partial else "dossiers/home.html", context)


@authenticated
@methods("GET")
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    try:
        _count_export(request.user)
    except Throttled as error:
        return throttled_page(request, error)
    dossiers = listed_dossiers(request.user, ListQuery.from_params(request.GET))
    return export.csv_response(dossiers, filename=f"{_filename()}.csv")


@authenticated
@methods("GET")
def export_xlsx(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    try:
        _count_export(request.user)
    except Throttled as error:
        return throttled_page(request, error)
    dossiers = listed_dossiers(request.user, ListQuery.from_params(request.GET))
    response = FileResponse(
        export.xlsx_file(dossiers),
        as_attachment=True,
        filename=f"{_filename()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _filename() -> str:
    return f"dossiers-{timezone.localdate():%Y-%m-%d}"


def _links(query: ListQuery, counts: dict, page) -> dict:
    """Every link of the list keeps the rest of the state (tab, search, sort…)."""
    home = reverse("home")
    tabs = [
        {
            "label": tab.label,
            "count": counts[tab.value],
            "url": query.url(home, tab=tab.value, page="1"),
            "current": tab.value == query.tab,
        }
        for tab in Tab
    ]
    firm = settings.FIRM_SHORT_NAME
    headers = []
    for column in LIST_COLUMNS:  # in the cells' order: sortable or not, each over its cells
        if not column.sort:
            headers.append({"label": column.header(firm), "url": "", "sort": ""})
            continue
        key = column.key
        current = query.order.lstrip("-") == key
        descending = query.order.startswith("-")
        headers.append(
            {
                "label": column.header(firm),
                "url": query.url(
                    home, sort=f"-{key}" if current and not descending else key, page="1"
                ),
                "sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return {
        "tabs": tabs,
        "headers": headers,
        "column_count": len(LIST_COLUMNS),
        "novelties_url": query.url(home, novelties_only=not query.novelties_only, page="1"),
        "clear_url": query.url(home, search="", received_from=None, page="1"),
        # A search from another tab covers that tab only: offer the whole list and history.
        "search_everywhere_url": query.url(home, tab=Tab.ALL.value, page="1")
        if query.is_search and query.tab != Tab.ALL
        else "",
        "export_csv_url": query.url(reverse("export_csv"), page="1"),
        "export_xlsx_url": query.url(reverse("export_xlsx"), page="1"),
        "previous_url": query.url(home, page=str(page.number - 1)) if page.has_previous() else "",
        "next_url": query.url(home, page=str(page.number + 1)) if page.has_next() else "",
    }
