"""`python manage.py create_api_token <name> [--webhook-url URL]`: the key is printed once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from connect.api.models import ApiToken


class Command(BaseCommand):
    help = "Crée un jeton d'API pour le système de gestion et l'affiche une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("name", help="à quoi sert ce jeton (ex. « gestion-prod »)")
        parser.add_argument(
            "--webhook-url", default="", help="URL notifiée des nouveaux événements"
        )

    def handle(self, *args, name, webhook_url, **options):
        if webhook_url:
            try:
                URLValidator(schemes=["https", "http"])(webhook_url)
            except ValidationError:
                raise CommandError("--webhook-url : URL invalide.") from None
        token, key = ApiToken.issue(name, webhook_url=webhook_url)
        self.stdout.write(f"Jeton « {token.name} » créé (préfixe {token.prefix}).")
        self.stdout.write("Copiez-le maintenant, il ne sera plus affiché :")
        self.stdout.write(key)
        if token.webhook_secret:
            self.stdout.write(f"Secret de signature des notifications : {token.webhook_secret}")
