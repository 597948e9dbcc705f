from django.apps import AppConfig


class TariffsConfig(AppConfig):
    name = "connect.tariffs"
