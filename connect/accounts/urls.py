from django.contrib.auth import views as auth_views
from django.urls import path

from connect.accounts import views
from connect.accounts.policies import public, signed_in

urlpatterns = [
    path("connexion/", public(views.LoginView.as_view()), name="login"),
    path("deconnexion/", signed_in(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "mot-de-passe-oublie/",
        public(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        public(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        public(views.InvitationView.as_view()),
        name="invitation",
    ),
]
