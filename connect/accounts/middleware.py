import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

LOGIN_AT = "login_at"


class SessionTimeoutMiddleware:
    """Ends a session that outlived its absolute lifetime, whatever its activity.

    The idle timeout is the session cookie's age, renewed on each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT)
            if login_at is None:
                request.session[LOGIN_AT] = time.time()
            elif time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
