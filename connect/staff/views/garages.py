"""Garages of the unit: their page, repairer accounts, visit days and expert."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.access import access_garage
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Membership, Role, User
from connect.accounts.policies import methods, staff_only
from connect.staff import services
from connect.staff.access import (
    access_garage_member,
    can_manage_accounts,
    garages_for_staff,
    own_first,
)
from connect.staff.forms import GarageForm, RepairerAccountForm


@staff_only
@methods("GET")
def garage_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    garages = own_first(garages_for_staff(request.user), request.user).select_related("expert")
    garages = garages.annotate(
        account_count=Count("memberships", filter=Q(memberships__user__is_active=True))
    )
    page = Paginator(garages, 50).get_page(request.GET.get("page"))
    return render(request, "staff/garage_list.html", {"garages": page, "page": page})


@staff_only
@methods("GET")
def garage_detail(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    return _render_garage_detail(request, access_garage(request.user, garage_id))


def _render_garage_detail(
    request: AuthenticatedHttpRequest, garage, *, forms=None, status=200
) -> HttpResponse:
    forms = forms or {}
    # How many other garages each account also sees: "Désactiver" blocks it in all of them.
    others = (
        Membership.objects.filter(user=OuterRef("pk"))
        .exclude(garage=garage)
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    accounts = (
        User.objects.filter(memberships__garage=garage, role=Role.REPAIRER)
        .annotate(other_garages=Coalesce(Subquery(others), 0))
        .order_by("full_name", "email")
    )
    context = {
        "garage": garage,
        "accounts": accounts,
        "can_manage": can_manage_accounts(request.user),
        "account_form": forms.get("account") or RepairerAccountForm(garage=garage),
        "garage_form": forms.get("garage")
        or GarageForm(
            garage=garage, initial={"visit_days": garage.visit_days, "expert": garage.expert_id}
        ),
        "journal": garage.audit_entries.select_related("actor", "target_user")[:50],
    }
    return render(request, "staff/garage_detail.html", context, status=status)


@staff_only
@methods("POST")
def account_create(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = _managed_garage(request, garage_id)
    form = RepairerAccountForm(request.POST, garage=garage)
    if not form.is_valid():
        return _render_garage_detail(request, garage, forms={"account": form}, status=400)
    user = services.create_repairer_account(actor=request.user, garage=garage, **form.cleaned_data)
    flash.success(request, f"Compte créé pour {user.email} : l'invitation est envoyée.")
    return redirect("staff:garage", garage_id=garage.pk)


@staff_only
@methods("POST")
def account_invite(request: AuthenticatedHttpRequest, garage_id: int, user_id: int) -> HttpResponse:
    garage = _managed_garage(request, garage_id)
    user = access_garage_member(garage, user_id)
    services.resend_invitation(actor=request.user, garage=garage, user=user)
    flash.success(request, f"Invitation renvoyée à {user.email}.")
    return redirect("staff:garage", garage_id=garage.pk)


@staff_only
@methods("POST")
def account_active(request: AuthenticatedHttpRequest, garage_id: int, user_id: int) -> HttpResponse:
    garage = _managed_garage(request, garage_id)
    user = access_garage_member(garage, user_id)
    active = request.POST.get("active") == "1"
    services.set_account_active(actor=request.user, garage=garage, user=user, active=active)
    state = "réactivé" if active else "désactivé"
    flash.success(request, f"Compte de {user.email} {state}.")
    return redirect("staff:garage", garage_id=garage.pk)


@staff_only
@methods("POST")
def account_remove(request: AuthenticatedHttpRequest, garage_id: int, user_id: int) -> HttpResponse:
    garage = _managed_garage(request, garage_id)
    user = access_garage_member(garage, user_id)
    services.remove_membership(actor=request.user, garage=garage, user=user)
    flash.success(request, f"{user.email} n'a plus accès aux dossiers de {garage.name}.")
    return redirect("staff:garage", garage_id=garage.pk)


@staff_only
@methods("POST")
def garage_edit(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = _managed_garage(request, garage_id)
    form = GarageForm(request.POST, garage=garage)
    if not form.is_valid():
        return _render_garage_detail(request, garage, forms={"garage": form}, status=400)
    services.update_garage(actor=request.user, garage=garage, **form.cleaned_data)
    flash.success(request, "Jours de passage et expert enregistrés.")
    return redirect("staff:garage", garage_id=garage.pk)


def _managed_garage(request: AuthenticatedHttpRequest, garage_id):
    """The garage, if this staff member may manage its accounts and settings (else 404)."""
    garage = access_garage(request.user, garage_id)
    if not can_manage_accounts(request.user):
        raise Http404
    return garage
