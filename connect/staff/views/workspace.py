from django.shortcuts import render

from connect.accounts.policies import staff_only
from connect.staff.access import garages_for_staff, own_first


@staff_only
def home(request):
    garages = own_first(garages_for_staff(request.user), request.user).select_related("expert")
    return render(request, "staff/home.html", {"garages": garages[:20]})
