from django.urls import path

from connect.staff.views import dossiers, garages, second_factor, workspace

app_name = "staff"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("verification/", second_factor.verify, name="second_factor"),
    path("verification/activation/", second_factor.enrol, name="enrol"),
    path("verification/codes-de-secours/", second_factor.recovery_codes, name="recovery_codes"),
    path("garages/", garages.garage_list, name="garages"),
    path("garages/<int:garage_id>/", garages.garage_detail, name="garage"),
    path("garages/<int:garage_id>/modifier/", garages.garage_edit, name="garage_edit"),
    path("garages/<int:garage_id>/comptes/", garages.account_create, name="account_create"),
    path(
        "garages/<int:garage_id>/comptes/<int:user_id>/invitation/",
        garages.account_invite,
        name="account_invite",
    ),
    path(
        "garages/<int:garage_id>/comptes/<int:user_id>/activation/",
        garages.account_active,
        name="account_active",
    ),
    path("dossiers/<uuid:code>/documents/", dossiers.dossier_documents, name="dossier_documents"),
    path(
        "dossiers/<uuid:code>/documents/publier/",
        dossiers.document_publish,
        name="document_publish",
    ),
]
