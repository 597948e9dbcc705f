"""The checklist: the garage answers an item (dossier page, with or without htmx); the firm
creates requests and ticks or asks again from its workspace (staff_only pages)."""

import uuid
from uuid import UUID

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, repairer_only, staff_only
from connect.checklists import queries, services
from connect.checklists.access import access_item
from connect.checklists.forms import AnswerForm, AskAgainForm, RequestForm
from connect.documents.services import files_deleted_on_failure
from connect.dossiers.access import access_dossier
from connect.lib.headers import camera_allowed
from connect.lib.idempotency import KeyUsedElsewhere
from connect.lib.plural import counted
from connect.lib.storage import storage_failure_on
from connect.uploads.posted import named_in_post
from connect.uploads.services import UploadGone, consuming

NOT_AWAITED = "Cet élément n'attend plus de réponse : la page a été actualisée."


@repairer_only
@methods("GET", "POST")
@camera_allowed
def item_answer(request: AuthenticatedHttpRequest, code: UUID, item_code: UUID) -> HttpResponse:
    item = access_item(request.user, code, item_code)
    dossier = item.request.dossier
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    status = 200
    with named_in_post(request, dossier, not_sent="Votre réponse n'a pas été envoyée.") as taken:
        form = AnswerForm(*data, item=item, taken=taken)
        if request.method == "POST":
            if taken.replayed:
                return _answered(request, dossier, item)  # the queue's resend of a sent answer
            if not item.awaits_garage:
                form.add_error(None, NOT_AWAITED)
            elif form.is_valid() and _answer(form, item, request.user):
                return _answered(request, dossier, item)
            # htmx 2 swaps no 4xx answer: the item with its errors comes back as a 200 to it.
            status = 200 if request.htmx else 400
        context = {"dossier": dossier, "item": item, "form": form, "can_answer": True}
        template = "checklists/_item.html" if request.htmx else "checklists/answer.html"
        page = render(request, template, context, status=status)
    wait = getattr(request, "throttled_for", None)
    if wait is not None and not request.htmx:
        page.status_code, page["Retry-After"] = 429, str(wait)
    return page


def _answer(form, item, user) -> bool:
    try:
        # The uploads the answer names are spent in its transaction: all or nothing.
        with (
            storage_failure_on(form),
            files_deleted_on_failure(),
            consuming(form.taken.uploads, key=form.cleaned_data["token"] or uuid.uuid4()),
        ):
            services.answer_item(
                item=item, by=user, note=form.cleaned_data["note"], files=form.uploads
            )
            return True
    except services.ItemNotAwaited:
        form.add_error(None, NOT_AWAITED)
    except UploadGone:
        form.add_error(None, "Un fichier envoyé vient d'être joint à une autre réponse.")
    return False


def _answered(request: AuthenticatedHttpRequest, dossier, item):
    done = f"« {item.label} » : votre réponse est envoyée à l'expert."
    if request.htmx:
        item.refresh_from_db()
        context = {
            "dossier": dossier,
            "item": item,
            "can_answer": True,
            "done": done,
            "waiting": queries.items_awaiting_garage(dossier),
        }
        return render(request, "checklists/_answered.html", context)
    flash.success(request, done)
    return redirect(reverse("dossier_detail", kwargs={"code": dossier.code}) + "#checklist")


@staff_only
@methods("GET")
def staff_checklist(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _render_staff_checklist(request, access_dossier(request.user, code))


def _render_staff_checklist(
    request: AuthenticatedHttpRequest, dossier, *, forms=None, status=200
) -> HttpResponse:
    forms = forms or {}
    context = {
        "dossier": dossier,
        "thread": queries.thread_asked_from(
            dossier, request.GET.get("fil") or request.POST.get("fil")
        ),
        "requests": queries.requests_of(dossier),
        "form": forms.get("request") or RequestForm(),
        "ask_again_form": AskAgainForm(),
    }
    return render(request, "checklists/staff_checklist.html", context, status=status)


@staff_only
@methods("POST")
def request_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _render_staff_checklist(request, dossier, forms={"request": form}, status=400)
    thread = queries.thread_asked_from(dossier, request.POST.get("fil"))
    try:
        services.create_request(
            dossier=dossier,
            by=request.user,
            items=form.items,
            thread=thread,
            idempotency_key=form.cleaned_data["token"],
        )
    except KeyUsedElsewhere:
        form.add_error(None, KeyUsedElsewhere.message)
        return _render_staff_checklist(request, dossier, forms={"request": form}, status=400)
    flash.success(request, f"Demande envoyée au garage : {counted(len(form.items), 'élément')}.")
    return redirect("checklists:staff_checklist", code=dossier.code)


@staff_only
@methods("POST")
def item_receive(request: AuthenticatedHttpRequest, code: UUID, item_code: UUID) -> HttpResponse:
    item = access_item(request.user, code, item_code)
    try:
        services.mark_received(item=item, by=request.user)
    except services.ItemNotAwaited:
        flash.error(request, f"« {item.label} » n'attend pas de vérification.")
    else:
        flash.success(request, f"« {item.label} » est marqué reçu.")
    return redirect("checklists:staff_checklist", code=item.request.dossier.code)


@staff_only
@methods("POST")
def item_ask_again(request: AuthenticatedHttpRequest, code: UUID, item_code: UUID) -> HttpResponse:
    item = access_item(request.user, code, item_code)
    form = AskAgainForm(request.POST)
    if not form.is_valid():
        flash.error(request, f"« {item.label} » : {form.errors['reason'][0]}")
    else:
        try:
            services.ask_again(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except services.ItemNotAwaited:
            flash.error(request, f"« {item.label} » n'attend pas de vérification.")
        else:
            flash.success(request, f"« {item.label} » est redemandé au garage.")
    return redirect("checklists:staff_checklist", code=item.request.dossier.code)
