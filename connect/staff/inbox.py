"""The staff inbox: threads routed to the user's role in their unit, with filters and counts.

An expert or an advisor sees the threads routed to them and those left to their role's pool in
the unit (the dossier had nobody assigned); a manager sees every thread of the unit; an
administrator every thread. Unseen is per user (ThreadSeen), pool threads included.

Scale (bench/staff_inbox.py, 100,000 threads in a unit): the open threads are a small working
set (partial index `thread_inbox_open`) where everything is exact: counts, unseen, facets,
pages. The history ("Clos", "Tous") is read in recency order (`thread_inbox_recent`) and never
counted past COUNT_CAP: its tabs show "1000+" and its pages have no "sur N".

Open threads come by due date by default (`tri=echeance`): the thread's own wait on the firm
(its message awaiting an answer, its exam awaiting confirmation), `Thread.due_at`, soonest
first, overdue ones marked; threads with nothing due follow, most recent first (partial index
`thread_inbox_due`). `tri=recent` gives the unread-first order. Beside them, by due date too,
the firm's waits that are no thread's (`other_firm_waits`): invoices to validate, complements
to check, supplements to decide, EAD material to assess, each linked to where it is done.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import BigIntegerField, Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Garage, Role
from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.models import Ball, Dossier
from connect.invoices.models import Invoice
from connect.lib.http import int_param
from connect.messaging.access import threads_in_scope
from connect.messaging.models import Thread, ThreadSeen, ThreadStatus
from connect.messaging.subjects import SUBJECT_CHOICES
from connect.readings.models import Kind, Reading, Verdict
from connect.staff.access import garages_for_staff

PAGE_SIZE = 25
# "Non lus" is what still needs reading among open threads (a closed thread is handled), so
# that the unseen state is computed over the open threads only, never the whole history.
STATES = {
    "ouverts": Q(status=ThreadStatus.OPEN),
    "clos": Q(status=ThreadStatus.CLOSED),
    "non-lus": Q(status=ThreadStatus.OPEN, is_unseen=True),
    "tous": Q(),
}
STATE_LABELS = {"ouverts": "Ouverts", "non-lus": "Non lus", "clos": "Clos", "tous": "Tous"}
OPEN_STATES = ("ouverts", "non-lus")
# History counts stop here: beyond, the tab reads "1000+" (counting 100k rows costs ~25 ms).
COUNT_CAP = 1000
# A search matching up to this many dossiers (or garages) reads their threads by dossier.
SEARCH_IDS_CAP = 500


class AtLeast(int):
    """A count stopped at COUNT_CAP: the true figure is this or more."""

    capped = True


def routed_threads(user):
    """The threads routed to the user, or to their role's pool in the unit."""
    threads = threads_in_scope(user)
    if user.role in (Role.EXPERT, Role.ADVISOR):
        threads = threads.filter(Q(routed_to=user) | Q(routed_to__isnull=True))
    return threads


def _unseen(user):
    """True when `user` has not seen the thread's last message (one probe of their seen rows)."""
    seen = ThreadSeen.objects.filter(
        user_id=user.pk, thread=OuterRef("pk"), seen_at__gte=OuterRef("last_message_at")
    )
    return ~Exists(seen)


def inbox_threads(user):
    """`routed_threads` with `is_unseen` (this user has not seen the last message)."""
    return routed_threads(user).annotate(is_unseen=_unseen(user))


