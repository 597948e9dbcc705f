from django.shortcuts import render

from connect.accounts.policies import authenticated
from connect.dossiers.access import access_dossier


@authenticated
def dossier_detail(request, code):
    dossier = access_dossier(request.user, code)
    steps = dossier.steps.order_by("occurred_at", "id")
    return render(request, "dossiers/detail.html", {"dossier": dossier, "steps": steps})
