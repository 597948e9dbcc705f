from django.urls import path

from connect.documents import views

urlpatterns = [
    path(
        "dossiers/<uuid:code>/documents/<uuid:document_code>/",
        views.document_file,
        name="document_file",
    ),
    path(
        "dossiers/<uuid:code>/documents/<uuid:document_code>/miniature/",
        views.document_thumbnail,
        name="document_thumbnail",
    ),
    path(
        "dossiers/<uuid:code>/documents/<uuid:document_code>/apercu/",
        views.document_preview,
        name="document_preview",
    ),
    path("dossiers/<uuid:code>/documents.zip", views.documents_zip, name="documents_zip"),
    path(".well-known/connect-evidence-keys.json", views.evidence_keys, name="evidence_keys"),
]
