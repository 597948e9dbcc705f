from django.urls import path

from connect.dossiers.views import listing

urlpatterns = [
    path("", listing.home, name="home"),
    path("dossiers/export.csv", listing.export_csv, name="export_csv"),
    path("dossiers/export.xlsx", listing.export_xlsx, name="export_xlsx"),
]
