"""Benchmark of the home list over HTTP, through gunicorn, on PostgreSQL.

    .venv/bin/python bench/list.py --seed        # once: 1,000,000 dossiers (several minutes)
    .venv/bin/python bench/list.py               # measure (reuses the seeded database)

Defaults: database bench, Redis db 5, folder /tmp/bench_list, a free port (bench/harness.py).

Prints p50/p95 per path (ms, wall-clock seen by a client on the same machine, so a little
more than server time), the bare baseline (/mentions-legales/ rendered for an anonymous
visitor: a template, no database) and the SQL queries each page issues.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DEMO_TOTP_SECRET,
    Server,
    Session,
    add_arguments,
    bench_env,
    load_average,
    measure,
    measure_interleaved,
    parse,
    prepare_database,
)

REPAIRER = "reparateur@demo.test"
EXPERT = "expert@demo.test"
BUDGET_MS = 50
STAFF_BUDGET_MS = 100  # issue 14: the whole-unit list and its searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench", redis_db=5, work="bench_list")
    parser.add_argument(
        "--seed", action="store_true", help="create and seed the database, then stop"
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--garages", type=int, default=60, help="seed: at least this many")
    parser.add_argument(
        "--big-garage", type=int, default=50_000, help="seed: dossiers of reparateur2's garage"
    )
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--no-export", action="store_true", help="skip the CSV/XLSX exports")
    parser.add_argument(
        "--repairer",
        default=REPAIRER,
        help="whose garage is measured (reparateur2@demo.test: the --big-garage one)",
    )
    args = parse(parser)

    env = bench_env(args)
    if args.seed:
        # Seeding and measuring are two runs: a seed leaves the machine busy (VACUUM, checkpoints).
        prepare_database(
            env, args.dossiers, "--garages", str(args.garages), "--big-garage", str(args.big_garage)
        )
        return
    os.environ.update(env)
    samples = _samples(args.repairer)
    print(
        f"Database: {args.database_url} — {samples['total']:,} dossiers, "
        f"{samples['garage']:,} in the measured garage ({args.repairer})\n"
        f"Cache and sessions: {env['REDIS_URL'] or 'local memory / database sessions'}\n"
        f"{load_average()}\n"
    )

    paths = _paths(samples)
    with Server(env, args.port):
        base = f"http://127.0.0.1:{args.port}"
        anonymous = Session(base)
        repairer = Session(base)
        repairer.login(args.repairer)
        expert = Session(base)
        expert.login(EXPERT)
        expert.pass_second_factor()
        # Taken in turn (see measure_interleaved): the baseline, each path, the htmx partial.
        partial = "/?onglet=attente-facture"
        jobs = [(anonymous, "/mentions-legales/", None)]
        jobs += [(repairer, path, None) for _, path, _ in paths]
        jobs.append((repairer, partial, {"HX-Request": "true"}))
        labels = ["baseline /mentions-legales/ (anonymous, no DB)"] + [label for label, *_ in paths]
        labels.append("htmx partial: tab En attente facture")
        budgets = [None] + [budget for *_, budget in paths] + [BUDGET_MS]
        results = measure_interleaved(jobs, args.runs)
        rows = list(zip(labels, results, budgets, strict=True))
        if not args.no_export:
            rows += _exports(repairer)
        # The firm's side: the expert's whole unit (~200 garages, ~420,000 live dossiers).
        staff = _staff_paths(samples)
        results = measure_interleaved([(expert, path, None) for _, path in staff], args.runs)
        rows += [
            (label, result, STAFF_BUDGET_MS)
            for (label, _), result in zip(staff, results, strict=True)
        ]
    _print(rows)
    print(load_average())
    print()
    _print_query_counts(paths, args.repairer)


def _exports(repairer) -> list:
    return [
        (
            "export CSV (all live dossiers of the garage)",
            measure(repairer, "/dossiers/export.csv", 5, warmup=1),
            None,
        ),
        ("export XLSX (same)", measure(repairer, "/dossiers/export.xlsx", 3, warmup=1), None),
    ]


def _samples(email: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connect.settings")
    django.setup()
    from connect.accounts.models import User
    from connect.dossiers.models import Dossier
    from connect.staff.second_factor import confirmed_app, enrol_with_secret

    # A database seeded before staff had a second factor: enrol the demo secret (demo.py).
    expert = User.objects.get(email=EXPERT)
    if confirmed_app(expert) is None:
        enrol_with_secret(expert, DEMO_TOTP_SECRET)
    user = User.objects.get(email=email)
    mine = Dossier.objects.visible_to(user)
    sample = mine.filter(archived=False).order_by("id")[1234]
    archived = mine.filter(archived=True).order_by("id")[300]
    return {
        "total": Dossier.objects.count(),
        "garage": mine.count(),
        "plate_spaced": sample.plate.replace("-", " ").lower(),
        "plate_fragment": sample.plate_key[2:6],
        "reference": sample.reference,
        "claim": sample.claim_reference,
        "name": sample.insured_name.split()[0],
        "archived_plate": archived.plate,
    }


def _paths(s: dict) -> list[tuple[str, str, int | None]]:
    from urllib.parse import quote

    tabs = ["tous", "en-cours", "attente-facture", "examens", "suivi-ve", "attente-ead"]
    paths = [(f"tab {tab}", f"/?onglet={tab}", BUDGET_MS) for tab in tabs]
    paths += [
        ("Nouveautés filter", "/?nouveautes=1", BUDGET_MS),
        (
            f"search plate typed with spaces «{s['plate_spaced']}»",
            f"/?q={quote(s['plate_spaced'])}",
            BUDGET_MS,
        ),
        (
            f"search plate fragment «{s['plate_fragment']}»",
            f"/?q={quote(s['plate_fragment'])}",
            BUDGET_MS,
        ),
        (f"search firm reference «{s['reference']}»", f"/?q={s['reference']}", BUDGET_MS),
        (f"search claim reference «{s['claim']}»", f"/?q={quote(s['claim'])}", BUDGET_MS),
        (f"search insured name «{s['name']}»", f"/?q={quote(s['name'])}", BUDGET_MS),
        (
            f"search archived plate «{s['archived_plate']}» (history)",
            f"/?q={quote(s['archived_plate'])}",
            BUDGET_MS,
        ),
        ("search with reception date", "/?q=a&depuis=2026-01-01", BUDGET_MS),
        ("sort by amount, ascending", "/?tri=montant", BUDGET_MS),
        ("sort by insured name, descending", "/?tri=-assure", BUDGET_MS),
        ("sort by appointment, page 20", "/?tri=rdv&page=20", BUDGET_MS),
        ("default sort, page 100 (deep)", "/?page=100", BUDGET_MS),
    ]
    return paths


def _staff_paths(s: dict) -> list[tuple[str, str]]:
    from urllib.parse import quote

    paths = [
        ("/", "Tous dossiers"),
        ("/?onglet=examens", "tab examens"),
        ("/?onglet=attente-facture", "tab attente-facture"),
        ("/?tri=montant", "sort by amount"),
        ("/?tri=-assure", "sort by insured name, descending"),
        ("/?page=20", "page 20"),
        (f"/?q={quote(s['plate_spaced'])}", f"search plate «{s['plate_spaced']}»"),
        (f"/?q={s['reference']}", f"search firm reference «{s['reference']}»"),
        (f"/?q={quote(s['name'])}", f"search insured name «{s['name']}»"),
        ("/?q=a&depuis=2026-01-01", "search «a» with reception date"),
    ]
    return [(f"staff, whole unit: {label}", path) for path, label in paths]


def _print(rows) -> None:
    print(f"{'path':64} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'budget':>8}")
    for label, result, budget in rows:
        verdict = "" if budget is None else ("ok" if result["p95"] <= budget else "OVER")
        extra = (
            f"  {result['bytes'] / 1e6:.1f} MB, first byte p50 {result['first_p50']:.0f} ms"
            if "export" in label
            else ""
        )
        figures = f"{result['status']:>6} {result['p50']:>8.1f} {result['p95']:>8.1f}"
        print(f"{label[:64]:64} {figures} {verdict:>8}{extra}")


def _print_query_counts(paths, email: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from connect.accounts.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    print("SQL per page, in-process (rows [+ COUNT]; with Redis the user and garage ids come from")
    print("the cached principal and the counts from their cache, read again only after a change;")
    print("--redis-url '': user + garage ids + counts + rows): queries, PostgreSQL's ms, best of 5")
    for label, path, _ in paths:
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            timings.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(f"  {len(queries.captured_queries):>2}  {min(timings):6.1f}  {label}")


if __name__ == "__main__":
    main()