@dataclass
class InboxFilters:
    state: str = "ouverts"
    subject: str = ""
    garage: int | None = None
    query: str = ""
    sort: str = "echeance"

    @property
    def by_due_date(self) -> bool:
        return self.sort == "echeance" and self.state in OPEN_STATES

    @classmethod
    def from_request(cls, params) -> "InboxFilters":
        state = params.get("etat", "ouverts")
        subject = params.get("objet", "")
        garage = int_param(params, "garage", default=0) or None
        return cls(
            state=state if state in STATES else "ouverts",
            subject=subject if subject in dict(SUBJECT_CHOICES) else "",
            garage=garage,
            query=params.get("q", "").replace("\x00", "").strip()[:100],
            sort="recent" if params.get("tri") == "recent" else "echeance",
        )

    @cached_property
    def matching_dossiers(self):
        """The dossiers the search matches: their ids as constants when there are few (the
        threads are then read on the per-dossier index, whatever their age), else a subquery.
        The planner cannot estimate the match through the OR, so it is run first."""
        garages = Garage.objects.filter(name__icontains=self.query).values_list("pk", flat=True)
        garage_ids = list(garages[: SEARCH_IDS_CAP + 1])
        wide = len(garage_ids) > SEARCH_IDS_CAP
        of_garages = Dossier.objects.filter(garage_id__in=garages if wide else garage_ids)
        dossiers = (Dossier.objects.matching(self.query) | of_garages).values_list("pk", flat=True)
        ids = list(dossiers[: SEARCH_IDS_CAP + 1])
        return ids if len(ids) <= SEARCH_IDS_CAP else dossiers

    def apply(self, threads, *, state=True):
        """Apply the search, subject and garage filters (and the state unless asked not to)."""
        if self.subject:
            threads = threads.filter(subject=self.subject)
        if self.garage:
            threads = threads.filter(
                dossier_id__in=Dossier.objects.filter(garage_id=self.garage).values("pk")
            )
        if self.query:
            threads = threads.filter(dossier_id__in=self.matching_dossiers)
        if state:
            threads = threads.filter(STATES[self.state])
        return threads


def open_counts(user, filters: InboxFilters) -> dict[str, int]:
    """Open and unseen threads under the other filters: one aggregate over the open set."""
    open_threads = filters.apply(routed_threads(user), state=False).filter(STATES["ouverts"])
    return open_threads.aggregate(
        **{"ouverts": Count("pk"), "non-lus": Count("pk", filter=_unseen(user))}
    )


def open_breakdown(user) -> list[dict]:
    """The open threads of the inbox per subject and garage, with how many are unseen: one
    grouped query over the open set, from which the open tab counts (unless a search
    narrows them) and both facets are summed. The unseen state is probed per open thread,
    never joined with the user's every seen row (those grow with the history)."""
    rows = (
        routed_threads(user)
        .filter(STATES["ouverts"])
        .values("subject", "dossier__garage_id", "dossier__garage__name")
        .annotate(n=Count("pk"), unseen=Count("pk", filter=_unseen(user)))
        .order_by()
    )
    return list(rows)


def state_counts(user, filters: InboxFilters, breakdown=None) -> dict[str, int]:
    """How many threads each state tab holds under the other filters: the open ones exactly
    (summed from `breakdown` when no search narrows them), the closed ones up to COUNT_CAP
    (an `AtLeast` beyond); "Tous" is their sum."""
    if breakdown is None or filters.query:
        counts = open_counts(user, filters)
    else:
        rows = [
            row
            for row in breakdown
            if (not filters.subject or row["subject"] == filters.subject)
            and (not filters.garage or row["dossier__garage_id"] == filters.garage)
        ]
        counts = {"ouverts": sum(r["n"] for r in rows), "non-lus": sum(r["unseen"] for r in rows)}
    closed = filters.apply(routed_threads(user), state=False).filter(STATES["clos"])
    n_closed = closed.values("pk")[: COUNT_CAP + 1].count()
    if n_closed > COUNT_CAP:
        counts["clos"] = AtLeast(COUNT_CAP)
        counts["tous"] = AtLeast(COUNT_CAP + counts["ouverts"])
    else:
        counts["clos"], counts["tous"] = n_closed, n_closed + counts["ouverts"]
    return counts


