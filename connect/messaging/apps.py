from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "connect.messaging"

    def ready(self) -> None:
        from connect.messaging import waits  # noqa: F401 - registers messaging's waits (deadlines)
