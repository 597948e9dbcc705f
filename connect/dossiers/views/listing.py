from django.core.paginator import Paginator
from django.shortcuts import render

from connect.accounts.policies import authenticated
from connect.dossiers.models import Dossier

PAGE_SIZE = 50


@authenticated
def home(request):
    dossiers = Dossier.objects.visible_to(request.user).in_tab("tous").select_related("garage")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/home.html", {"page": page})
