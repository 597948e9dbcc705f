from django.contrib import admin
from django.urls import include, path

from connect.api.client_tokens import create_client_token
from connect.messaging.dossier_page import dossier_detail

admin.site.site_header = "Connect Réparateurs · administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", include("connect.accounts.urls")),
    path("", include("connect.dossiers.urls")),
    path("", include("connect.documents.urls")),
    path("", include("connect.messaging.urls")),
    path("", include("connect.checklists.urls")),
    path("", include("connect.supplements.urls")),
    path("", include("connect.uploads.urls")),
    path("", include("connect.invoices.urls")),
    path("", include("connect.readings.urls")),
    # The dossier page composes dossiers, documents and messaging: served by the highest of them.
    path("dossiers/<uuid:code>/", dossier_detail, name="dossier_detail"),
    path("", include("connect.updates.urls")),
    path("", include("connect.push.urls")),
    path("", include("connect.tariffs.urls")),
    path("", include("connect.help.urls")),
    path("", include("connect.dashboard.urls")),
    path("espace/", include("connect.staff.urls")),
    path("assure/", include("connect.insured.urls")),
    # On the account manager's client page (staff), served by the API that owns the tokens.
    path(
        "espace/clients/<int:client_id>/jeton-api/",
        create_client_token,
        name="client_api_token",
    ),
    path("portefeuille/", include("connect.clients.urls")),
    path("api/v1/", include("connect.api.urls")),
    path("api/client/v1/", include("connect.api.client_urls")),
    path("admin/", admin.site.urls),
    path("", include("connect.ops.urls")),
]

# French error pages that need no database; JSON under /api/ (connect/ops/errors.py).
handler400 = "connect.ops.errors.bad_request"
handler403 = "connect.ops.errors.permission_denied"
handler404 = "connect.ops.errors.page_not_found"
handler500 = "connect.ops.errors.server_error"
