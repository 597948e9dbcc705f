from django.apps import AppConfig


class SupplementsConfig(AppConfig):
    name = "connect.supplements"
    verbose_name = "suppléments"

    def ready(self) -> None:
        from connect.supplements import waits  # noqa: F401  (registers its deadlines source)
