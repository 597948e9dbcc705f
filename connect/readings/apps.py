from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "connect.readings"
    verbose_name = "lectures des photos"
