from django.urls import path

from connect.staff.views import clients, dossiers, garages, inbox, second_factor, workspace

app_name = "staff"

GARAGE = "garages/<int:garage_id>/"
ACCOUNT = GARAGE + "comptes/<int:user_id>/"
THREAD = "messages/<uuid:staff_thread_code>/"
DOSSIER = "dossiers/<uuid:code>/"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("verification/", second_factor.verify, name="second_factor"),
    path("verification/activation/", second_factor.enrol, name="enrol"),
    path("verification/codes-de-secours/", second_factor.recovery_codes, name="recovery_codes"),
    path("messages/", inbox.inbox_page, name="inbox"),
    path(THREAD, inbox.thread_page, name="thread"),
    path(THREAD + "repondre/", inbox.thread_reply, name="thread_reply"),
    path(THREAD + "statut/", inbox.thread_status, name="thread_status"),
    path(THREAD + "examen/confirmer/", inbox.exam_confirm, name="exam_confirm"),
    path(THREAD + "examen/refuser/", inbox.exam_decline, name="exam_decline"),
    path(THREAD + "esd/", inbox.esd_outcome, name="esd_outcome"),
    path("garages/", garages.garage_list, name="garages"),
    path(GARAGE, garages.garage_detail, name="garage"),
    path(GARAGE + "modifier/", garages.garage_edit, name="garage_edit"),
    path(GARAGE + "comptes/", garages.account_create, name="account_create"),
    path(ACCOUNT + "invitation/", garages.account_invite, name="account_invite"),
    path(ACCOUNT + "activation/", garages.account_active, name="account_active"),
    path(ACCOUNT + "retrait/", garages.account_remove, name="account_remove"),
    path("clients/", clients.client_list, name="clients"),
    path("clients/<int:client_id>/", clients.client_detail, name="client"),
    path("clients/<int:client_id>/utilisateurs/", clients.client_user_create, name="client_user"),
    path(
        "clients/<int:client_id>/utilisateurs/<int:member_id>/perimetre/",
        clients.client_user_region,
        name="client_user_region",
    ),
    path("dossiers/", dossiers.dossier_search, name="dossier_search"),
    path(DOSSIER + "documents/", dossiers.dossier_documents, name="dossier_documents"),
    path(DOSSIER + "documents/publier/", dossiers.document_publish, name="document_publish"),
    path(DOSSIER + "dossier-de-preuves.zip", dossiers.evidence_pack, name="evidence_pack"),
    path(
        DOSSIER + "documents/<uuid:document_code>/assure/",
        dossiers.document_release,
        name="document_release",
    ),
]
