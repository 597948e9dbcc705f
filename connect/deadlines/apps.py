from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "connect.deadlines"
    verbose_name = "délais de traitement"

    def ready(self) -> None:
        from connect.deadlines import services
        from connect.deadlines.sources import WaitKind
        from connect.dossiers.ball import KIND_LABELS
        from connect.dossiers.touch import on_dossiers_touched

        on_dossiers_touched(services.recompute)
        KIND_LABELS.update(WaitKind.choices)  # the list's words for what is awaited
