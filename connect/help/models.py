from django.db import models


class LegalPage(models.Model):
    """An administrator's text for a legal page; without a row the built-in text is shown."""

    class Slug(models.TextChoices):
        LEGAL = "mentions-legales", "Mentions légales"
        PRIVACY = "donnees-personnelles", "Données personnelles"

    slug = models.CharField("page", max_length=40, choices=Slug.choices, unique=True)
    title = models.CharField("titre", max_length=150)
    body = models.TextField(
        "texte", help_text="Markdown : titres (##), listes, liens http(s) et mailto."
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "page légale"
        verbose_name_plural = "pages légales"

    def __str__(self) -> str:
        return self.get_slug_display()
