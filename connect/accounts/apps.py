from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "connect.accounts"
    verbose_name = "Comptes et garages"
