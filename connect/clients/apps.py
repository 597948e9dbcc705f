from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "connect.clients"
    verbose_name = "clients"
