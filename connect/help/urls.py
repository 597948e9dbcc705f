from django.urls import path

from connect.help import views

urlpatterns = [
    path("aide/", views.help_index, name="help"),
    path("aide/<slug:topic>/", views.help_topic, name="help_topic"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
