from django.contrib import messages as flash
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from connect.accounts.access import access_garage
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Garage
from connect.accounts.policies import authenticated, methods, repairer_only, staff_only
from connect.documents.responses import file_response
from connect.lib.storage import storage_failure_on
from connect.tariffs import services
from connect.tariffs.access import access_rate_card
from connect.tariffs.forms import RateCardForm, flat_rate_formset, flat_rates_of
from connect.tariffs.models import RATE_FIELDS, RateCard


@repairer_only
@methods("GET")
def my_garages(request: AuthenticatedHttpRequest) -> HttpResponse:
    garages = list(Garage.objects.visible_to(request.user))
    if len(garages) == 1:
        return redirect("tariffs:garage", garage_id=garages[0].pk)
    return render(request, "tariffs/my_garages.html", {"garages": garages})


@repairer_only
@methods("GET")
def garage_cards(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = access_garage(request.user, garage_id)
    return render(request, "tariffs/garage.html", _history(garage, can_submit=True))


@repairer_only
@methods("GET", "POST")
def submit(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = access_garage(request.user, garage_id)
    current = RateCard.objects.current_for(garage) or _latest(garage)
    add_rows = "ajouter_forfaits" in request.POST
    if request.method == "POST":
        form = RateCardForm(request.POST, request.FILES)
        formset = flat_rate_formset(request.POST, add_rows=add_rows)
        if not add_rows and form.is_valid() and formset.is_valid():
            with storage_failure_on(form):
                card = services.submit_rate_card(
                    garage=garage,
                    user=request.user,
                    values={name: form.cleaned_data[name] for name in form.Meta.fields},
                    flat_rates=flat_rates_of(formset),
                    board=form.cleaned_data["board_upload"],
                    checked_board=form.checked_board,
                )
                flash.success(request, f"Vos tarifs (version {card.version}) sont transmis.")
                return redirect("tariffs:garage", garage_id=garage.pk)
        if add_rows:
            form = RateCardForm(initial=request.POST.dict())  # rows added: no errors yet
    else:
        form = RateCardForm(initial=_initial_values(current))
        formset = flat_rate_formset(initial=_initial_flat_rates(current))
    context = {"garage": garage, "form": form, "formset": formset, "rows_added": add_rows}
    return render(request, "tariffs/submit.html", context)


@authenticated
@methods("GET")
def card_detail(request: AuthenticatedHttpRequest, garage_id: int, version: int) -> HttpResponse:
    card = access_rate_card(request.user, garage_id, version)
    return render(request, "tariffs/card.html", {"card": card, "garage": card.garage})


@authenticated
@methods("GET")
def card_board(request: AuthenticatedHttpRequest, garage_id: int, version: int) -> HttpResponseBase:
    card = access_rate_card(request.user, garage_id, version)
    return file_response(
        card.board,
        as_attachment="telecharger" in request.GET,
        filename=card.board_download_name,
        content_type=card.board_content_type,
        request=request,
    )


@staff_only
@methods("GET")
def staff_garages(request: AuthenticatedHttpRequest) -> HttpResponse:
    latest = RateCard.objects.filter(garage=OuterRef("pk"))
    current = latest.effective().latest_first()
    garages = (
        Garage.objects.visible_to(request.user)
        .annotate(
            current_version=Subquery(current.values("version")[:1]),
            current_effective_on=Subquery(current.values("effective_on")[:1]),
            last_submitted_at=Subquery(latest.order_by("-version").values("submitted_at")[:1]),
            card_count=Count("rate_cards"),
        )
        .order_by("name")
    )
    return render(request, "tariffs/staff_garages.html", {"garages": garages})


@staff_only
@methods("GET")
def staff_garage_cards(request: AuthenticatedHttpRequest, garage_id: int) -> HttpResponse:
    garage = access_garage(request.user, garage_id)
    return render(request, "tariffs/garage.html", _history(garage, can_submit=False))


def _history(garage, *, can_submit: bool) -> dict:
    cards = list(
        RateCard.objects.filter(garage=garage)
        .select_related("submitted_by")
        .prefetch_related("flat_rates")
        .order_by("-version")
    )
    today = timezone.localdate()
    effective = [c for c in cards if c.effective_on <= today]
    current = max(effective, key=lambda c: (c.effective_on, c.version), default=None)
    for card in cards:
        card.garage = garage
    return {"garage": garage, "cards": cards, "current": current, "can_submit": can_submit}


def _latest(garage):
    return RateCard.objects.filter(garage=garage).order_by("-version").first()


def _initial_values(card) -> dict:
    values = {"effective_on": timezone.localdate()}
    if card is not None:
        values.update({name: getattr(card, name) for name in ["tax_basis", *RATE_FIELDS]})
    return values


def _initial_flat_rates(card) -> list[dict]:
    if card is None:
        return []
    return [{"label": f.label, "price": f.price} for f in card.flat_rates.all()]
