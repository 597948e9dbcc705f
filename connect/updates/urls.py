from django.urls import path

from connect.updates import views

app_name = "updates"
urlpatterns = [
    path("mises-a-jour/", views.update_list, name="list"),
    path("mises-a-jour/lu/", views.mark_seen, name="mark_seen"),
    path("espace/mises-a-jour/", views.manage, name="manage"),
    path("espace/mises-a-jour/nouvelle/", views.edit, name="create"),
    path("espace/mises-a-jour/<int:update_id>/", views.edit, name="edit"),
]
