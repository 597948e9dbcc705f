from django.urls import path

from connect.tariffs import views

app_name = "tariffs"
urlpatterns = [
    path("tarifs/", views.my_garages, name="mine"),
    path("tarifs/<int:garage_id>/", views.garage_cards, name="garage"),
    path("tarifs/<int:garage_id>/transmettre/", views.submit, name="submit"),
    path("tarifs/<int:garage_id>/versions/<int:version>/", views.card_detail, name="card"),
    path(
        "tarifs/<int:garage_id>/versions/<int:version>/panneau/",
        views.card_board,
        name="board",
    ),
    path("espace/tarifs/", views.staff_garages, name="staff_garages"),
    path("espace/tarifs/<int:garage_id>/", views.staff_garage_cards, name="staff_garage"),
]
