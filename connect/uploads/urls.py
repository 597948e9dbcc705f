from django.urls import path

from connect.uploads import app_shell, views

app_name = "uploads"
urlpatterns = [
    path("televersements/", views.create, name="create"),
    path("televersements/<uuid:upload_code>/", views.upload, name="upload"),
    path("manifest.webmanifest", app_shell.manifest, name="manifest"),
    path("sw.js", app_shell.service_worker, name="service_worker"),
    path("hors-ligne/", app_shell.offline, name="offline"),
]
