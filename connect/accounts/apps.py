from pathlib import Path

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "connect.accounts"
    verbose_name = "Comptes et garages"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in

        from connect.accounts.middleware import start_session_clocks
        from connect.accounts.principal import connect_signals

        connect_signals()
        user_logged_in.connect(start_session_clocks, dispatch_uid="accounts-session-clocks")

        # WhiteNoise warns at start-up when STATIC_ROOT is missing (before the first
        # collectstatic), and the default SQLite file lives beside it in VAR_DIR: make the
        # folder here rather than at settings import.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
