from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "connect.push"
    verbose_name = "Notifications push"

    def ready(self) -> None:
        from connect.push import checks  # noqa: F401 - registers the VAPID checks
