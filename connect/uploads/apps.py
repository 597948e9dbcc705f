from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "connect.uploads"
    verbose_name = "envois par morceaux"