def facet_counts(user, filters: InboxFilters, breakdown):
    """Per subject and per garage counts within an open state (summed from `breakdown`).
    The history would group every row: there the options come without counts (the subject
    catalogue, the garages of the user's scope)."""
    labels = dict(SUBJECT_CHOICES)
    if filters.state not in OPEN_STATES:
        scope = garages_for_staff(user).order_by("name").values_list("pk", "name")
        return [(k, label, None) for k, label in labels.items()], [
            (pk, name, None) for pk, name in scope
        ]
    column = "n" if filters.state == "ouverts" else "unseen"
    subjects: dict[str, int] = {}
    garages: dict[tuple[str, int], int] = {}
    for row in breakdown:
        subjects[row["subject"]] = subjects.get(row["subject"], 0) + row[column]
        key = (row["dossier__garage__name"], row["dossier__garage_id"])
        garages[key] = garages.get(key, 0) + row[column]
    subject_counts = [
        (key, labels[key], n) for key, n in sorted(subjects.items()) if key in labels and n
    ]
    garage_counts = [(pk, name, n) for (name, pk), n in sorted(garages.items()) if n]
    return subject_counts, garage_counts


@dataclass
class InboxPage:
    """A page of threads read as LIMIT page size + 1 (is there a next page?): no COUNT query.
    `total_pages` is known when the state's count is exact, else None (history)."""

    threads: list = field(default_factory=list)
    number: int = 1
    has_next: bool = False
    total_pages: int | None = None

    def __iter__(self):
        return iter(self.threads)

    def __len__(self) -> int:
        return len(self.threads)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def inbox_page(user, threads, *, number, total: int, unseen: int | None = None) -> InboxPage:
    """Page `number` (1 if not a positive integer, the last one if beyond an exact total).

    `unseen`: how many of `threads` (sorted unseen first) are unseen. The page is then read
    as its unseen part and its read part, each in recency order on the index, instead of
    sorting every open thread on its unseen state."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    total_pages = None
    if not getattr(total, "capped", False):
        total_pages = max(1, -(-total // PAGE_SIZE))
        number = min(number, total_pages)
    start, end = (number - 1) * PAGE_SIZE, number * PAGE_SIZE + 1
    if unseen is None:
        keys = threads.values("pk")[start:end]
    else:
        recent = threads.order_by("-last_message_at", "-id").values_list("pk", flat=True)
        keys = []
        if start < unseen:
            keys += recent.filter(is_unseen=True)[start : min(end, unseen)]
        if end > unseen:
            keys += recent.filter(is_unseen=False)[max(0, start - unseen) : end - unseen]
    rows = with_details(user, threads, keys)
    return InboxPage(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE, total_pages)


def with_details(user, threads, keys) -> list:
    """The threads of `keys` (a sliced, ordered subquery of `threads`) with their dossier,
    garage and assignee, in the same order. The joins thus run for one page of rows, not for
    every row the sort or the offset goes through."""
    rows = list(
        Thread.objects.filter(pk__in=keys)
        .annotate(is_unseen=_unseen(user), shows_other_plate=_shows_other_plate())
        .select_related("dossier__garage", "routed_to")
        .order_by(*threads.query.order_by)
    )
    now = timezone.now()
    for row in rows:
        row.overdue = row.due_at is not None and row.due_at < now  # type: ignore[attr-defined]
    return rows


def _shows_other_plate():
    """The thread's dossier has a photo whose plate is not the dossier's (connect/readings):
    one EXISTS per row of the page, on the readings' (verdict, kind, dossier) index."""
    return Exists(
        Reading.objects.filter(
            dossier=OuterRef("dossier"), kind=Kind.PLATE, verdict=Verdict.MISMATCH
        )
    )


def sorted_for_state(threads, state: str = "ouverts", *, by_due_date: bool = False):
    """Open threads by due date (soonest first, nothing due last), or unseen first, then the
    most recent message. The whole history ("Tous", "Clos"): most recent first, so that no
    page ever sorts on the unseen state of every row."""
    order: list = ["-last_message_at", "-id"]
    if by_due_date:
        order.insert(0, F("due_at").asc(nulls_last=True))
    elif state == "ouverts":
        order.insert(0, "-is_unseen")
    return threads.order_by(*order)


