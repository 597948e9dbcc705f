"""Where the core system's batch spends its CPU: `deadlines.recompute`'s share, the kept counts'.

    .venv/bin/python bench/batch_cpu.py [--dossiers 20000] [--batches 6] [--size 1000]

In-process on PostgreSQL (database bench_batch, recreated each run; folder /tmp/bench_batch):
`--dossiers` created through the API, then `--batches` batches of `--size` that each flip facts
the ball and the counts read (awaiting invoice, EAD awaited, the appointment) and a label, as
`load.py --counted-changes` does, applied the way the job applies them
(endpoints/dossiers.py::apply_batch, one transaction each). Prints the CPU ms per batch (process
time, best of three passes: a shared machine only ever adds), then under cProfile the share of
the batch's time in `deadlines.services.recompute`, in `dossiers.kept.keep` and in the upsert
statement. Compare shares, not milliseconds, across runs on a shared machine.
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import add_arguments, bench_env, fresh_database, load_average, parse  # noqa: E402


def world(garage_count: int = 100) -> None:
    from connect.accounts.models import Garage, Role, Unit, User

    unit = Unit.objects.create(code="u1", name="Unité 1")
    User.objects.create_user("expert@bench.fr", None, role=Role.EXPERT, unit=unit)
    Garage.objects.bulk_create(
        Garage(external_id=f"G{n}", name=f"Garage {n}", unit=unit) for n in range(garage_count)
    )


def item(number: int, turn: int):
    from connect.api.schemas import DossierBatchItem

    flip = (number + turn) % 2 == 0
    return DossierBatchItem.model_validate(
        {
            "reference": str(10_000_000 + number),
            "garage": f"G{number % 100}",
            "plate": f"AB-{number % 1000:03d}-CD",
            "claim_reference": f"SIN{number:010d}",
            "vehicle": "PEUGEOT - 308",
            "insurer": "AXA FRANCE",
            "status_label": "EN COURS" if flip else "N.C.",
            "insured_name": f"ASSURE {number}",
            "appointment_at": f"2030-01-{1 + (number + turn) % 28:02d}T14:30:00+01:00",
            "repair_amount": f"{1000 + number % 5000}.50",
            "mission_received_on": "2026-11-20",
            "awaiting_invoice": flip,
            "remote_assessment": True,
            "awaiting_ead": not flip,
            "expert_email": "expert@bench.fr",
        }
    )


def apply(start: int, size: int, turn: int) -> None:
    from django.db import transaction

    from connect.api.endpoints.dossiers import apply_batch

    with transaction.atomic():
        apply_batch([item(n, turn) for n in range(start, start + size)])


def recompute_ms(size: int) -> float:
    """The batch's recompute on its own (what it finds already recomputed: the steady state
    of a re-sync), CPU ms, best of three passes of five."""
    from django.db import transaction

    from connect.deadlines.services import recompute
    from connect.dossiers.models import Dossier

    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True)[:size])

    def one() -> float:
        began = time.process_time()
        for _ in range(5):
            with transaction.atomic():
                recompute(ids)
        return (time.process_time() - began) / 5 * 1000

    return min(one() for _ in range(3))


def post_ms(size: int) -> str:
    """What a web worker does with the batch: the whole POST through Django (test client),
    answered 202 over API_BATCH_SYNC_MAX (stored, the job enqueued) or 200 (applied)."""
    import json

    from django.conf import settings
    from django.test import Client

    from connect.api.models import ApiToken

    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    client, token = Client(), ApiToken.issue("bench")[1]
    body = json.dumps({"dossiers": [item(n, 1).model_dump(mode="json") for n in range(size)]})
    statuses = set()

    def one() -> float:
        began = time.process_time()
        for _ in range(5):
            response = client.post(
                "/api/v1/dossiers/batch",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            statuses.add(response.status_code)
        return (time.process_time() - began) / 5 * 1000

    best = min(one() for _ in range(3))
    return f"{best:.1f} CPU ms, answered {sorted(statuses)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_batch", redis_db=None, work="bench_batch")
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--size", type=int, default=1000)
    args = parse(parser)
    fresh_database(bench_env(args, LOG_LEVEL="ERROR"))
    world()
    print(load_average())
    for start in range(0, args.dossiers, args.size):
        apply(start, args.size, 0)
    turn = 0

    def run() -> float:
        nonlocal turn
        began = time.process_time()
        for n in range(args.batches):
            turn += 1
            apply((n * args.size) % args.dossiers, args.size, turn)
        return (time.process_time() - began) / args.batches * 1000

    best = min(run() for _ in range(3))
    print(f"batch of {args.size} flipping counted facts: {best:.0f} CPU ms (best of 3 passes)")
    print(
        f"deadlines.recompute of {args.size} dossiers alone: {recompute_ms(args.size):.1f} CPU ms"
    )
    print(f"POST of {args.size} through Django, in-process: {post_ms(args.size)}")
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())  # own time of every function
    cumulative = {
        f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[2]}": v[3] for k, v in stats.stats.items()
    }

    def share(suffix: str) -> str:
        seconds = max((v for k, v in cumulative.items() if k.endswith(suffix)), default=0.0)
        return f"{seconds / total * 100:.0f} %"

    print(
        f"share of the batch's time: deadlines.recompute {share('deadlines/services.py:recompute')}"
        f" · kept.keep {share('dossiers/kept.py:keep')}"
        f" · upsert_dossiers {share('dossiers/services.py:upsert_dossiers')}"
        f" · resolver+validation {share('endpoints/dossiers.py:apply_batch')} (whole apply)"
    )
    stats.sort_stats("cumulative").print_stats(r"connect/(deadlines|dossiers)", 15)
    print(load_average())


if __name__ == "__main__":
    main()
