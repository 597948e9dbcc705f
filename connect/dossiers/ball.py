"""How the list says whose move it is ("À qui la main"), from the dossier's derived ball.

"À vous depuis 2 j", "Chez BCA · réponse prévue mardi 10 h", and, past the due date, the words
"en retard" (with a distinct style: never colour alone). The ball itself is computed by
connect/deadlines/services.py; this only words it, in Paris time, relative to now.
"""

from datetime import datetime
from html import escape

from django.conf import settings
from django.utils import timezone

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


def describe(ball: str, since: datetime | None, due: datetime | None, now=None) -> tuple[str, str]:
    """(text, state): state is "garage", "firm" or "late" (the style), "" when nothing waits."""
    if not ball or since is None:
        return "", ""
    now = now or timezone.now()
    late = due is not None and due < now
    if ball == "garage":
        text = f"À vous {age(since, now)}"
        if late and due is not None:
            text += f" · en retard (prévu {when(due, now)})"
        return text, "late" if late else "garage"
    firm = f"Chez {settings.FIRM_SHORT_NAME}"
    if due is None:
        return f"{firm} {age(since, now)}", "firm"
    if late:
        return f"{firm} · en retard, réponse prévue {when(due, now)}", "late"
    return f"{firm} · réponse prévue {when(due, now)}", "firm"


def cell(dossier) -> str:
    """The list's cell: the words, in a span whose class gives the style."""
    text, state = describe(dossier.ball, dossier.waiting_since, dossier.due_at)
    if not text:
        return ""
    return f'<span class="ball ball--{state}">{escape(text)}</span>'
