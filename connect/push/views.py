from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import authenticated, methods
from connect.lib.http import BadJson, int_or_none, read_json, safe_next
from connect.push import services
from connect.push.access import access_subscription
from connect.push.forms import PushPreferencesForm, parse_subscription
from connect.push.panel import browser_label, panel_context
from connect.push.vapid import push_enabled

# A browser's PushSubscription.toJSON(): an endpoint (1,000 characters at most) and two keys.
SUBSCRIPTION_BYTES = 4096
PUSH_OFF = "Les notifications push ne sont pas activées sur ce portail."


@authenticated
@methods("GET", "POST")
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_preferences(request)
    form = PushPreferencesForm(request.POST)
    if not form.is_valid():
        return _render_preferences(request, forms={"push": form})
    services.set_preferences(user=request.user, kinds=set(form.cleaned_data["kinds"]))
    flash.success(request, "Vos préférences de notification push sont enregistrées.")
    return redirect(_next(request))


def _render_preferences(
    request: AuthenticatedHttpRequest, *, forms=None, status=200
) -> HttpResponse:
    context = panel_context(request, (forms or {}).get("push"))
    return render(request, "push/preferences.html", context, status=status)


@authenticated
@methods("POST")
def subscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        fields = parse_subscription(read_json(request, max_bytes=SUBSCRIPTION_BYTES))
    except BadJson as error:
        return JsonResponse({"error": error.message}, status=error.status)
    except ValidationError as error:
        return _error(error, status=400)
    if not push_enabled():
        return JsonResponse({"error": PUSH_OFF}, status=409)
    label = browser_label(request.headers.get("User-Agent", ""))
    services.subscribe(user=request.user, user_agent_label=label, **fields)
    return JsonResponse(
        {"subscribed": True, "message": "Notifications activées sur cet appareil."}, status=201
    )


@authenticated
@methods("POST")
def unsubscribe(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        endpoint = read_json(request, max_bytes=SUBSCRIPTION_BYTES)["endpoint"]
    except BadJson as error:
        return JsonResponse({"error": error.message}, status=error.status)
    except (TypeError, KeyError):
        return JsonResponse({"error": "Abonnement illisible."}, status=400)
    if not isinstance(endpoint, str) or not endpoint:
        return JsonResponse({"error": "Abonnement illisible."}, status=400)
    services.unsubscribe(subscription=access_subscription(request.user, endpoint=endpoint))
    return JsonResponse(
        {"subscribed": False, "message": "Notifications désactivées sur cet appareil."}
    )


@authenticated
@methods("POST")
def remove_device(request: AuthenticatedHttpRequest) -> HttpResponse:
    pk = int_or_none(request.POST.get("subscription", ""))
    if pk is None:
        return _render_preferences(request, status=400)
    services.unsubscribe(subscription=access_subscription(request.user, pk=pk))
    flash.success(request, "Cet appareil ne recevra plus de notifications push.")
    return redirect(_next(request))


def _next(request: AuthenticatedHttpRequest) -> str:
    return safe_next(request, fallback=reverse("push:preferences"))


def _error(error, *, status: int) -> JsonResponse:
    message = error.messages[0] if isinstance(error, ValidationError) else "Abonnement illisible."
    return JsonResponse({"error": message}, status=status)
