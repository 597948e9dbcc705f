from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "connect.jobs"
    verbose_name = "Tâches de fond"
