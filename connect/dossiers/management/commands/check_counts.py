"""`manage.py check_counts [--no-repair]`: the nightly recount of the kept counts (kept.py)."""

from django.core.management.base import BaseCommand

from connect.dossiers.kept import check


class Command(BaseCommand):
    help = (
        "Recompte les onglets de chaque garage, signale tout écart avec les décomptes tenus "
        "par les écritures (journal, métrique) et le corrige."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-repair", action="store_true", help="Signale les écarts sans les corriger."
        )

    def handle(self, *args, no_repair=False, **options):
        record = check(repair=not no_repair)
        self.stdout.write(
            f"{record.garages} garage(s), {record.drifted_garages} en écart, écart total "
            f"{record.drift}"
        )
