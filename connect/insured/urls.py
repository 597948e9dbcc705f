from django.urls import path

from connect.accounts.policies import public
from connect.insured import views

app_name = "insured"

DOSSIER = "dossiers/<uuid:code>/"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup_sent"),
    path(
        "inscription/<uidb64>/<token>/",
        public(views.SignupConfirmView.as_view()),
        name="signup_confirm",
    ),
    path("lien-de-connexion/", views.login_link, name="login_link"),
    path("lien-de-connexion/envoye/", views.login_link_sent, name="login_link_sent"),
    path("connexion/<uidb64>/<token>/", views.login_link_open, name="login_link_open"),
    path("", views.home, name="home"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("donnees-personnelles/export.json", views.privacy_export, name="privacy_export"),
    path("donnees-personnelles/suppression/", views.privacy_delete, name="privacy_delete"),
    path(DOSSIER, views.dossier, name="dossier"),
    path(DOSSIER + "rendez-vous.ics", views.appointment, name="appointment"),
    path(DOSSIER + "question/", views.ask, name="ask"),
    path(DOSSIER + "avis/", views.survey, name="survey"),
    path(
        DOSSIER + "documents/<uuid:released_document_code>/",
        views.document_file,
        name="document",
    ),
    path(
        DOSSIER + "documents/<uuid:released_document_code>/miniature/",
        views.document_thumbnail,
        name="document_thumbnail",
    ),
    # The firm's actions on the insured's access (staff_only).
    path("cabinet/" + DOSSIER + "invitation/", views.staff_invite, name="staff_invite"),
    path("cabinet/" + DOSSIER + "acces/", views.staff_access, name="staff_access"),
    path("cabinet/" + DOSSIER + "questions/", views.staff_questions, name="staff_questions"),
    path("cabinet/" + DOSSIER + "rappel/", views.staff_called_back, name="staff_called_back"),
    path(
        "cabinet/questions/<uuid:question_code>/repondre/",
        views.staff_answer,
        name="staff_answer",
    ),
]
