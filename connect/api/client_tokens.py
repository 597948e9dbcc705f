"""The account manager creates a client's API token (issue 27) from the client's staff page;
its key is shown once, then only its hash is kept (revoked in the admin)."""

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.api.models import ApiToken
from connect.clients.models import Client
from connect.lib.http import get_or_404


@staff_only
@methods("POST")
def create_client_token(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    if not request.user.manages_accounts:
        raise Http404
    client = get_or_404(Client.objects.all(), pk=client_id)
    _token, key = ApiToken.issue(f"Client {client.name}"[:100], client=client)
    flash.success(
        request,
        f"Jeton d'API créé pour {client.name} : {key} — copiez-le maintenant, il ne sera plus "
        "affiché.",
    )
    return redirect("staff:client", client_id=client.pk)
