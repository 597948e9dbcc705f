"""The home list of dossiers: what the URL asks for, the rows, the six counts, the page.

Everything starts from `Dossier.objects.visible_to(user)`: nothing outside the user's garages
(or unit, for staff) can be listed, counted, found or exported. A page costs a constant number
of queries whatever its size: one aggregate for the counts, one for the rows, one count when a
search or filter is active.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL

from connect.accounts.principal import garage_ids
from connect.dossiers.ball import reads_as_firm
from connect.dossiers.columns import DEFAULT_SORT, ROW_FIELDS, SORT_FIELDS, SORT_THEN
from connect.dossiers.models import Dossier, Tab, tab_filter
from connect.dossiers.novelty import is_novelty, novelty_q, with_novelty, with_seen
from connect.lib.http import int_param

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
MAX_SEARCH_LENGTH = 100
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


# A tab whose natural order is not the newest mission first.
TAB_ORDERS = {Tab.UPCOMING_EXAMS.value: "rdv"}


@dataclass(frozen=True)
class ListQuery:
    """The list's state, as it lives in the URL (shareable, back button works)."""

    tab: str = Tab.ALL.value
    search: str = ""
    received_from: date | None = None
    novelties_only: bool = False
    sort: str = ""  # the user's choice (`?tri=`); empty: the tab's own order (`order`)
    page: str = "1"
    page_size: int = DEFAULT_PAGE_SIZE
    error: str = ""

    @classmethod
    def from_params(cls, params, tabs: tuple[str, ...] = tuple(Tab.values)) -> "ListQuery":
        """`tabs`: the tabs of this list, the first the default (the clients' portfolio has
        its own, connect/clients/portfolio.py)."""
        tab = params.get("onglet", tabs[0])
        sort = params.get("tri", "")
        search = _CONTROL_CHARS.sub("", params.get("q", "")).strip()[:MAX_SEARCH_LENGTH]
        received_from, error = _parse_date(params.get("depuis", "").strip())
        return cls(
            tab=tab if tab in tabs else tabs[0],
            search=" ".join(search.split()),
            received_from=received_from,
            novelties_only=params.get("nouveautes") == "1",
            sort=sort if sort.lstrip("-") in SORT_FIELDS else "",
            page=params.get("page", "1"),
            page_size=int_param(params, "taille", default=DEFAULT_PAGE_SIZE, choices=PAGE_SIZES),
            error=error,
        )

    @property
    def order(self) -> str:
        """The sort in force: the user's, else the tab's ("Examens à venir": soonest first)."""
        return self.sort or TAB_ORDERS.get(self.tab, DEFAULT_SORT)

    @property
    def is_search(self) -> bool:
        """A search by text or by date; from "Tous dossiers" it reaches the archived ones."""
        return bool(self.search or self.received_from)

    @property
    def includes_history(self) -> bool:
        return self.is_search and self.tab == Tab.ALL

    def params(self, **changes) -> dict:
        """URL parameters for this state with `changes`, defaults left out (short URLs)."""
        state = replace(self, **changes)
        values = {
            "onglet": state.tab if state.tab != Tab.ALL else "",
            "q": state.search,
            "depuis": state.received_from.isoformat() if state.received_from else "",
            "nouveautes": "1" if state.novelties_only else "",
            "tri": state.sort,
            "taille": str(state.page_size) if state.page_size != DEFAULT_PAGE_SIZE else "",
            "page": state.page if str(state.page) != "1" else "",
        }
        return {key: value for key, value in values.items() if value}

    def url(self, base: str, **changes) -> str:
        query = urlencode(self.params(**changes))
        return f"{base}?{query}" if query else base


def _parse_date(raw: str) -> tuple[date | None, str]:
    if not raw:
        return None, ""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, pattern).date(), ""
        except ValueError:
            continue
    return None, "Date de réception de mission invalide : utilisez le format JJ/MM/AAAA."


def visible_dossiers(user) -> QuerySet:
    """`visible_to(user)`, plus a repairer's garage ids as constants (from the cached
    principal, connect/accounts/principal.py).

    Same rows; but with `garage_id IN (…)` known, PostgreSQL reads the per-garage index in the
    list's order and stops after one page, instead of sorting the garage's dossiers. Not for
    staff: over a unit's garages the constants made PostgreSQL read every row of the unit
    through the garage index (bench/README.md, "Figures behind the code"); the unit join walks
    the list's order indexes instead (0002, 0004).
    """
    dossiers = Dossier.objects.visible_to(user)
    if user.is_authenticated and user.is_repairer:
        dossiers = dossiers.filter(garage_id__in=visible_garage_ids(user))
    return dossiers


