from django.core.paginator import Paginator
from django.shortcuts import render

from connect.accounts.policies import authenticated
from connect.dossiers.access import access_dossier
from connect.dossiers.models import Dossier

PAGE_SIZE = 50


@authenticated
def home(request):
    dossiers = Dossier.objects.visible_to(request.user).in_tab("tous").select_related("garage")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/home.html", {"page": page})


@authenticated
def dossier_detail(request, code):
    dossier = access_dossier(request.user, code)
    steps = dossier.steps.order_by("occurred_at", "id")
    return render(request, "dossiers/detail.html", {"dossier": dossier, "steps": steps})
