"""How the list says whose move it is ("À qui la main"), from the dossier's derived ball.

"À vous depuis 2 j", "Chez BCA · réponse prévue mardi 10 h", and, past the due date, the words
"en retard" (with a distinct style: never colour alone). The ball itself is computed by
connect/deadlines/services.py; this only words it, in Paris time, relative to now.
"""

from datetime import datetime
from html import escape

from django.conf import settings
from django.utils import timezone

# What each kind of wait is called ("Complément demandé"): the kinds are the clock's
# (connect/deadlines/sources.py, a layer above), which fills this in its AppConfig.ready.
KIND_LABELS: dict[str, str] = {}

# The dossier's columns that say who waits on whom: written by the clock (deadlines), read by the
# list's "À qui la main" column.
BALL_FIELDS = (
    "ball",
    "wait_kind",
    "waiting_since",
    "due_at",
    "garage_wait_kind",
    "garage_waiting_since",
)
WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def hour(moment: datetime) -> str:
    """ "10 h", "17 h 30"."""
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"


def when(due: datetime, now: datetime | None = None) -> str:
    """ "aujourd'hui 17 h 30", "demain 10 h", "mardi 10 h" within the week, "le 12/01 à 10 h"."""
    local, today = timezone.localtime(due), timezone.localtime(now or timezone.now()).date()
    days = (local.date() - today).days
    if days == 0:
        return f"aujourd'hui {hour(local)}"
    if days == 1:
        return f"demain {hour(local)}"
    if 1 < days < 7:
        return f"{WEEKDAY_NAMES[local.weekday()]} {hour(local)}"
    return f"le {local:%d/%m} à {hour(local)}"


def age(since: datetime, now: datetime | None = None) -> str:
    """ "depuis aujourd'hui", "depuis 2 j" (calendar days, Paris time)."""
    today = timezone.localtime(now or timezone.now()).date()
    days = (today - timezone.localtime(since).date()).days
    return "depuis aujourd'hui" if days <= 0 else f"depuis {days} j"


def reads_as_firm(user) -> bool:
    """Whose words the reader gets: the firm's staff (and administrators) read the firm's side
    ("À traiter" is what waits on the firm), repairers the garage's."""
    return not user.is_repairer


def side_words(side: str, *, firm: bool = False) -> str:
    """One word per side: "À vous" / "Chez BCA" for the garage's readers; the firm's staff read
    the garage's side as "Chez le garage" (never the model's "Chez le cabinet")."""
    if side == "firm":
        return f"Chez {settings.FIRM_SHORT_NAME}"
    return "Chez le garage" if firm else "À vous"


def describe(
    ball: str, since: datetime | None, due: datetime | None, now=None, *, firm: bool = False
) -> tuple[str, str]:
    """(text, state): state is "garage", "firm" or "late" (the style), "" when nothing waits.
    `firm`: the reader is the firm's staff, for whom the garage's wait is "Chez le garage"."""
    if not ball or since is None:
        return "", ""
    now = now or timezone.now()
    late = due is not None and due < now
    if ball == "garage":
        text = f"Chez le garage {age(since, now)}" if firm else f"À vous {age(since, now)}"
        if late and due is not None:
            text += f" · en retard (prévu {when(due, now)})"
        return text, "late" if late else "garage"
    at_firm = f"Chez {settings.FIRM_SHORT_NAME}"
    if due is None:
        return f"{at_firm} {age(since, now)}", "firm"
    if late:
        return f"{at_firm} · en retard, réponse prévue {when(due, now)}", "late"
    return f"{at_firm} · réponse prévue {when(due, now)}", "firm"


def sides(dossier, now=None, *, firm: bool = False) -> list[tuple[str, str, str]]:
    """Each side's open wait as (text, state, what is awaited): the ball's, then the garage's
    when the firm's decides it (the garage must see what it owes meanwhile)."""
    text, state = describe(dossier.ball, dossier.waiting_since, dossier.due_at, now, firm=firm)
    if not text:
        return []
    found = [(text, state, KIND_LABELS.get(dossier.wait_kind, ""))]
    if dossier.ball == "firm" and dossier.garage_waiting_since is not None:
        also, style = describe("garage", dossier.garage_waiting_since, None, now, firm=firm)
        found.append((also, style, KIND_LABELS.get(dossier.garage_wait_kind, "")))
    return found


def cell(dossier, *, firm: bool = False) -> str:
    """The list's cell: each side's words in a span whose class gives the style, and what is
    awaited."""
    return "".join(
        f'<span class="ball ball--{state}">{escape(text)}</span>'
        + (f'<small class="ball__what">{escape(what)}</small>' if what else "")
        for text, state, what in sides(dossier, firm=firm)
    )
