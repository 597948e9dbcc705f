"""The second-factor step: enrol an authenticator app (first time), then enter a code."""

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, second_factor_holder
from connect.staff import second_factor as sf
from connect.staff.forms import CodeForm

RECOVERY_CODES = "staff_recovery_codes"


@second_factor_holder
@sf.second_factor_step
@methods("GET", "POST")
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[attr-defined]  # added by OTPMiddleware
        return redirect(sf.next_url(request))
    if sf.confirmed_app(request.user) is None:
        return redirect("staff:enrol")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = sf.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            sf.mark_verified(request, device)
            return redirect(sf.next_url(request))
        form.add_error("code", "Code incorrect ou expiré. Réessayez dans quelques secondes.")
    next_value = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "staff/second_factor.html", {"form": form, "next": next_value})


@second_factor_holder
@sf.second_factor_step
@methods("GET", "POST")
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    if sf.confirmed_app(request.user) is not None:
        return redirect("staff:second_factor")
    device = sf.pending_app(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = sf.confirm_enrolment(
            user=request.user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            sf.mark_verified(request, device)
            request.session[RECOVERY_CODES] = codes
            return redirect("staff:recovery_codes")
        form.add_error("code", "Code incorrect. Vérifiez l'heure de votre téléphone et réessayez.")
    context = {
        "form": form,
        "qr_code": sf.qr_code_data_uri(device),
        "secret": sf.hex_to_base32(device.key),
    }
    return render(request, "staff/enrol.html", context)


@second_factor_holder
@methods("GET", "POST")
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New codes are shown once: right after enrolment, or when the user asks for new ones."""
    if request.method == "POST":
        request.session[RECOVERY_CODES] = sf.replace_recovery_codes(user=request.user)
        flash.success(request, "Nouveaux codes de secours : les anciens ne valent plus.")
        return redirect("staff:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES, None)
    context = {"codes": codes, "home_url": sf.home_url(request.user)}
    return render(request, "staff/recovery_codes.html", context)
