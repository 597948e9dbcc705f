from django.urls import path

from connect.readings import views

app_name = "readings"
urlpatterns = [
    path("dossiers/<uuid:code>/lecture-plaque/", views.probe, name="probe"),
    path(
        "dossiers/<uuid:code>/lecture-plaque/<uuid:reading_code>/",
        views.probe_state,
        name="probe_state",
    ),
]
