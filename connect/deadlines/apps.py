from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "connect.deadlines"
    verbose_name = "délais de traitement"
