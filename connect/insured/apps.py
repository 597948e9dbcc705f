from django.apps import AppConfig


class InsuredConfig(AppConfig):
    """The insured's space (issue 26): the car's owner follows their dossiers."""

    name = "connect.insured"
    label = "insured"
    verbose_name = "Espace assuré"

    def ready(self) -> None:
        from connect.insured import waits  # noqa: F401  (registers its deadlines source)
