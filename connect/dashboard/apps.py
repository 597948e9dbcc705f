from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "connect.dashboard"
    verbose_name = "tableau de bord"
