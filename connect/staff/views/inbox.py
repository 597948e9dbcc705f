"""The inbox and a thread seen from the firm: reply, close/reopen, exams, ESD outcome."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.documents.models import Document
from connect.invoices.queries import sent_as
from connect.lib.headers import camera_allowed
from connect.lib.idempotency import KeyUsedElsewhere
from connect.lib.storage import storage_failure_on
from connect.messaging import queries
from connect.messaging.access import access_thread
from connect.messaging.forms import limits_text
from connect.messaging.models import ExamStatus, ThreadStatus
from connect.messaging.services import confirm_exam, decline_exam, mark_thread_seen
from connect.messaging.subjects import ESD, FIRM_REPLY, INVOICE
from connect.staff import inbox, services
from connect.staff.forms import (
    ConfirmExamForm,
    DeclineExamForm,
    EsdOutcomeForm,
    reply_form,
)


@staff_only
@methods("GET")
def inbox_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = inbox.InboxFilters.from_request(request.GET)
    threads = inbox.inbox_threads(request.user)
    open_state = filters.state in inbox.OPEN_STATES
    breakdown = inbox.open_breakdown(request.user) if open_state else None
    counts = inbox.state_counts(request.user, filters, breakdown)
    page = inbox.inbox_page(
        request.user,
        inbox.sorted_for_state(
            filters.apply(threads), filters.state, by_due_date=filters.by_due_date
        ),
        number=request.GET.get("page"),
        total=counts[filters.state],
        unseen=counts["non-lus"]
        if filters.state == "ouverts" and not filters.by_due_date
        else None,
    )
    subjects, garages = inbox.facet_counts(request.user, filters, breakdown)
    # By due date, what waits on the firm outside threads comes too (a subject filter: only its
    # threads).
    firm_waits, more_firm_waits = (
        inbox.other_firm_waits(request.user, filters)
        if filters.by_due_date and not filters.subject
        else ([], False)
    )
    context = {
        "firm_waits": firm_waits,
        "more_firm_waits": more_firm_waits,
        "filters": filters,
        "page": page,
        "tabs": [(key, label, counts[key]) for key, label in inbox.STATE_LABELS.items()],
        "subject_counts": subjects,
        "garage_counts": garages,
        "query": _query_without_page(request),
    }
    template = "staff/_inbox_results.html" if request.htmx else "staff/inbox.html"
    return render(request, template, context)


@staff_only
@methods("GET")
@camera_allowed
def thread_page(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    return _render_thread(request, access_thread(request.user, staff_thread_code))


def _render_thread(
    request: AuthenticatedHttpRequest, thread, *, forms=None, status=200
) -> HttpResponse:
    dossier = thread.dossier
    exam = getattr(thread, "exam_request", None) if _has_exam(thread) else None
    forms = forms or {}
    context = {
        "thread": thread,
        "dossier": dossier,
        "messages_": queries.messages_of(thread),
        "exam": exam,
        # An invoice's thread leads to the page where the firm decides on it.
        "invoices": sent_as(Document.objects.filter(messages__thread=thread))
        if thread.subject == INVOICE.key
        else [],
        "subject": FIRM_REPLY,
        "form": forms.get("reply") or reply_form(dossier=dossier),
        "confirm_form": forms.get("confirm") or (exam and ConfirmExamForm(exam=exam)),
        "decline_form": forms.get("decline") or DeclineExamForm(),
        "esd_form": forms.get("esd") or EsdOutcomeForm(),
        "limits": limits_text(),
        "max_file_bytes": settings.MAX_UPLOAD_FILE_BYTES,
        "max_message_bytes": settings.MAX_UPLOAD_MESSAGE_BYTES,
    }
    mark_thread_seen(user=request.user, thread=thread)
    return render(request, "staff/thread.html", context, status=status)


@staff_only
@methods("POST")
@camera_allowed
def thread_reply(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    thread = access_thread(request.user, staff_thread_code)
    form = reply_form(request.POST, request.FILES, dossier=thread.dossier)
    if not thread.is_open:
        form.add_error(None, "Ce fil est clos : rouvrez-le pour répondre.")
    elif form.is_valid():
        try:
            with storage_failure_on(form):
                services.reply(
                    actor=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    attachments=form.attachments,
                    idempotency_key=form.cleaned_data["token"],
                )
                flash.success(request, "Réponse envoyée au garage.")
                return redirect(_url(thread))
        except KeyUsedElsewhere:
            form.add_error(None, KeyUsedElsewhere.message)
    return _render_thread(request, thread, forms={"reply": form}, status=400)


@staff_only
@methods("POST")
def thread_status(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    thread = access_thread(request.user, staff_thread_code)
    closing = request.POST.get("status") == ThreadStatus.CLOSED
    status = ThreadStatus.CLOSED if closing else ThreadStatus.OPEN
    services.set_thread_status(thread=thread, status=status)
    flash.success(request, "Fil clos." if closing else "Fil rouvert.")
    return redirect(_url(thread))


@staff_only
@methods("POST")
def exam_confirm(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    thread = access_thread(request.user, staff_thread_code)
    exam = _pending_exam(thread)
    if exam is None:
        return _nothing_pending(request, thread)
    form = ConfirmExamForm(request.POST, exam=exam)
    if not form.is_valid():
        return _render_thread(request, thread, forms={"confirm": form}, status=400)
    confirm_exam(exam=exam, by=request.user, at=form.appointment_at)
    flash.success(request, "Examen confirmé : le garage est prévenu.")
    return redirect(_url(thread))


@staff_only
@methods("POST")
def exam_decline(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    thread = access_thread(request.user, staff_thread_code)
    exam = _pending_exam(thread)
    if exam is None:
        return _nothing_pending(request, thread)
    form = DeclineExamForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, thread, forms={"decline": form}, status=400)
    decline_exam(exam=exam, by=request.user, **form.cleaned_data)
    flash.success(request, "Demande refusée : le garage est prévenu.")
    return redirect(_url(thread))


@staff_only
@methods("POST")
def esd_outcome(request: AuthenticatedHttpRequest, staff_thread_code: UUID) -> HttpResponse:
    thread = access_thread(request.user, staff_thread_code)
    if thread.subject != ESD.key:
        flash.error(request, "Ce fil n'est pas une demande d'examen sans déplacement.")
        return redirect(_url(thread))
    form = EsdOutcomeForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, thread, forms={"esd": form}, status=400)
    services.record_esd_outcome(actor=request.user, thread=thread, **form.cleaned_data)
    flash.success(request, "Résultat de l'ESD enregistré et envoyé au garage.")
    return redirect(_url(thread))


def _has_exam(thread) -> bool:
    return bool(thread.subject_rules and thread.subject_rules.exam_kinds)


def _pending_exam(thread):
    """The thread's exam request while it waits for the firm's decision, else None."""
    exam = getattr(thread, "exam_request", None) if _has_exam(thread) else None
    if exam is None or exam.status != ExamStatus.REQUESTED:
        return None
    exam.thread, exam.dossier = thread, thread.dossier
    return exam


def _nothing_pending(request: AuthenticatedHttpRequest, thread):
    flash.error(request, "Aucune demande d'examen en attente sur ce fil.")
    return redirect(_url(thread))


def _url(thread) -> str:
    return reverse("staff:thread", kwargs={"staff_thread_code": thread.code})


def _query_without_page(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode() + "&" if params else ""
