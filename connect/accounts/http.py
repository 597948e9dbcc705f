"""The request a view behind a login policy receives (connect/accounts/policies.py)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from connect.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For annotations only: `authenticated`, `repairer_only` and `staff_only` let no
    anonymous visitor through, so `request.user` is a User (HtmxMiddleware adds `htmx`)."""

    user: User
    htmx: HtmxDetails
