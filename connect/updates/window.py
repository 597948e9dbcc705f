"""The "Mises à jour du service" window: shown on the first page after each login.

A login sets the session flag SHOW_UPDATES (`open_window_at_login`, connected to Django's
`user_logged_in` in apps.py); the first full page rendered afterwards consumes it and, if
this user has unseen published updates, opens the window. Later pages cost no query at all, and
the window comes back at the next login until the user marks them read.
"""

from connect.updates.models import ServiceUpdate

SHOW_UPDATES = "show_updates"


def open_window_at_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: the first page after this login opens the window."""
    if request is not None and hasattr(request, "session"):
        request.session[SHOW_UPDATES] = True


def updates_to_show(request) -> list[ServiceUpdate]:
    """Unseen published updates to show in the window on this request (cached per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(request, "_service_updates_window"):
        shown = []
        if request.session.pop(SHOW_UPDATES, False):
            shown = list(ServiceUpdate.objects.unseen_by(user))
        request._service_updates_window = shown
    return request._service_updates_window
