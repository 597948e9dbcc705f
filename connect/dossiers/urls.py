from django.urls import path

from connect.dossiers.views import detail, listing

urlpatterns = [
    path("", listing.home, name="home"),
    path("dossiers/<uuid:code>/", detail.dossier_detail, name="dossier_detail"),
]
