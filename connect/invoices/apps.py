from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "connect.invoices"
    verbose_name = "factures"

    def ready(self) -> None:
        # The invoice awaited (the garage) and the invoice to validate (the firm), for the clock.
        from connect.invoices import waits  # noqa: F401
