"""The staff inbox: threads routed to the user's role in their unit, with filters and counts.

An expert or an advisor sees the threads routed to them and those left to their role's pool in
the unit (the dossier had nobody assigned); a manager sees every thread of the unit; an
administrator every thread. Unread is per user (ThreadRead), pool threads included.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from connect.accounts.models import Role
from connect.lib.plates import fold, plate_key
from connect.messaging.models import Thread, ThreadRead, ThreadStatus
from connect.messaging.subjects import SUBJECT_CHOICES

PAGE_SIZE = 25
# "Non lus" is what still needs reading among open threads (a closed thread is handled), so
# that the unread state is computed over the open threads only, never the whole history.
STATES = {
    "ouverts": Q(status=ThreadStatus.OPEN),
    "clos": Q(status=ThreadStatus.CLOSED),
    "non-lus": Q(status=ThreadStatus.OPEN, is_unread=True),
    "tous": Q(),
}
STATE_LABELS = {"ouverts": "Ouverts", "non-lus": "Non lus", "clos": "Clos", "tous": "Tous"}


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def threads_in_scope(user):
    """Threads this staff member may open and act on (wider than the inbox for managers)."""
    threads = Thread.objects.all()
    if not (user.is_authenticated and user.is_active and user.is_firm_staff):
        return threads.none()
    if _is_admin(user):
        return threads
    if user.unit_id is None:
        return threads.none()
    threads = threads.filter(unit_id=user.unit_id)
    if user.role == Role.MANAGER:
        return threads
    return threads.filter(routed_role=user.role)


def routed_threads(user):
    """The threads routed to the user, or to their role's pool in the unit."""
    threads = threads_in_scope(user)
    if user.role in (Role.EXPERT, Role.ADVISOR):
        threads = threads.filter(Q(routed_to=user) | Q(routed_to__isnull=True))
    return threads


def inbox_threads(user):
    """`routed_threads` with `is_unread` (this user has not read the last message)."""
    threads = routed_threads(user)
    read = ThreadRead.objects.filter(
        user_id=user.pk, thread=OuterRef("pk"), read_at__gte=OuterRef("last_message_at")
    )
    return threads.annotate(is_unread=~Exists(read))


def access_thread_for_staff(user, code) -> Thread:
    try:
        return (
            threads_in_scope(user)
            .select_related("dossier__garage__unit", "dossier__expert", "dossier__advisor")
            .select_related("routed_to")
            .get(code=code)
        )
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class InboxFilters:
    state: str = "ouverts"
    subject: str = ""
    garage: int | None = None
    query: str = ""

    @classmethod
    def from_request(cls, params) -> "InboxFilters":
        state = params.get("etat", "ouverts")
        subject = params.get("objet", "")
        try:
            garage = int(params.get("garage") or 0) or None
        except ValueError:
            garage = None
        return cls(
            state=state if state in STATES else "ouverts",
            subject=subject if subject in dict(SUBJECT_CHOICES) else "",
            garage=garage,
            query=params.get("q", "").replace("\x00", "").strip()[:100],
        )

    def narrow(self, threads, *, state=True):
        """Apply the search, subject and garage filters (and the state unless asked not to)."""
        if self.subject:
            threads = threads.filter(subject=self.subject)
        if self.garage:
            threads = threads.filter(dossier__garage_id=self.garage)
        if self.query:
            folded, key = fold(self.query), plate_key(self.query)
            match = Q(dossier__search_text__contains=folded) | Q(
                dossier__garage__name__icontains=self.query
            )
            if key:
                match |= Q(dossier__plate_key__contains=key)
            threads = threads.filter(match)
        if state:
            threads = threads.filter(STATES[self.state])
        return threads


def state_counts(user, filters: InboxFilters) -> dict[str, int]:
    """How many threads each state tab holds under the other filters (two queries: the
    plain counts never evaluate the unread state, which only the open threads need)."""
    plain = {key: q for key, q in STATES.items() if key != "non-lus"}
    base = filters.narrow(routed_threads(user), state=False)
    counts = base.aggregate(**{key: Count("pk", filter=q) for key, q in plain.items()})
    unread = filters.narrow(inbox_threads(user), state=False).filter(STATES["non-lus"])
    counts["non-lus"] = unread.count()
    return counts


def facet_counts(threads, filters: InboxFilters):
    """Per subject and per garage counts within the current state (two grouped queries)."""
    base = threads.filter(STATES[filters.state])
    subjects = dict(base.values_list("subject").annotate(n=Count("pk")).values_list("subject", "n"))
    labels = dict(SUBJECT_CHOICES)
    subject_counts = [(key, labels[key], n) for key, n in sorted(subjects.items()) if key in labels]
    garages = (
        base.values("dossier__garage_id", "dossier__garage__name")
        .annotate(n=Count("pk"))
        .order_by("dossier__garage__name")
    )
    garage_counts = [(g["dossier__garage_id"], g["dossier__garage__name"], g["n"]) for g in garages]
    return subject_counts, garage_counts


def ordered(threads, state: str = "ouverts"):
    """Open threads: unread first, then the most recent message. The whole history ("Tous",
    "Clos"): most recent first, so that no page ever sorts on the unread state of every row."""
    order = ["-last_message_at", "-id"]
    if state == "ouverts":
        order.insert(0, "-is_unread")
    return threads.select_related("dossier__garage", "routed_to").order_by(*order)
