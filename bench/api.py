"""Integration API on PostgreSQL: the nightly batch re-sync and the event feed.

    .venv/bin/python bench/api.py [--dossiers 100000] [--events 10000]

Requests go through the whole Django stack (middleware, auth, JSON) in-process, with the test
client: the figures are server time, without network or HTTP parsing.
Budgets (docs/architecture.md): batch ≥ 1,000 upserts/s; feed ≥ 2,000 events/s in pages of 500.
Generated data (the database dropped and recreated each run): database bench_api, folder
/tmp/bench_api; cache in local memory unless `--redis-url` (`--database-url`, `--work-dir`;
`--port` only sets PORTAL_URL, nothing listens).
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import add_arguments, bench_env, fresh_database, load_average, parse  # noqa: E402

BATCH = 1000


def setup_django(args) -> None:
    fresh_database(bench_env(args, LOG_LEVEL="ERROR"))
    from django.conf import settings

    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    # The batch's own throughput, applied in the request (over 100 items it would be a job).
    settings.API_BATCH_SYNC_MAX = BATCH


def world(garage_count: int = 100):
    from connect.accounts.models import Garage, Role, Unit, User
    from connect.api.models import ApiToken

    unit = Unit.objects.create(code="u1", name="Unité 1")
    User.objects.create_user("expert@bench.fr", None, role=Role.EXPERT, unit=unit)
    Garage.objects.bulk_create(
        Garage(external_id=f"G{n}", name=f"Garage {n}", unit=unit) for n in range(garage_count)
    )
    return ApiToken.issue("bench")[1]


def dossier(number: int, variant: str) -> dict:
    return {
        "reference": str(10_000_000 + number),
        "garage": f"G{number % 100}",
        "plate": f"AB-{number % 1000:03d}-CD",
        "claim_reference": f"SIN{number:010d}",
        "vehicle": "PEUGEOT - 308",
        "insurer": "AXA FRANCE",
        "status_label": variant,
        "insured_name": f"ASSURE {number}",
        "appointment_at": "2026-12-03T14:30:00+01:00",
        "impact": "à l'avant",
        "repair_amount": f"{1000 + number % 5000}.50",
        "mission_received_on": "2026-11-20",
        "expert_email": "expert@bench.fr",
    }


def resync(client, headers, count: int, variant: str) -> tuple[float, dict]:
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        body = {"dossiers": [dossier(n, variant) for n in range(start, min(count, start + BATCH))]}
        response = client.post(
            "/api/v1/dossiers/batch", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == 200, response.content[:500]
        for key, value in response.json().items():
            totals[key] += value
    return time.perf_counter() - started, totals


def feed(client, headers, count: int) -> tuple[float, int]:
    from connect.accounts.models import Garage
    from connect.api.models import Event
    from connect.dossiers.models import Dossier

    garages = list(Garage.objects.all()[:100])
    dossiers = list(Dossier.objects.all()[:1000])
    Event.objects.bulk_create(
        Event(
            kind="message.sent",
            garage=garages[n % len(garages)],
            dossier=dossiers[n % len(dossiers)],
            payload={"subject": "Communication à l'expert", "body": "Bonjour " * 20, "n": n},
        )
        for n in range(count)
    )
    served, cursor = 0, None
    started = time.perf_counter()
    while True:
        params = {"limit": 500, **({"after": cursor} if cursor else {})}
        page = client.get("/api/v1/events", params, **headers).json()
        served += len(page["events"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    return time.perf_counter() - started, served


def baseline(client, rounds: int = 200) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        assert client.get("/mentions-legales/").status_code == 200
    return (time.perf_counter() - started) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_api", redis_db=None, work="bench_api")
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    args = parse(parser)
    setup_django(args)
    from django.test import Client

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world()}"}
    print(load_average())
    print(f"baseline: template page without database {baseline(client):.2f} ms/request")
    for label, variant in (
        ("first load", "N.C."),
        ("re-sync, all changed", "EN COURS"),
        ("re-sync, unchanged", "EN COURS"),
    ):
        seconds, totals = resync(client, headers, args.dossiers, variant)
        print(
            f"batch {label}: {args.dossiers:,} dossiers in {seconds:.1f} s = "
            f"{args.dossiers / seconds:,.0f} upserts/s {totals} (budget ≥ 1,000/s)"
        )
    seconds, served = feed(client, headers, args.events)
    print(
        f"event feed: {served:,} events in pages of 500 in {seconds:.2f} s = "
        f"{served / seconds:,.0f} events/s (budget ≥ 2,000/s)"
    )
    print(load_average())


if __name__ == "__main__":
    main()
