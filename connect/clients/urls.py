from django.urls import path

from connect.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.portfolio_page, name="portfolio"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("dossiers/<uuid:code>/", views.dossier_page, name="dossier"),
]
