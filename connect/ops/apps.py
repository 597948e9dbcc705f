from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "connect.ops"
    label = "ops"
