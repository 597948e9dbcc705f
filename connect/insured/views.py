"""The insured's space: signing up and logging in by e-mail, "Mes dossiers", a dossier."""

import json
from uuid import UUID

from django.contrib import messages as flash
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode

from connect.accounts import lockout
from connect.accounts.forms import ChoosePasswordForm
from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.lockout import client_address
from connect.accounts.models import User
from connect.accounts.policies import insured_only, methods, public, staff_only
from connect.documents.responses import file_response, protect
from connect.documents.views import PENDING_IMAGE
from connect.dossiers.access import access_dossier
from connect.insured import personal_data, services
from connect.insured.access import (
    access_followed_dossier,
    access_released_document,
    access_staff_question,
)
from connect.insured.calendar import appointment_ics
from connect.insured.forms import AnswerForm, InsuredEmailForm, QuestionForm, SurveyForm
from connect.insured.models import InsuredQuestion, InsuredSurvey
from connect.insured.pages import dossier_context, dossier_rows, survey_open
from connect.insured.tokens import login_link_token, signup_token
from connect.lib.http import get_or_404
from connect.lib.throttle import Rate, Throttled, consume, throttled_page

QUESTIONS_PER_HOUR = 10

# --- Signing up and logging in (public) ---


@public
@methods("GET", "POST")
def signup(request: HttpRequest) -> HttpResponse:
    return _email_request(request, services.request_signup, "insured/signup.html", "signup_sent")


@public
@methods("GET")
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "insured/signup_sent.html")


@public
@methods("GET", "POST")
def login_link(request: HttpRequest) -> HttpResponse:
    return _email_request(
        request, services.request_login_link, "insured/login_link.html", "login_link_sent"
    )


@public
@methods("GET")
def login_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "insured/login_link_sent.html")


def _email_request(request: HttpRequest, send, template: str, sent: str) -> HttpResponse:
    """The same answer for every well-formed address: what happened is said by e-mail only."""
    form = InsuredEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            send(email=form.cleaned_data["email"], ip=client_address(request))
            return redirect(f"insured:{sent}")
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": form})


class SignupConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the first password from the sign-up link (24 h, single use), then in."""

    form_class = ChoosePasswordForm
    token_generator = signup_token
    template_name = "insured/signup_confirm.html"
    success_url = reverse_lazy("insured:home")
    reset_url_token = "choisir-mot-de-passe"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_insured else None

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.lift_account(form.user)
        flash.success(self.request, "Votre mot de passe est enregistré. Bienvenue !")
        return response


def _link_user(uidb64: str, token: str) -> User | None:
    """The insured account a login link names, if the link is still good."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.is_insured or not login_link_token.check_token(user, token):
        return None
    return user


@public
@methods("GET", "POST")
def login_link_open(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links: they must not spend it); POST logs in,
    which spends the link (the last login is part of its token)."""
    user = _link_user(uidb64, token)
    if user is None:
        return render(request, "insured/login_link_open.html", {"valid": False}, status=400)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("insured:home")
    return render(request, "insured/login_link_open.html", {"valid": True})


# --- The space (insured_only) ---


@insured_only
@methods("GET")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "insured/home.html", {"rows": dossier_rows(request.user)})


@insured_only
@methods("GET")
def dossier(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _render_dossier(request, access_followed_dossier(request.user, code))


def _render_dossier(request, followed, *, forms=None, status=200) -> HttpResponse:
    context = dossier_context(followed)
    forms = forms or {}
    context["question_form"] = forms.get("question") or QuestionForm(
        initial={"text": _slot_request(followed)} if "autre-creneau" in request.GET else None
    )
    context["survey_open"] = survey_open(context["stages"]) and context["survey"] is None
    context["survey_form"] = forms.get("survey") or SurveyForm()
    return render(request, "insured/dossier.html", context, status=status)


@insured_only
@methods("POST")
def survey(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """The closing survey: once per dossier, once the vehicle is ready."""
    followed = access_followed_dossier(request.user, code)
    form = SurveyForm(request.POST)
    if not survey_open(dossier_context(followed)["stages"]):
        flash.error(request, "L'avis se donne une fois votre véhicule prêt.")
        return redirect("insured:dossier", code=followed.code)
    if not form.is_valid():
        return _render_dossier(request, followed, forms={"survey": form}, status=400)
    try:
        services.answer_survey(dossier=followed, author=request.user, **form.cleaned_data)
    except services.AlreadyAnswered:
        flash.info(request, "Vous avez déjà donné votre avis sur ce dossier. Merci !")
    else:
        flash.success(request, "Merci pour votre avis !")
    return redirect(reverse("insured:dossier", args=[followed.code]) + "#avis")


def _slot_request(followed) -> str:
    """ "Demander un autre créneau": the question, written for the insured to complete."""
    if followed.appointment_at is None:
        return ""
    when = timezone.localtime(followed.appointment_at)
    return (
        f"Bonjour, le rendez-vous du {when:%d/%m/%Y à %H:%M} ne me convient pas. "
        "Pourriez-vous me proposer un autre créneau ? Mes disponibilités : "
    )


@insured_only
@methods("POST")
def ask(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """ "Question sur mon dossier": to the firm's client advisor."""
    followed = access_followed_dossier(request.user, code)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, followed, forms={"question": form}, status=400)
    try:
        consume(("insured-questions", request.user.pk, Rate(QUESTIONS_PER_HOUR, 3600)))
    except Throttled as error:
        return throttled_page(request, error)
    services.ask_question(dossier=followed, author=request.user, body=form.cleaned_data["text"])
    flash.success(request, "Votre question est envoyée à votre conseiller.")
    return redirect(reverse("insured:dossier", args=[followed.code]) + "#questions")


