from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "connect.documents"
