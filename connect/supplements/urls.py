from django.urls import path

from connect.supplements import views

app_name = "supplements"

STAFF = "espace/dossiers/<uuid:code>/supplements/"

urlpatterns = [
    path(STAFF, views.staff_supplements, name="staff_supplements"),
    path(STAFF + "plafond/", views.supplement_allow, name="allow"),
    path(STAFF + "<uuid:supplement_code>/decision/", views.supplement_decide, name="decide"),
]
