"""The client's portfolio list: the repairers' list engine (connect/dossiers: ListQuery, the
columns, the rows, the sorts, the search, the export) over `access.portfolio(user)`, with
tabs of the client's own and filters by garage, unit, period and impact.

A page costs a constant number of queries: the tabs' counts (one aggregate), the rows, the
count of a filtered list, and the filters' choices.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from connect.dossiers.columns import ROW_FIELDS
from connect.dossiers.models import Impact, Step, StepKind
from connect.dossiers.queries import ListQuery, list_ordering
from connect.lib.http import int_or_none


class ClientTab(models.TextChoices):
    """The portfolio's tabs (issue 27), derived from explicit fields as the garages' are."""

    ONGOING = "en-cours", "En cours"
    AWAITING_REPORT = "attente-rapport", "En attente de rapport"
    IN_REPAIR = "en-reparation", "En réparation"
    AWAITING_INVOICE = "attente-facture", "En attente de facture"
    CLOSED = "clos", "Clos"


TABS = tuple(ClientTab.values)
HAS_REPORT = Exists(Step.objects.filter(dossier=OuterRef("pk"), kind=StepKind.REPORT))


def client_tab_filter(tab: str) -> Q:
    """En cours: every live dossier; en attente de rapport: live, no report step yet; en
    réparation: reported, the invoice not awaited yet; en attente de facture: the core
    system's flag; clos: archived."""
    live = Q(archived=False)
    if tab == ClientTab.AWAITING_REPORT:
        return live & ~Q(HAS_REPORT)
    if tab == ClientTab.IN_REPAIR:
        return live & Q(HAS_REPORT) & Q(awaiting_invoice=False)
    if tab == ClientTab.AWAITING_INVOICE:
        return live & Q(awaiting_invoice=True)
    if tab == ClientTab.CLOSED:
        return Q(archived=True)
    return live


@dataclass(frozen=True)
class Filters:
    """What narrows the tab beside the search: garage, unit, mission received up to a date
    (the list's own "depuis" is the period's start), impact."""

    garage: int | None = None
    unit: int | None = None
    until: date | None = None
    impact: str = ""
    error: str = ""

    @classmethod
    def from_params(cls, params) -> "Filters":
        until, error = None, ""
        raw = params.get("jusqu", "").strip()
        if raw:
            try:
                until = date.fromisoformat(raw)
            except ValueError:
                error = "Date de fin invalide : utilisez le format AAAA-MM-JJ."
        impact = params.get("choc", "")
        return cls(
            garage=int_or_none(params.get("garage", "")),
            unit=int_or_none(params.get("unite", "")),
            until=until,
            impact=impact if impact in Impact.values else "",
            error=error,
        )

    def apply(self, dossiers: QuerySet) -> QuerySet:
        if self.garage is not None:
            dossiers = dossiers.filter(garage_id=self.garage)
        if self.unit is not None:
            dossiers = dossiers.filter(garage__unit_id=self.unit)
        if self.until is not None:
            dossiers = dossiers.filter(mission_received_on__lte=self.until)
        if self.impact:
            dossiers = dossiers.filter(impact=self.impact)
        return dossiers

    @property
    def active(self) -> bool:
        return bool(self.garage is not None or self.unit is not None or self.until or self.impact)

    def params(self) -> dict:
        values = {
            "garage": "" if self.garage is None else str(self.garage),
            "unite": "" if self.unit is None else str(self.unit),
            "jusqu": self.until.isoformat() if self.until else "",
            "choc": self.impact,
        }
        return {key: value for key, value in values.items() if value}


def url(base: str, query: ListQuery, filters: Filters, **changes) -> str:
    """A link of the list that keeps its whole state (tab, search, sort, filters)."""
    params = query.params(**changes) | filters.params()
    return f"{base}?{urlencode(params)}" if params else base


def listed(dossiers: QuerySet, query: ListQuery, filters: Filters) -> QuerySet:
    """The portfolio for this tab, search and filters, in the list's order."""
    dossiers = dossiers.filter(client_tab_filter(query.tab))
    if query.search:
        dossiers = dossiers.matching(query.search)  # type: ignore[attr-defined]  # DossierQuerySet
    if query.received_from:
        dossiers = dossiers.filter(mission_received_on__gte=query.received_from)
    dossiers = filters.apply(dossiers)
    return dossiers.defer("search_text").order_by(*list_ordering(query.order))


def counts(dossiers: QuerySet) -> dict[str, int]:
    """Every tab's count in one aggregate over the portfolio."""
    return dossiers.aggregate(
        **{tab.value: Count("pk", filter=client_tab_filter(tab)) for tab in ClientTab}
    )


def page(dossiers: QuerySet, query: ListQuery, filters: Filters) -> Page:
    rows = listed(dossiers, query, filters).values_list(*ROW_FIELDS, named=True)
    return Paginator(rows, query.page_size).get_page(query.page)


def choices(dossiers: QuerySet) -> dict[str, list[tuple[int, str]]]:
    """The garages and units the portfolio spans, for the filters."""
    garages = dossiers.values_list("garage_id", "garage__name").distinct().order_by()
    units = dossiers.values_list("garage__unit_id", "garage__unit__name").distinct().order_by()
    return {
        "garages": sorted(garages, key=lambda pair: pair[1]),
        "units": sorted(units, key=lambda pair: pair[1]),
    }
