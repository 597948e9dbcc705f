"""`manage.py runserver [ADDR:]PORT`: whitenoise's development server, whose e-mail links point
at the address served unless PORTAL_URL is set (as `make run PORT=…` does for its processes).

connect.ops comes before whitenoise.runserver_nostatic in INSTALLED_APPS, so this command takes
the name.
"""

import os

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands import runserver


class Command(runserver.Command):
    def run(self, **options):
        # Runs in the reloader's child too (same arguments): each process serves the same port.
        if not os.environ.get("PORTAL_URL"):
            host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            settings.PORTAL_URL = f"{self.protocol}://{host}:{self.port}"
        super().run(**options)
