"""The one door to a client user's dossiers: their client's portfolio, across every garage
and unit, narrowed to their region or agency when they have one. Nothing else: a dossier of
another client, or outside the region, is a 404."""

from django.db.models import QuerySet

from connect.clients.models import ClientMember
from connect.dossiers.models import Dossier
from connect.lib.http import get_or_404


def member_of(user) -> ClientMember | None:
    """The user's link to their client, read once per request."""
    if not (user.is_authenticated and user.is_active and user.is_client):
        return None
    if not hasattr(user, "_client_member"):
        found = ClientMember.objects.select_related("client").filter(user=user).first()
        user._client_member = found
    return user._client_member


def portfolio(user) -> QuerySet:
    """The only starting point for a client user's dossiers."""
    member = member_of(user)
    if member is None:
        return Dossier.objects.none()
    dossiers = Dossier.objects.filter(client_id=member.client_id)
    if member.region:
        dossiers = dossiers.filter(client_region=member.region)
    return dossiers


def access_portfolio_dossier(user, code) -> Dossier:
    dossiers = portfolio(user).select_related("garage", "garage__unit", "client")
    return get_or_404(dossiers, code=code)


def client_dossiers(client_id: int) -> QuerySet:
    """A client's token's dossiers (connect/api/client_api.py): the whole portfolio."""
    return Dossier.objects.filter(client_id=client_id)
