"""The firm decides on supplements from its workspace (staff_only). The garage sees them, with
the decision and the agreed total, on the dossier page (templatetags)."""

from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.dossiers.access import access_dossier
from connect.lib.idempotency import KeyUsedElsewhere
from connect.supplements import queries, services
from connect.supplements.access import access_supplement_to_decide, can_decide
from connect.supplements.amounts import euros
from connect.supplements.forms import CeilingForm, DecisionForm


@staff_only
@methods("GET")
def staff_supplements(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _render_staff_supplements(request, access_dossier(request.user, code))


def _render_staff_supplements(
    request: AuthenticatedHttpRequest, dossier, *, forms=None, status=200
) -> HttpResponse:
    """`forms["decision"]`: a refused decision, shown on its own supplement; `forms["ceiling"]`:
    a refused ceiling."""
    forms = forms or {}
    failed = forms.get("decision")
    supplements = queries.supplements_of(dossier)
    decisions = []  # (supplement, its decision form), the refused one kept bound
    for supplement in supplements:
        if failed is not None and failed.supplement.pk == supplement.pk:
            decisions.append((supplement, failed))
        else:
            decisions.append(
                (supplement, DecisionForm(supplement=supplement, prefix=str(supplement.code)))
            )
    context = {
        "dossier": dossier,
        "decisions": decisions,
        "agreed_total": services.agreed_total(dossier, supplements),
        "can_decide": can_decide(request.user),
        "ceiling": queries.ceiling_of(dossier),
        "ceiling_form": forms.get("ceiling") or CeilingForm(),
    }
    return render(request, "supplements/staff_supplements.html", context, status=status)


@staff_only
@methods("POST")
def supplement_decide(
    request: AuthenticatedHttpRequest, code: UUID, supplement_code: UUID
) -> HttpResponse:
    supplement = access_supplement_to_decide(request.user, code, supplement_code)
    form = DecisionForm(request.POST, supplement=supplement, prefix=str(supplement.code))
    if not form.is_valid():
        return _render_staff_supplements(
            request, supplement.dossier, forms={"decision": form}, status=400
        )
    try:
        decision = services.decide_supplement(
            supplement=supplement,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            accepted_amount=form.cleaned_data["accepted_amount"],
            reason=form.cleaned_data["reason"],
            idempotency_key=form.cleaned_data["token"],
        )
    except services.DecisionUnchanged:
        flash.info(request, "Cette décision est déjà celle en vigueur : rien n'a changé.")
        return redirect("supplements:staff_supplements", code=supplement.dossier.code)
    except KeyUsedElsewhere:
        form.add_error(None, KeyUsedElsewhere.message)
        return _render_staff_supplements(
            request, supplement.dossier, forms={"decision": form}, status=400
        )
    flash.success(request, f"Décision enregistrée : {decision.get_outcome_display().lower()}.")
    return redirect("supplements:staff_supplements", code=supplement.dossier.code)


@staff_only
@methods("POST")
def supplement_allow(request, code):
    """The expert raises the sanity bound of the dossier's supplements (queries.ceiling_of)."""
    dossier = access_dossier(request.user, code)
    if not can_decide(request.user):
        raise Http404
    form = CeilingForm(request.POST)
    if not form.is_valid():
        return _render_staff_supplements(request, dossier, forms={"ceiling": form}, status=400)
    services.raise_ceiling(dossier=dossier, by=request.user, up_to=form.cleaned_data["up_to"])
    up_to = euros(form.cleaned_data["up_to"])
    flash.success(request, f"Le garage peut demander des suppléments jusqu'à {up_to} € HT.")
    return redirect("supplements:staff_supplements", code=dossier.code)
