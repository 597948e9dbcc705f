from django.http import HttpResponse
from django.shortcuts import render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.staff import inbox
from connect.staff.access import garages_for_staff, own_first


@staff_only
@methods("GET")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    garages = own_first(garages_for_staff(request.user), request.user).select_related("expert")
    counts = inbox.open_counts(request.user, inbox.InboxFilters())
    context = {
        "garages": garages[:20],
        "unseen_count": counts["non-lus"],
        "open_count": counts["ouverts"],
        "latest": inbox.latest_unseen(request.user),
    }
    return render(request, "staff/home.html", context)
