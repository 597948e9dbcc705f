from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "connect.documents"
    verbose_name = "documents"

    def ready(self) -> None:
        import pillow_heif
        from django.conf import settings
        from PIL import Image

        from connect.documents import checks, scanning  # noqa: F401  (register their checks)

        # HEIC/HEIF (what iPhones send) through Pillow, and one pixel cap for every decode.
        pillow_heif.register_heif_opener()
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
