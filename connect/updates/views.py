from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import authenticated, methods, staff_only
from connect.lib.http import get_or_404, int_list, safe_next
from connect.updates import services
from connect.updates.forms import ServiceUpdateForm
from connect.updates.models import ServiceUpdate


@authenticated
@methods("GET")
def update_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    updates = (
        ServiceUpdate.objects.published()
        .for_reader(request.user)
        .with_seen_by(request.user)
        .newest_first()
    )
    return render(request, "updates/list.html", {"updates": updates})


@authenticated
@methods("POST")
def mark_seen(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids, shown = int_list(request.POST, "update"), int_list(request.POST, "shown")
    marked = services.mark_seen(user=request.user, update_ids=ids, unticked_ids=shown)
    if request.htmx:
        return render(request, "updates/_marked.html", {"marked": marked})
    if marked:
        flash.success(request, "Mises à jour marquées comme lues.")
    return redirect(safe_next(request, fallback=reverse("updates:list")))


@staff_only
@methods("GET")
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    updates = ServiceUpdate.objects.select_related("author").newest_first()
    return render(request, "updates/manage.html", {"updates": updates})


@staff_only
@methods("GET", "POST")
def edit(request: AuthenticatedHttpRequest, update_id: int | None = None) -> HttpResponse:
    update = get_or_404(ServiceUpdate.objects.all(), pk=update_id) if update_id else None
    form = ServiceUpdateForm(request.POST or None, instance=update)
    if request.method == "POST" and form.is_valid():
        saved = services.save_update(form=form, author=request.user)
        state = "publiée" if saved.is_published else "enregistrée comme brouillon"
        flash.success(request, f"Mise à jour {saved.version} {state}.")
        return redirect("updates:manage")
    return render(request, "updates/edit.html", {"form": form, "update": update})
