from django.contrib import messages as flash
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url
from django.urls import reverse_lazy

from connect.accounts import lockout
from connect.accounts.access_codes import login_name
from connect.accounts.forms import ChoosePasswordForm, LoginForm, QueuedPasswordResetForm
from connect.accounts.tokens import invitation_token, reset_token


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Throttled before the password is checked: a blocked guess learns nothing.
        verdict = lockout.check(request, login_name(request.POST.get("username", "")))
        if verdict.blocked:
            context = {"form": LoginForm(request), "locked_message": verdict.message}
            response = render(request, self.get_template_names(), context, status=429)
            response["Retry-After"] = str(verdict.wait_seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        username = form.cleaned_data["username"]
        response = super().form_valid(form)  # cycles the session key
        lockout.record_success(self.request, username)
        lockout.remember_device(self.request, response, username)
        return response

    def get_default_redirect_url(self):
        # The insured and clients' users have spaces of their own (the repairers' home is a
        # 404 to them): an insured person's dossiers, a client's portfolio.
        user = self.request.user
        if user.is_authenticated and user.is_insured:
            return resolve_url("insured:home")
        if user.is_authenticated and user.is_client:
            return resolve_url("clients:portfolio")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        username = login_name(self.request.POST.get("username", ""))
        if username and self.request.POST.get("password"):
            lockout.record_failure(self.request, username)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    token_generator = reset_token
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    token_generator = reset_token
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.lift_account(form.user)  # the owner proved themselves: the account is free
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """First password of an invited repairer: a reset link with its own salt and lifetime."""

    form_class = ChoosePasswordForm
    token_generator = invitation_token
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("login")
    reset_url_token = "definir-mot-de-passe"

    def form_valid(self, form):
        response = super().form_valid(form)
        flash.success(
            self.request, "Votre mot de passe est enregistré. Vous pouvez vous connecter."
        )
        return response
