from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "connect.checklists"
    verbose_name = "compléments demandés"

    def ready(self) -> None:
        from connect.checklists import waits  # noqa: F401  (registers its deadlines source)
