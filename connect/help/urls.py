from django.urls import path

from connect.help import views

urlpatterns = [
    path("aide/", views.help_index, name="help"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
