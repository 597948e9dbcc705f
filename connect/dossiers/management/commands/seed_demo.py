"""Deterministic demo data: `python manage.py seed_demo [--dossiers N] [--seed S]`.

Each app that has demo data contributes a `demo.py` with `seed(ctx)`, called in order.
It loads only into a database with no account but the demo's, whatever the flags: the demo
publishes its password and TOTP secret, so it must never touch a real account. Once loaded, a
second run writes nothing.
"""

import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from connect.lib.plural import counted

DEMO_PASSWORD = "Demo-2026-connect!"
APPS_IN_ORDER = [
    "accounts",
    "dossiers",
    "documents",
    "messaging",
    "checklists",
    "supplements",
    "deadlines",
    "updates",
    "tariffs",
    "clients",
    "staff",
    "api",
    "insured",
]


@dataclass
class DemoContext:
    rng: random.Random
    dossier_count: int
    password: str
    write: Callable[[str], object]
    objects: dict = field(default_factory=dict)
    garage_count: int = 0  # at least this many garages (0: as many as the dossiers need)
    big_garage: int = 0  # dossiers of the second garage, if set (the others share the rest)


class Command(BaseCommand):
    help = "Charge des données de démonstration déterministes."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=240, help="nombre de dossiers")
        parser.add_argument("--seed", type=int, default=2026, help="graine du hasard")
        parser.add_argument(
            "--force",
            action="store_true",
            help="autorise le chargement quand DEBUG est désactivé (jamais hors base de démo)",
        )
        parser.add_argument(
            "--garages", type=int, default=0, help="nombre minimal de garages (tests de charge)"
        )
        parser.add_argument(
            "--big-garage",
            type=int,
            default=0,
            help="nombre de dossiers du 2e garage, « Garage Martin & Fils » (mesures par taille)",
        )

    def handle(self, *args, dossiers, seed, force, garages, big_garage, **options):
        from connect.accounts import demo as accounts_demo
        from connect.accounts.models import User

        if User.objects.filter(email="reparateur@demo.test").exists():
            # Loaded before: write nothing at all (accounts added since are left as they are),
            # so that `make run` can call this every time.
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
            self.print_logins(User.objects.filter(email__in=accounts_demo.EMAILS))
            return
        others = User.objects.exclude(accounts_demo.demo_accounts()).count()
        if others:
            # Whatever the flags, --force included.
            raise CommandError(
                f"La base contient {counted(others, 'compte')} hors démonstration : seed_demo ne "
                "se lance que sur une base vide ou ne contenant que la démo. / The database holds "
                f"{others} non-demo account{'s' if others > 1 else ''}: seed_demo only runs on an "
                "empty or demo-only database."
            )
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG est désactivé : relancez avec --force pour charger la démo.")
        if dossiers < 10:
            raise CommandError("--dossiers doit valoir au moins 10.")
        if not 0 <= big_garage < dossiers:
            raise CommandError("--big-garage doit être inférieur à --dossiers.")
        ctx = DemoContext(
            rng=random.Random(seed),
            dossier_count=dossiers,
            password=DEMO_PASSWORD,
            write=self.stdout.write,
            garage_count=garages,
            big_garage=big_garage,
        )
        with transaction.atomic():
            modules = [
                importlib.import_module(f"connect.{app}.demo")
                for app in APPS_IN_ORDER
                if importlib.util.find_spec(f"connect.{app}.demo") is not None
            ]
            for module in modules:
                module.seed(ctx)
            # What depends on every app's rows (what the demo users have seen) comes last.
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(ctx)
        self.stdout.write(self.style.SUCCESS(f"Démo chargée : {dossiers} dossiers."))
        self.print_logins(User.objects.filter(email__in=ctx.objects.get("logins", [])))

    def print_logins(self, users):
        """`make run` shows the demo logins every time, loaded now or before."""
        self.stdout.write(f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») :")
        for user in users.order_by("role", "email"):
            self.stdout.write(f"  {user.email:<26} {user.get_role_display()}")
