from django.urls import path

from connect.dossiers import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dossiers/<uuid:code>/", views.dossier_detail, name="dossier_detail"),
]
