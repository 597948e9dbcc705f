from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "connect.dossiers"
    verbose_name = "Dossiers"
