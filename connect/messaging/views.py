import json

from django.conf import settings
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.policies import authenticated, methods, repairer_only
from connect.documents import quality
from connect.dossiers.access import access_dossier
from connect.lib.headers import camera_allowed
from connect.lib.throttle import Rate, Throttled, consume
from connect.messaging import queries, services
from connect.messaging.access import access_thread
from connect.messaging.forms import ComposerForm, MessageForm, SubjectChoiceForm, limits_text
from connect.messaging.models import NotificationMode, NotificationPreference
from connect.messaging.subjects import (
    BY_KEY,
    FIRM_SUBJECT,
    get_subject,
    offered_subjects,
)
from connect.uploads.services import UploadGone, consuming

STORAGE_FAILED = "L'envoi a échoué, rien n'a été enregistré. Réessayez dans un instant."


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
def thread_list(request, code):
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
def compose(request, code):
    dossier = access_dossier(request.user, code)
    subjects = offered_subjects(dossier)
    key = request.POST.get("objet") or request.GET.get("objet", "")
    subject = BY_KEY.get(key)
    choice = SubjectChoiceForm(initial={"objet": key}, subjects=subjects)
    if subject is None:
        if request.htmx:
            return HttpResponse("")
        return render(request, "messaging/compose.html", _page_context(dossier, choice=choice))
    refusal = subject.refusal(dossier)
    if refusal and request.method != "POST":
        # Refused on this dossier whatever is typed: say so before the user types anything.
        context = _page_context(dossier, choice=choice, subject=subject, refusal=refusal)
        template = "messaging/_composer.html" if request.htmx else "messaging/compose.html"
        return render(request, template, context)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ComposerForm(*data, subject=subject, dossier=dossier, user=request.user)
    if request.method == "POST" and form.is_valid():
        message = _send(request, dossier, form, lambda: services.open_thread(
            dossier=dossier, subject_key=subject.key, author=request.user,
            body=form.cleaned_data.get("body", ""), attachments=form.attachments,
            idempotency_key=form.cleaned_data["token"], exam=form.exam,
            supplement=form.supplement,
        ))  # fmt: skip
        if message is not None:
            return redirect(_thread_url(dossier, message.thread))
    status = 400 if request.method == "POST" else 200
    context = _page_context(dossier, choice=choice, subject=subject, form=form)
    template = "messaging/_composer.html" if request.htmx else "messaging/compose.html"
    return _with_retry_after(request, render(request, template, context, status=status))


@authenticated
@methods("GET")
@camera_allowed
def thread_detail(request, code, thread_code):
    dossier = access_dossier(request.user, code)
    thread = access_thread(request.user, thread_code, dossier=dossier)
    subject = get_subject(thread.subject) or FIRM_SUBJECT
    form = MessageForm(subject=subject, dossier=dossier) if request.user.is_repairer else None
    return _render_thread(request, dossier, thread, form)


@methods("POST")
@repairer_only
@camera_allowed
def reply(request, code, thread_code):
    dossier = access_dossier(request.user, code)
    thread = access_thread(request.user, thread_code, dossier=dossier)
    subject = get_subject(thread.subject) or FIRM_SUBJECT
    form = MessageForm(
        request.POST, request.FILES, subject=subject, dossier=dossier, user=request.user
    )
    if not thread.is_open:
        form.add_error(None, "Ce fil est clos : ouvrez un nouveau message.")
    elif form.is_valid():
        message = _send(request, dossier, form, lambda: services.post_message(
            thread=thread, author=request.user, body=form.cleaned_data.get("body", ""),
            attachments=form.attachments, idempotency_key=form.cleaned_data["token"],
        ))  # fmt: skip
        if message is not None:
            return redirect(_thread_url(dossier, thread))
    return _with_retry_after(request, _render_thread(request, dossier, thread, form, status=400))


@authenticated
@methods("GET", "POST")
def preferences(request):
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


def _render_thread(request, dossier, thread, form, status=200):
    context = _page_context(
        dossier, thread=thread, form=form, messages_=queries.messages_of(thread),
        subject=get_subject(thread.subject) or FIRM_SUBJECT,
    )  # fmt: skip
    services.mark_thread_seen(user=request.user, thread=thread)
    services.mark_dossier_messages_seen(user=request.user, dossier=dossier)
    return render(request, "messaging/thread.html", context, status=status)


def _send(request, dossier, form, write):
    try:
        _count_sending(request.user, dossier, files=len(form.attachments))
    except Throttled as error:
        form.add_error(None, f"{error.message} Votre message n'a pas été envoyé.")
        request.throttled_for = error.wait
        return None
    try:
        # The uploads the message names are spent in its transaction: all or nothing.
        with consuming(form.taken.uploads, key=form.cleaned_data["token"]):
            return write()
    except OSError:
        form.add_error(None, STORAGE_FAILED)
    except services.TokenAlreadyUsed:
        form.add_error(None, "Ce formulaire a déjà servi : rechargez la page puis réessayez.")
    except UploadGone:
        form.add_error(None, "Un fichier envoyé vient d'être joint à un autre message.")
    finally:
        form.taken.close()
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
