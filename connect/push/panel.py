"""What the "Notifications sur vos appareils" panel shows (its own page, and a part of
messaging's preferences page)."""

import re

from django.conf import settings

from connect.push.forms import PushPreferencesForm
from connect.push.models import PushKind, PushPreference
from connect.push.vapid import push_enabled

# Service workers live at the site's root (the offline app owns it); push.js registers it
# only when it answers, so the panel works before and after that app is there.
SERVICE_WORKER_URL = "/sw.js"

_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
)


def browser_label(user_agent: str) -> str:
    """ "Chrome · Android": enough for a user to tell their devices apart, nothing more kept."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "Navigateur")
    system = next((name for mark, name in _SYSTEMS if re.search(re.escape(mark), user_agent)), "")
    return f"{browser} · {system}" if system else browser


def preferences_form(user) -> PushPreferencesForm:
    chosen = dict(PushPreference.objects.filter(user=user).values_list("kind", "enabled"))
    # Before any choice, every kind shows ticked: that is what a first subscription turns on.
    initial = [kind for kind in PushKind.values if chosen.get(kind, not chosen)]
    return PushPreferencesForm(initial={"kinds": initial})


def panel_context(request, form=None) -> dict:
    user = request.user
    return {
        "push_enabled": push_enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "service_worker_url": SERVICE_WORKER_URL,
        "push_form": form or preferences_form(user),
        "subscriptions": list(user.push_subscriptions.order_by("-created_at")),
        "next": request.get_full_path(),
    }
