"""The dossier page ("Informations" tab): the dossier, its documents, its steps and what was
asked through messaging. It lives here, in the highest layer it draws from (README, "Layers")."""

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import authenticated, methods
from connect.documents.listing import document_list
from connect.documents.services import mark_listed_seen
from connect.dossiers import panels
from connect.dossiers.access import access_dossier
from connect.dossiers.steps import timeline


@authenticated
@methods("GET")
def dossier_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code, annotations=panels.annotations())
    documents = document_list(
        dossier=dossier,
        user=request.user,
        kind=request.GET.get("genre", ""),
        doc_type=request.GET.get("type", ""),
    )
    mark_listed_seen(user=request.user, dossier=dossier, listed=documents)
    context = {"dossier": dossier, "documents": documents}
    if request.htmx and request.htmx.target == "documents":
        return render(request, "documents/_dossier_documents.html", context)
    context.update(timeline(request, dossier))
    return render(request, "messaging/dossier_page.html", context)
