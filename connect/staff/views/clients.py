"""The account manager's pages (issue 27): the firm's clients and their users.

Staff flagged "gestionnaire de compte" only (`User.manages_accounts`); anyone else a 404.
"""

from django.contrib import messages as flash
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.access_codes import current_code
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.clients import services
from connect.clients.forms import ClientForm, ClientUserForm, RegionForm
from connect.clients.models import Client, ClientMember
from connect.lib.http import get_or_404


def _account_manager(request: AuthenticatedHttpRequest) -> None:
    if not request.user.manages_accounts:
        raise Http404


def access_client(user, client_id: int) -> Client:
    if not user.manages_accounts:
        raise Http404
    return get_or_404(Client.objects.all(), pk=client_id)


@staff_only
@methods("GET", "POST")
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _account_manager(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = services.create_client(**form.cleaned_data)
        flash.success(request, f"Client « {client.name} » créé.")
        return redirect("staff:client", client_id=client.pk)
    clients = Client.objects.annotate(user_count=Count("members")).order_by("name")
    status = 400 if form.errors else 200
    return render(
        request, "staff/client_list.html", {"clients": clients, "form": form}, status=status
    )


@staff_only
@methods("GET")
def client_detail(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    return _render_client(request, access_client(request.user, client_id))


def _render_client(
    request: AuthenticatedHttpRequest, client: Client, *, forms=None, status=200
) -> HttpResponse:
    forms = forms or {}
    members = ClientMember.objects.filter(client=client).select_related("user")
    rows = [(member, current_code(member.user)) for member in members.order_by("user__email")]
    context = {
        "client": client,
        "members": rows,
        "user_form": forms.get("user") or ClientUserForm(),
    }
    return render(request, "staff/client_detail.html", context, status=status)


@staff_only
@methods("POST")
def client_user_create(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    form = ClientUserForm(request.POST)
    if not form.is_valid():
        return _render_client(request, client, forms={"user": form}, status=400)
    user, code = services.invite_client_user(client=client, **form.cleaned_data)
    flash.success(
        request,
        f"Utilisateur créé pour {user.email} : son code d'accès est {code}. "
        "L'invitation à choisir un mot de passe est envoyée.",
    )
    return redirect("staff:client", client_id=client.pk)


@staff_only
@methods("POST")
def client_user_region(
    request: AuthenticatedHttpRequest, client_id: int, member_id: int
) -> HttpResponse:
    client = access_client(request.user, client_id)
    member = get_or_404(ClientMember.objects.all(), pk=member_id, client=client)
    form = RegionForm(request.POST)
    if form.is_valid():
        services.set_region(member=member, region=form.cleaned_data["region"])
        flash.success(request, f"Périmètre de {member.user.email} enregistré.")
    return redirect("staff:client", client_id=client.pk)
