import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import NotificationMode, NotificationPreference
from connect.accounts.policies import authenticated, methods, repairer_only
from connect.documents import quality
from connect.documents.services import files_deleted_on_failure
from connect.dossiers.access import access_dossier
from connect.lib.headers import camera_allowed
from connect.lib.idempotency import KeyUsedElsewhere
from connect.lib.storage import storage_failure_on
from connect.lib.throttle import Rate, Throttled, consume
from connect.messaging import queries, services
from connect.messaging.access import access_thread
from connect.messaging.forms import ComposerForm, MessageForm, SubjectChoiceForm, limits_text
from connect.messaging.subjects import (
    BY_KEY,
    FIRM_SUBJECT,
    get_subject,
    offered_subjects,
)
from connect.uploads.posted import named_in_post
from connect.uploads.services import UploadGone, consuming


def _page_context(dossier, **context):
    return {
        "dossier": dossier,
        "limits": limits_text(),
        "max_file_bytes": settings.MAX_UPLOAD_FILE_BYTES,
        "max_message_bytes": settings.MAX_UPLOAD_MESSAGE_BYTES,
        "capture_thresholds": json.dumps(quality.thresholds()),
        **context,
    }


@authenticated
@methods("GET")
def thread_list(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    context = _page_context(
        dossier,
        threads=queries.threads_for(dossier, request.user),
        exams=queries.exams_of(dossier),
        invoice=queries.last_invoice(dossier),
    )
    services.mark_dossier_messages_seen(user=request.user, dossier=dossier)
    return render(request, "messaging/thread_list.html", context)


@repairer_only
@methods("GET", "POST")
@camera_allowed
def compose(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    subjects = offered_subjects(dossier)
    key = request.POST.get("objet") or request.GET.get("objet", "")
    subject = BY_KEY.get(key)
    choice = SubjectChoiceForm(initial={"objet": key}, subjects=subjects)
    if subject is None:
        if request.htmx:
            return HttpResponse("")
        return _render_compose(request, dossier, forms={"choice": choice})
    refusal = subject.refusal(dossier)
    if refusal and request.method != "POST":
        # Refused on this dossier whatever is typed: say so before the user types anything.
        return _render_compose(
            request, dossier, forms={"choice": choice}, subject=subject, refusal=refusal
        )
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    with _named_uploads(request, dossier) as taken:
        form = ComposerForm(*data, subject=subject, dossier=dossier, taken=taken)
        if request.method == "POST" and form.is_valid():
            message = _send(
                request,
                dossier,
                form,
                lambda: services.open_thread(
                    dossier=dossier,
                    subject_key=subject.key,
                    author=request.user,
                    body=form.cleaned_data.get("body", ""),
                    attachments=form.attachments,
                    idempotency_key=form.cleaned_data["token"],
                    exam=form.exam,
                    supplement=form.supplement,
                ),
            )
            if message is not None:
                return redirect(_thread_url(dossier, message.thread))
    status = 400 if request.method == "POST" else 200
    page = _render_compose(
        request, dossier, forms={"choice": choice, "form": form}, subject=subject, status=status
    )
    return _with_retry_after(request, page)


def _render_compose(
    request: AuthenticatedHttpRequest, dossier, *, forms, status=200, **context
) -> HttpResponse:
    """The composer: the whole page, or the form alone for htmx (the subject chosen)."""
    template = "messaging/_composer.html" if request.htmx else "messaging/compose.html"
    context = _page_context(dossier, **forms, **context)
    return render(request, template, context, status=status)


@authenticated
@methods("GET")
@camera_allowed
def thread_detail(request: AuthenticatedHttpRequest, code: UUID, thread_code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    thread = access_thread(request.user, thread_code, dossier=dossier)
    return _render_thread(request, dossier, thread)


@methods("POST")
@repairer_only
@camera_allowed
def reply(request: AuthenticatedHttpRequest, code: UUID, thread_code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    thread = access_thread(request.user, thread_code, dossier=dossier)
    subject = get_subject(thread.subject) or FIRM_SUBJECT
    with _named_uploads(request, dossier) as taken:
        form = MessageForm(
            request.POST, request.FILES, subject=subject, dossier=dossier, taken=taken
        )
        if not thread.is_open:
            form.add_error(None, "Ce fil est clos : ouvrez un nouveau message.")
        elif form.is_valid():
            message = _send(
                request,
                dossier,
                form,
                lambda: services.post_message(
                    thread=thread,
                    author=request.user,
                    body=form.cleaned_data.get("body", ""),
                    attachments=form.attachments,
                    idempotency_key=form.cleaned_data["token"],
                ),
            )
            if message is not None:
                return redirect(_thread_url(dossier, thread))
    failed = _render_thread(request, dossier, thread, forms={"reply": form}, status=400)
    return _with_retry_after(request, failed)


@authenticated
@methods("GET", "POST")
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    if request.method == "POST" and request.POST.get("mode") in NotificationMode.values:
        preference.mode = request.POST["mode"]
        preference.save(update_fields=["mode"])
        flash.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("messaging:preferences")
    return render(
        request,
        "messaging/preferences.html",
        {"preference": preference, "modes": NotificationMode.choices},
    )


def _render_thread(
    request: AuthenticatedHttpRequest, dossier, thread, *, forms=None, status=200
) -> HttpResponse:
    subject = get_subject(thread.subject) or FIRM_SUBJECT
    form = (forms or {}).get("reply")
    if form is None and request.user.is_repairer:
        form = MessageForm(subject=subject, dossier=dossier)
    context = _page_context(
        dossier,
        thread=thread,
        form=form,
        messages_=queries.messages_of(thread),
        subject=subject,
    )
    services.mark_thread_seen(user=request.user, thread=thread)
    services.mark_dossier_messages_seen(user=request.user, dossier=dossier)
    return render(request, "messaging/thread.html", context, status=status)


def _named_uploads(request, dossier):
    return named_in_post(request, dossier, not_sent="Votre message n'a pas été envoyé.")


def _send(request, dossier, form, write):
    try:
        _count_sending(request.user, dossier, files=len(form.attachments))
    except Throttled as error:
        form.add_error(None, f"{error.message} Votre message n'a pas été envoyé.")
        request.throttled_for = error.wait
        return None
    try:
        # The uploads the message names are spent in its transaction: all or nothing (outside
        # it, a storage failure is told once `consuming` has seen it and kept the uploads).
        # The files it stored go if that transaction fails, its COMMIT included.
        with (
            storage_failure_on(form),
            files_deleted_on_failure(),
            consuming(form.taken.uploads, key=form.cleaned_data["token"]),
        ):
            return write()
    except KeyUsedElsewhere:
        form.add_error(None, KeyUsedElsewhere.message)
    except UploadGone:
        form.add_error(None, "Un fichier envoyé vient d'être joint à un autre message.")
    return None


def _count_sending(user, dossier, *, files: int) -> None:
    """Messages a minute and attached files an hour, per user and per dossier."""
    consume(
        ("messages-user", user.pk, Rate(settings.MESSAGES_PER_USER_PER_MINUTE, 60)),
        ("messages-dossier", dossier.pk, Rate(settings.MESSAGES_PER_DOSSIER_PER_MINUTE, 60)),
        ("uploads-user", user.pk, Rate(settings.UPLOADS_PER_USER_PER_HOUR, 3600), files),
        ("uploads-dossier", dossier.pk, Rate(settings.UPLOADS_PER_DOSSIER_PER_HOUR, 3600), files),
    )


def _with_retry_after(request, response):
    """A throttled send re-renders its form with the message: 429 and Retry-After."""
    wait = getattr(request, "throttled_for", None)
    if wait is not None:
        response.status_code = 429
        response["Retry-After"] = str(wait)
    return response


def _thread_url(dossier, thread) -> str:
    return reverse("messaging:thread", kwargs={"code": dossier.code, "thread_code": thread.code})
