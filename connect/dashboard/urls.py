from django.urls import path

from connect.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("tableau-de-bord/", views.all_garages, name="all"),
    path("tableau-de-bord/garages/<int:garage_id>/", views.one_garage, name="garage"),
    path("portefeuille/indicateurs/", views.client_indicators, name="client_indicators"),
]
