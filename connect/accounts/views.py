from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from connect.accounts.forms import ChoosePasswordForm, LoginForm, QueuedPasswordResetForm
from connect.accounts.tokens import invitation_token, reset_token


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    token_generator = reset_token
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    token_generator = reset_token
    success_url = reverse_lazy("password_reset_complete")


class InvitationView(auth_views.PasswordResetConfirmView):
    """First password of an invited repairer: a reset link with its own salt and lifetime."""

    form_class = ChoosePasswordForm
    token_generator = invitation_token
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("login")
    reset_url_token = "definir-mot-de-passe"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "Votre mot de passe est enregistré. Vous pouvez vous connecter."
        )
        return response
