"""The garage dashboard on PostgreSQL through gunicorn (2 sync workers): one garage of 10,000
dossiers and a multi-site repairer's two garages (20,000), over 30 and 90 days, beside the bare
baseline, taken in turn; then each SQL query of the page with its time and plan.

    .venv/bin/python bench/dashboard.py [--runs 60] [--reseed]

Data (built on the first run, reused after; `--reseed` drops and rebuilds): 5 garages of
10,000 dossiers (the measured repairer belongs to two), each dossier with a mission step and,
for most, a report step; ~3 waits per dossier (firm and garage side, ended over the last
year, some open and overdue); ~30 % of dossiers with an invoice in some state.
Database: postgres://postgres@127.0.0.1:5432/bench_dashboard (`--database-url`); cache and
sessions in Redis db 12 (`--redis-url`); folder /tmp/bench_dashboard (`--work-dir`); a free port
unless `--port`. Budget (docs/architecture.md): p95 ≤ 50 ms.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    Server,
    Session,
    add_arguments,
    bench_env,
    fresh_database,
    load_average,
    manage,
    measure_interleaved,
    parse,
    setup_django,
)

GARAGES = 5
PER_GARAGE = 10_000
EMAIL = "bench-dashboard@test.fr"
BUDGET_MS = 50
STATES = [
    "EN COURS",
    "EN ATTENTE FACTURE",
    "RAPPORT DÉPOSÉ",
    "N.C.",
    "EXPERTISE PRÉVUE",
    "EN ATTENTE EAD",
    "CLOS",
    "VE SUIVI",
    "PRÉ-RAPPORT",
    "MISSIONNÉ",
]
KINDS_FIRM = ["message_answer", "exam_confirmation", "ead_assessment", "invoice_validation"]
KINDS_GARAGE = ["invoice_awaited", "ead_material_awaited", "complement_requested"]


def seed() -> None:
    from django.db import connection
    from django.utils import timezone

    from connect.accounts.models import Garage, Membership, Role, Unit, User
    from connect.deadlines.models import WaitPeriod
    from connect.dossiers.models import Dossier, Step, StepKind
    from connect.invoices.models import Invoice, InvoiceState

    rng = random.Random(17)
    now = timezone.now()
    unit = Unit.objects.create(code="bench", name="Bench")
    user = User.objects.create_user(
        EMAIL, "Un-mot-de-passe-solide-2026", role=Role.REPAIRER, full_name="Bench"
    )
    for number in range(GARAGES):
        garage = Garage.objects.create(
            external_id=f"BENCH{number}", name=f"Garage {number}", unit=unit
        )
        if number < 2:
            Membership.objects.create(user=user, garage=garage)
        dossiers = Dossier.objects.bulk_create(
            [
                Dossier(
                    reference=f"{number}{index:07d}",
                    garage=garage,
                    status_label=rng.choice(STATES),
                    archived=rng.random() < 0.15,
                    awaiting_invoice=rng.random() < 0.25,
                    remote_assessment=rng.random() < 0.3,
                    awaiting_ead=rng.random() < 0.1,
                    ve_follow_up=rng.random() < 0.05,
                    mission_received_on=(now - timedelta(days=index // 27)).date(),
                )
                for index in range(PER_GARAGE)
            ],
            batch_size=5000,
        )
        steps, waits, invoices = [], [], []
        for index, dossier in enumerate(dossiers):
            mission = now - timedelta(days=index / 27, hours=rng.random() * 24)
            steps.append(
                Step(dossier=dossier, kind=StepKind.MISSION, label="Mission", occurred_at=mission)
            )
            if rng.random() < 0.8:
                report = mission + timedelta(days=rng.uniform(3, 40))
                steps.append(
                    Step(
                        dossier=dossier,
                        kind=StepKind.REPORT,
                        label="Rapport",
                        occurred_at=min(report, now),
                    )
                )
            for n in range(3):
                firm = rng.random() < 0.6
                since = mission + timedelta(hours=rng.uniform(1, 400))
                is_open = rng.random() < 0.05
                waits.append(
                    WaitPeriod(
                        dossier=dossier,
                        kind=rng.choice(KINDS_FIRM if firm else KINDS_GARAGE),
                        side="firm" if firm else "garage",
                        key=f"bench:{n}",
                        since=since,
                        due_at=since + timedelta(hours=rng.uniform(4, 120)),
                        ended_at=None
                        if is_open
                        else since + timedelta(hours=rng.uniform(0.5, 200)),
                    )
                )
            if rng.random() < 0.3:
                amount = round(rng.uniform(300, 9000), 2)
                invoices.append(
                    Invoice(
                        dossier=dossier,
                        amount_incl_vat=amount,
                        state=rng.choice(list(InvoiceState)),
                        received_at=mission + timedelta(days=30),
                    )
                )
        Step.objects.bulk_create(steps, batch_size=5000)
        WaitPeriod.objects.bulk_create(waits, batch_size=5000)
        Invoice.objects.bulk_create(invoices, batch_size=5000)
        print(
            f"garage {number}: {len(dossiers)} dossiers, {len(steps)} steps, "
            f"{len(waits)} waits, {len(invoices)} invoices"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def session_cookie() -> str:
    from django.test import Client

    from connect.accounts.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=EMAIL), backend="django.contrib.auth.backends.ModelBackend"
    )
    return f"sessionid={client.cookies['sessionid'].value}"


def explain(paths: list[str]) -> None:
    """Each SQL query of the pages, its time in-process and its plan's top line."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from connect.accounts.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=EMAIL), backend="django.contrib.auth.backends.ModelBackend"
    )
    for path in paths:
        client.get(path)
        # uncached: the figures' own queries, not a cache hit
        with (
            override_settings(LIST_COUNTS_CACHE_SECONDS=0),
            CaptureQueriesContext(connection) as queries,
        ):
            client.get(path)
        print(f"\n{path}: {len(queries.captured_queries)} queries")
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"  {query['time']:>6} s  {total:<28} {sql[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_dashboard", redis_db=12, work="bench_dashboard")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print each query's plan time")
    args = parse(parser)
    env = bench_env(args)
    setup_django_or_seed(env, args.reseed)
    from connect.accounts.models import Garage

    one = Garage.objects.get(external_id="BENCH0").pk
    cookie = session_cookie()
    paths = [
        ("baseline /mentions-legales/", "/mentions-legales/"),
        ("one garage (10,000), 30 days", f"/tableau-de-bord/garages/{one}/"),
        ("one garage (10,000), 90 days", f"/tableau-de-bord/garages/{one}/?periode=90"),
        ("two garages (20,000), 30 days", "/tableau-de-bord/"),
        ("two garages (20,000), 90 days", "/tableau-de-bord/?periode=90"),
    ]
    print(load_average())
    # Cached (production: Redis, figures cached on the garages' versions) and uncached (every
    # request computes the figures: a dashboard read just after a write to its garages).
    for title, overrides in (
        ("cached figures", {}),
        ("uncached", {"LIST_COUNTS_CACHE_SECONDS": "0"}),
    ):
        with Server({**env, **overrides}, args.port, workers=2):
            session = Session(f"http://127.0.0.1:{args.port}", cookie=cookie)
            status, body, *_ = session.get(paths[1][1])
            assert status == 200 and b'role="img"' in body, f"dashboard did not render ({status})"
            results = measure_interleaved([(session, path, None) for _, path in paths], args.runs)
        print(f"\n{title}:\n{'path':<34} {'p50 ms':>8} {'p95 ms':>8}  budget")
        for (label, _), result in zip(paths, results, strict=True):
            budget = (
                ""
                if label.startswith("baseline")
                else ("ok" if result["p95"] <= BUDGET_MS else f"over {BUDGET_MS}")
            )
            print(f"{label:<34} {result['p50']:8.1f} {result['p95']:8.1f}  {budget}")
        print(load_average())
    if args.explain:
        explain([path for _, path in paths[1:]])


def setup_django_or_seed(env: dict, reseed: bool) -> None:
    if reseed:
        fresh_database(env)
    else:
        import subprocess

        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
            stderr=subprocess.DEVNULL,
            check=False,
        )
        manage(env, "migrate", "--noinput", "-v0")
        setup_django(env)
    from connect.accounts.models import User

    if not User.objects.filter(email=EMAIL).exists():
        started = time.perf_counter()
        seed()
        print(f"seeded in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
