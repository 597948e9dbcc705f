from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "connect.invoices"
    verbose_name = "factures"

    def ready(self) -> None:
        # The wait "invoice received, not yet validated" (the firm's ball), for the clock.
        from connect.invoices import waits  # noqa: F401
