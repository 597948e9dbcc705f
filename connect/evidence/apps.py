from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "connect.evidence"
    verbose_name = "dossier de preuves"