def latest_unseen(user, count: int = 5) -> list:
    """The newest unseen open threads (workspace home)."""
    threads = sorted_for_state(inbox_threads(user).filter(STATES["non-lus"]), "non-lus")
    return with_details(user, threads, threads.values("pk")[:count])


# The firm's waits that are no thread's message: reachable from the inbox "par échéance" too,
# each for the role that acts on it (a manager and an administrator see them all).
OTHER_FIRM_WAITS = {
    WaitKind.INVOICE_VALIDATION: Role.ADVISOR,
    WaitKind.COMPLEMENT_CHECK: Role.EXPERT,
    WaitKind.SUPPLEMENT_DECISION: Role.EXPERT,
    WaitKind.EAD_ASSESSMENT: Role.EXPERT,
    WaitKind.INSURED_QUESTION: Role.ADVISOR,
    WaitKind.INSURED_CALLBACK: Role.ADVISOR,
}
FIRM_WAITS_SHOWN = 50
_INVOICE_KEY = "invoice:"


@dataclass(frozen=True)
class FirmWait:
    kind: str
    label: str
    reference: str
    garage: str
    due_at: datetime | None
    overdue: bool
    url: str


def other_firm_waits(user, filters: InboxFilters) -> tuple[list[FirmWait], bool]:
    """The open waits on the firm outside threads (invoices to validate, complements to
    check, supplements to decide, EAD material to assess) in the user's scope and the inbox's
    garage and search filters, soonest due first: one query. Returns (shown, more)."""
    kinds = [kind for kind, role in OTHER_FIRM_WAITS.items() if user.role in (role, Role.MANAGER)]
    if user.is_admin:
        kinds = list(OTHER_FIRM_WAITS)
    dossiers = Dossier.objects.visible_to(user).filter(archived=False)
    if filters.garage:
        dossiers = dossiers.filter(garage_id=filters.garage)
    if filters.query:
        dossiers = dossiers.filter(pk__in=filters.matching_dossiers)
    invoice_id = Case(
        When(
            key__startswith=_INVOICE_KEY,
            then=Cast(Substr("key", len(_INVOICE_KEY) + 1), BigIntegerField()),
        ),
    )
    rows = list(
        WaitPeriod.objects.filter(ended_at__isnull=True, side=Ball.FIRM, kind__in=kinds)
        .filter(dossier__in=dossiers)
        .annotate(invoice_id=invoice_id)
        .annotate(
            invoice_code=Subquery(Invoice.objects.filter(pk=OuterRef("invoice_id")).values("code"))
        )
        .select_related("dossier__garage")
        .order_by(F("due_at").asc(nulls_last=True), "since", "id")[: FIRM_WAITS_SHOWN + 1]
    )
    now, labels = timezone.now(), dict(WaitKind.choices)
    shown = [
        FirmWait(
            kind=labels.get(period.kind, period.kind),
            label=period.label,
            reference=period.dossier.reference,
            garage=period.dossier.garage.name,
            due_at=period.due_at,
            overdue=period.due_at is not None and period.due_at < now,
            url=_wait_url(period),
        )
        for period in rows[:FIRM_WAITS_SHOWN]
    ]
    return shown, len(rows) > FIRM_WAITS_SHOWN


def _wait_url(period) -> str:
    """Where the firm acts on the wait: the invoice, the dossier's supplements or checklist."""
    code = period.dossier.code
    if period.kind == WaitKind.INVOICE_VALIDATION and period.invoice_code:
        return reverse("invoices:staff_invoice", kwargs={"invoice_code": period.invoice_code})
    if period.kind == WaitKind.SUPPLEMENT_DECISION:
        return reverse("supplements:staff_supplements", kwargs={"code": code})
    if period.kind == WaitKind.COMPLEMENT_CHECK:
        return reverse("checklists:staff_checklist", kwargs={"code": code})
    if period.kind in (WaitKind.INSURED_QUESTION, WaitKind.INSURED_CALLBACK):
        return reverse("insured:staff_questions", kwargs={"code": code})
    return reverse("dossier_detail", kwargs={"code": code})
