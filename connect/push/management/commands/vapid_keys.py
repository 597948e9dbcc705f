from django.core.management.base import BaseCommand

from connect.push.vapid import new_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (keep the private key secret)."
    # Run precisely when the keys are missing: the warning about them would only be noise.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options) -> None:
        public, private = new_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