def visible_garage_ids(user) -> list[int]:
    """The ids of the garages whose dossiers `user` sees, read once per request."""
    return garage_ids(user)


def listed_dossiers(user, query: ListQuery, dossiers: QuerySet | None = None) -> QuerySet:
    """The user's dossiers for this tab, search and filters, with novelty flags, sorted."""
    dossiers = visible_dossiers(user) if dossiers is None else dossiers
    if not query.includes_history:
        dossiers = dossiers.filter(tab_filter(query.tab, firm=reads_as_firm(user)))
    if query.search:
        dossiers = dossiers.matching(query.search)  # type: ignore[attr-defined]  # DossierQuerySet
    if query.received_from:
        dossiers = dossiers.filter(mission_received_on__gte=query.received_from)
    dossiers = with_novelty(dossiers, user)
    if query.novelties_only:
        dossiers = dossiers.filter(is_novelty())
    return dossiers.defer("search_text").order_by(*list_ordering(query.order))


def list_ordering(sort: str) -> list:
    """The sort (and its tie-breaking columns, SORT_THEN), then the id in the same direction,
    so that one per-garage index read forwards or backwards serves both directions (dossiers
    migrations 0002, 0004_ball_indexes and 0005_sort_indexes).

    Empty values come last either way; a column that cannot be NULL has no NULLS clause (its
    index is a plain one), a nullable one has an index per direction. The default order
    (newest mission first) keeps its tie-break, newest id first."""
    descending = sort.startswith("-")
    order = []
    for name in _order_columns(sort):
        field, nullable = F(name), Dossier._meta.get_field(name).null
        if descending:
            order.append(field.desc(nulls_last=True) if nullable else field.desc())
        else:
            order.append(field.asc(nulls_last=True) if nullable else field.asc())
    return order


def _order_columns(sort: str) -> list[str]:
    """The model fields a sort orders by: its own, those that break its ties, then the id."""
    key = sort.lstrip("-")
    return [SORT_FIELDS[key], *SORT_THEN.get(key, ()), "id"]


def tab_counts(user, dossiers: QuerySet) -> dict[str, int]:
    """The six tabs' counts and the novelties, in one aggregate query over
    `visible_dossiers(user)`."""
    firm = reads_as_firm(user)
    counts = with_seen(dossiers, user).aggregate(
        **{tab.value: Count("pk", filter=tab_filter(tab, firm=firm)) for tab in Tab},
        novelties=Count("pk", filter=tab_filter(Tab.ALL) & novelty_q()),
    )
    return counts


def list_page(user, query: ListQuery, dossiers: QuerySet, counts: dict[str, int]) -> Page:
    """The requested page, with the paginator's count known without a second pass if possible.

    A tab's count comes from the counts aggregate, and so does the novelties filter's from
    "Tous dossiers". A search has to sort all its matches anyway: the rows query counts them
    too (`COUNT(*) OVER ()`), instead of a separate COUNT that would filter them again.
    """
    rows = listed_dossiers(user, query, dossiers).values_list(*ROW_VALUES, named=True)
    paginator = Paginator(rows, query.page_size)
    if not (query.is_search or query.novelties_only):
        paginator.count = counts[query.tab]
        paginator.object_list = _from_each_garage(user, query, rows)
    elif query.novelties_only and not query.is_search and query.tab == Tab.ALL:
        paginator.count = counts["novelties"]
    else:
        return _counted_page(paginator, rows, query, user)
    return paginator.get_page(query.page)


# A page's rows are named tuples of what the cells read (columns.py), not model instances:
# 6.75 → 6.3 ms of CPU per list page (bench/cpu_profile.py, 1,000,000 dossiers, quiet machine).
ROW_VALUES = (*ROW_FIELDS, "has_new_documents", "has_new_messages")

# Orders with an index over every garage (dossiers 0002 `dossier_list_order`, 0005
# `dossier_list_rdv`): over a unit the plain query walks it and stops after one page. "Examens
# à venir" over a unit of 200 garages: 60 ms through each garage, 0.3 ms along the index.
UNIT_ORDERS = (DEFAULT_SORT, "rdv")