@insured_only
@methods("GET")
def appointment(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    followed = access_followed_dossier(request.user, code)
    if followed.appointment_at is None:
        return render(request, "insured/no_appointment.html", {"dossier": followed}, status=404)
    response = HttpResponse(appointment_ics(followed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{followed.reference}.ics"'
    return response


@insured_only
@methods("GET")
def document_file(
    request: AuthenticatedHttpRequest, code: UUID, released_document_code: UUID
) -> HttpResponseBase:
    document = access_released_document(request.user, code, released_document_code)
    return file_response(
        document.file,
        as_attachment="telecharger" in request.GET or not document.browser_can_show,
        filename=document.download_name,
        content_type=document.content_type,
        request=request,
    )


@insured_only
@methods("GET")
def privacy(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "insured/privacy.html")


@insured_only
@methods("GET")
def privacy_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = json.dumps(personal_data.export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@insured_only
@methods("POST")
def privacy_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        context = {"delete_error": "Cochez la case pour confirmer la suppression."}
        return render(request, "insured/privacy.html", context, status=400)
    personal_data.delete_account(request=request, user=request.user)
    flash.success(request, "Votre compte assuré est supprimé.")
    return redirect("login")


@insured_only
@methods("GET")
def document_thumbnail(
    request: AuthenticatedHttpRequest, code: UUID, released_document_code: UUID
) -> HttpResponseBase:
    """A released photo's preview, as the repairer's (made off the request path)."""
    document = access_released_document(request.user, code, released_document_code)
    if not document.is_photo:
        raise Http404
    if not document.thumbnail:  # not made yet: the same placeholder as the repairer's
        return redirect(static(PENDING_IMAGE))
    return protect(FileResponse(document.thumbnail.open("rb"), content_type="image/jpeg"))


# --- The firm's actions on the insured's access (staff_only, through the staff's door) ---


@staff_only
@methods("POST")
def staff_invite(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    followed = access_dossier(request.user, code)
    if services.invite_insured(dossier=followed):
        flash.success(request, f"Invitation envoyée à {followed.insured_email}.")
    else:
        flash.error(
            request,
            "Aucune invitation envoyée : pas d'adresse d'assuré, accès coupé, dossier archivé "
            "depuis trop longtemps, ou adresse déjà utilisée par un compte professionnel.",
        )
    return redirect("staff:dossier_documents", code=followed.code)


@staff_only
@methods("POST")
def staff_access(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    followed = access_dossier(request.user, code)
    allowed = request.POST.get("allowed") == "1"
    services.set_insured_access(dossier=followed, allowed=allowed, by=request.user)
    if allowed:
        flash.success(request, "L'assuré peut de nouveau suivre ce dossier.")
    else:
        flash.success(request, "L'accès de l'assuré à ce dossier est coupé.")
    return redirect("staff:dossier_documents", code=followed.code)


@staff_only
@methods("GET")
def staff_questions(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _render_staff_questions(request, access_dossier(request.user, code))


def _render_staff_questions(request, followed, *, forms=None, status=200) -> HttpResponse:
    questions = InsuredQuestion.objects.filter(dossier=followed).select_related("answered_by")
    forms = forms or {}
    rows = [
        (question, forms.get(question.pk) or AnswerForm(prefix=f"q{question.pk}"))
        for question in questions
    ]
    survey = InsuredSurvey.objects.filter(dossier=followed).first()
    context = {"dossier": followed, "rows": rows, "survey": survey}
    return render(request, "insured/staff_questions.html", context, status=status)


@staff_only
@methods("POST")
def staff_answer(request: AuthenticatedHttpRequest, question_code: UUID) -> HttpResponse:
    question = access_staff_question(request.user, question_code)
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if not form.is_valid():
        forms = {question.pk: form}
        return _render_staff_questions(request, question.dossier, forms=forms, status=400)
    services.answer_question(question=question, by=request.user, answer=form.cleaned_data["text"])
    flash.success(request, "Votre réponse est visible par l'assuré.")
    return redirect("insured:staff_questions", code=question.dossier.code)


@staff_only
@methods("POST")
def staff_called_back(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    followed = access_dossier(request.user, code)
    survey = get_or_404(InsuredSurvey.objects.all(), dossier=followed)
    services.mark_called_back(survey=survey, by=request.user)
    flash.success(request, "L'assuré est marqué comme rappelé.")
    return redirect("insured:staff_questions", code=followed.code)
