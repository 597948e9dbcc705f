from django.shortcuts import render

from connect.accounts.policies import staff_only
from connect.staff import inbox
from connect.staff.access import garages_for_staff, own_first


@staff_only
def home(request):
    garages = own_first(garages_for_staff(request.user), request.user).select_related("expert")
    threads = inbox.inbox_threads(request.user)
    counts = inbox.state_counts(request.user, inbox.InboxFilters())
    context = {
        "garages": garages[:20],
        "unread_count": counts["non-lus"],
        "open_count": counts["ouverts"],
        "latest": inbox.ordered(threads.filter(inbox.STATES["non-lus"]))[:5],
    }
    return render(request, "staff/home.html", context)
