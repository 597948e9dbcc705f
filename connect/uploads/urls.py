from django.urls import path

from connect.uploads import views

app_name = "uploads"
urlpatterns = [
    path("televersements/", views.create, name="create"),
    path("televersements/<uuid:upload_code>/", views.upload, name="upload"),
]