# A page deeper than this over a unit reads (page × size) rows per garage: the plain plan wins.
PER_GARAGE_MAX_ROWS = 500
_SENTINEL = -7_310_417  # a garage id no row has, replaced by each garage's in the SQL


def _from_each_garage(user, query: ListQuery, rows: QuerySet) -> QuerySet:
    """A unit's list sorted by another column than the default: start from the unit's garages.

    Over a whole unit a sort by amount read and sorted every live dossier of the unit. Here
    each garage gives the first rows of the page in its sort index (dossiers 0004), through a
    LATERAL join over the unit's garage ids, and only those ids are sorted: the same rows, at a
    cost that grows with the unit's garages, not its dossiers (bench/README.md, "Figures behind
    the code"). PostgreSQL only; repairers (one garage, their own index) and the orders
    indexed over every garage (UNIT_ORDERS) keep the plain query.
    """
    if (
        connection.vendor != "postgresql"
        or user.is_repairer
        or user.is_admin
        or query.order in UNIT_ORDERS
    ):
        return rows
    try:
        depth = int(query.page) * query.page_size
    except ValueError:
        depth = query.page_size
    garages = visible_garage_ids(user)
    if not 0 < depth <= PER_GARAGE_MAX_ROWS or len(garages) < 2:
        return rows
    inner = rows.filter(garage_id=_SENTINEL).values(*_order_columns(query.order))[:depth]
    sql, params = inner.query.sql_with_params()
    parts = sql.split("%s")
    at = list(params).index(_SENTINEL)
    sql = "%s".join(parts[: at + 1]) + "g.id" + "%s".join(parts[at + 1 :])
    values = [garages, *params[:at], *params[at + 1 :], depth]
    # Django's own compiled SQL around one placeholder made a column; every value a parameter.
    # The page's ids are chosen from the index entries (sort columns and id), so that only
    # they are read from the table: 10,050 rows fetched over 201 garages were 32 of 51 ms.
    lateral = (
        f"SELECT d.id FROM unnest(%s::bigint[]) AS g(id) CROSS JOIN LATERAL ({sql}) AS d "  # noqa: S608
        f"ORDER BY {_order_sql(query.order)} LIMIT %s"
    )
    return rows.filter(pk__in=RawSQL(lateral, values))  # noqa: S611


# A search counts its matches up to this many beyond the page's depth; past it the list says
# "Plus de 200 résultats". Its rows query then reads at most that many matches, in the list's
# order (the history indexes of dossiers 0006) when they are dense, and sorts them: a search
# matching most of a garage of 50,000 ("a" from a date) sorted and counted all 43,000 matches,
# 62 ms of SQL; now 5 ms. The cap is what the walk costs: 1,000 made "ROBERT" over a unit walk
# 73,000 index entries (130 ms); at 200 every staff and repairer search measured is ≤ 14 ms
# (EXPLAIN ANALYZE, 1,000,000 dossiers).
SEARCH_COUNT_CAP = 200


def _order_sql(order: str) -> str:
    """`list_ordering` as SQL over the LATERAL's columns (model field names, never input)."""
    direction = "DESC" if order.startswith("-") else "ASC"
    return ", ".join(
        f'd."{name}" {direction}' + (" NULLS LAST" if Dossier._meta.get_field(name).null else "")
        for name in _order_columns(order)
    )


def _counted_page(paginator: Paginator, rows: QuerySet, query: ListQuery, user) -> Page:
    try:
        number = int(query.page)
    except ValueError:
        number = 1  # as Paginator.get_page
    if number < 1:
        return paginator.get_page(query.page)
    start = (number - 1) * query.page_size
    limit = max(SEARCH_COUNT_CAP, start + query.page_size) + 1
    first = rows.values("pk")[:limit]  # in the list's order: stops after `limit` matches
    # Only those, by id: the search's filters are not evaluated a second time.
    counted = with_novelty(Dossier.objects.filter(pk__in=first), user).annotate(
        total_found=Window(Count("pk"))
    )
    counted = counted.order_by(*list_ordering(query.order))
    found = list(
        counted.values_list(*ROW_VALUES, "total_found", named=True)[start : start + query.page_size]
    )
    if not found:
        # Past the last page (or nothing found): count, then show the last page as get_page does.
        return paginator.get_page(query.page)
    paginator.count = found[0].total_found
    paginator.more = paginator.count == limit  # type: ignore[attr-defined]  # at least this many
    return Page(found, number, paginator)
