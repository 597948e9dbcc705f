from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "connect.deadlines"
    verbose_name = "délais de traitement"

    def ready(self) -> None:
        from connect.deadlines import services
        from connect.dossiers.touch import on_dossiers_touched

        on_dossiers_touched(services.recompute)
