from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "connect.updates"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from connect.updates.window import open_window_at_login

        user_logged_in.connect(open_window_at_login, dispatch_uid="updates-window-at-login")
