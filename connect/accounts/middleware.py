import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.crypto import salted_hmac

LOGIN_AT = "login_at"
REFRESHED_AT = "refreshed_at"

# What the service worker (connect/uploads/templates/uploads/sw.js) keys the pages it keeps on:
# an opaque id of this user's session (never the session key), when the session ends if it is
# not used again (ms since the epoch), and the user (whose queued messages the phone keeps).
SESSION_HEADER = "X-Connect-Session"
SESSION_ENDS_HEADER = "X-Connect-Session-Ends"
USER_HEADER = "X-Connect-User"


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: both limits start at the login (the login view's and any
    other), so the first pages after it write nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[REFRESHED_AT] = time.time()


class SessionTimeoutMiddleware:
    """Ends a session idle for longer than SESSION_COOKIE_AGE, or older than its absolute
    lifetime (SESSION_ABSOLUTE_SECONDS), whatever its activity.

    Activity renews the session at most once every SESSION_REFRESH_SECONDS rather than on every
    request (saving it was ~9 % of a list page's CPU): the idle limit then runs, exactly, from
    the last renewal, here and in the session store, whose expiry the renewal also moves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            login_at = session.setdefault(LOGIN_AT, now)
            refreshed_at = session.get(REFRESHED_AT, login_at)
            if (
                now - login_at > settings.SESSION_ABSOLUTE_SECONDS
                or now - refreshed_at > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect(settings.LOGIN_URL)
            if (
                REFRESHED_AT not in session
                or now - refreshed_at >= settings.SESSION_REFRESH_SECONDS
            ):
                session[REFRESHED_AT] = now  # modified: saved with a new expiry
        response = self.get_response(request)
        tag_for_offline_pages(request, response)
        return response


def tag_for_offline_pages(request: HttpRequest, response: HttpResponseBase) -> None:
    """Who and which session a page belongs to, for the copies the phone keeps offline: they
    are shown to no other session and go when this one would have ended."""
    if not request.user.is_authenticated or not request.session.session_key:
        return
    key = f"{request.user.pk}:{request.session.session_key}"
    response[SESSION_HEADER] = salted_hmac("connect.offline-pages", key).hexdigest()[:32]
    # The session ends at its absolute end or idle for SESSION_COOKIE_AGE since its last
    # renewal, whichever comes first: a phone that stays offline never renews it.
    login_at = request.session.get(LOGIN_AT, time.time())
    refreshed_at = request.session.get(REFRESHED_AT, login_at)
    ends = min(
        login_at + settings.SESSION_ABSOLUTE_SECONDS, refreshed_at + settings.SESSION_COOKIE_AGE
    )
    response[SESSION_ENDS_HEADER] = str(int(ends * 1000))
    response[USER_HEADER] = str(request.user.pk)
