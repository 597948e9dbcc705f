"""The staff inbox on PostgreSQL through gunicorn (2 sync workers): an expert's inbox over a
unit with many threads, its filters, search, a deep page and a thread, beside the bare baseline.

    .venv/bin/python bench/staff_inbox.py --seed [--threads 100000]   # once (a few minutes)
    .venv/bin/python bench/staff_inbox.py [--runs 60]

Database: postgres://postgres@127.0.0.1:5432/bench_staff (`--database-url`); cache and sessions in
Redis as in production: redis://127.0.0.1:6379/7 (`--redis-url`); folder /tmp/bench_staff
(`--work-dir`); a free port unless `--port`. The expert logs in
through the login form, then passes the second factor with the demo TOTP secret.
Budget (docs/architecture.md): p95 ≤ 50 ms per page.
"""

import argparse
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    Server,
    Session,
    add_arguments,
    bench_env,
    load_average,
    measure_interleaved,
    parse,
    prepare_database,
    setup_django,
)

EXPERT = "expert@demo.test"
BUDGET_MS = 50


def seed_threads(count: int, open_share: float) -> None:
    """`count` threads on the unit of the expert, most routed to them, a share open, half read."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from connect.accounts.models import User
    from connect.dossiers.models import Dossier
    from connect.messaging.models import Message, Thread, ThreadSeen

    expert = User.objects.get(email=EXPERT)
    dossiers = list(
        Dossier.objects.filter(garage__unit_id=expert.unit_id).values_list("pk", flat=True)
    )
    subjects = ["expert", "methodologie", "esd", "expertise-terrain"]
    now = timezone.now()
    batch = []
    for index in range(count):
        at = now - timedelta(minutes=index)
        batch.append(
            Thread(
                dossier_id=dossiers[index % len(dossiers)],
                subject=subjects[index % 4],
                requester="repairer",
                routed_role="expert",
                routed_to=expert if index % 10 else None,
                unit_id=expert.unit_id,
                status="open" if index < count * open_share else "closed",
                created_at=at,
                last_message_at=at,
            )
        )
    threads = Thread.objects.bulk_create(batch, batch_size=5000)
    Message.objects.bulk_create(
        [
            Message(thread=t, side="repairer", body="Bonjour", created_at=t.created_at)
            for t in threads
        ],
        batch_size=5000,
    )
    ThreadSeen.objects.bulk_create(
        [ThreadSeen(user=expert, thread=t, seen_at=now) for t in threads[::2]], batch_size=5000
    )
    # The waits the open threads stand for (the inbox sorts on their due dates), as the touch
    # path would have written them.
    from django.db import transaction

    from connect.dossiers.touch import touch_dossiers

    for start in range(0, len(dossiers), 2000):
        with transaction.atomic():
            touch_dossiers(dossiers[start : start + 2000])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_staff", redis_db=7, work="bench_staff")
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument(
        "--open-share", type=float, default=0.05, help="share of threads still open (newest)"
    )
    parser.add_argument("--runs", type=int, default=60)
    args = parse(parser)
    # Production keeps cache and sessions in Redis (docs/architecture.md): so does the bench.
    env = bench_env(args)
    if args.seed:
        # Seeding and measuring are two runs: a seed leaves the machine busy.
        prepare_database(env, 20_000)
        setup_django(env)
        seed_threads(args.threads, args.open_share)
        return
    setup_django(env)
    from connect.messaging.models import Thread

    thread = Thread.objects.filter(routed_to__email=EXPERT).order_by("-id").first()
    plate = thread.dossier.plate
    print(f"Database: {args.database_url} — {Thread.objects.count():,} threads in the unit")
    print(f"Cache and sessions: {env['REDIS_URL'] or 'local memory / database sessions'}")
    print(f"{load_average()}\n")
    paths = [
        ("inbox: open threads, by due date (page 1)", "/espace/messages/"),
        ("inbox: open threads, unread first (page 1)", "/espace/messages/?tri=recent"),
        ("inbox: unread", "/espace/messages/?etat=non-lus"),
        ("inbox: all, page 200", "/espace/messages/?etat=tous&page=200"),
        ("inbox: subject filter", "/espace/messages/?objet=esd"),
        ("inbox: search by plate", "/espace/messages/?etat=tous&q=" + urllib.parse.quote(plate)),
        ("inbox: htmx partial", "/espace/messages/?etat=ouverts"),
        ("thread page", f"/espace/messages/{thread.code}/"),
        ("workspace home", "/espace/"),
    ]
    with Server(env, args.port):
        base = f"http://127.0.0.1:{args.port}"
        anonymous, expert = Session(base), Session(base)
        expert.login(EXPERT)
        expert.pass_second_factor()
        # Taken in turn, the baseline among them (measure_interleaved): drift falls on all.
        jobs = [(anonymous, "/mentions-legales/", None)] + [
            (expert, path, {"HX-Request": "true"} if "htmx" in label else None)
            for label, path in paths
        ]
        labels = ["baseline /mentions-legales/ (anonymous, no DB)"] + [label for label, _ in paths]
        rows = list(zip(labels, measure_interleaved(jobs, args.runs), strict=True))
    print(f"{'path':52} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'budget':>8}")
    for label, result in rows:
        verdict = "" if "baseline" in label else ("ok" if result["p95"] <= BUDGET_MS else "OVER")
        figures = f"{result['status']:>6} {result['p50']:>8.1f} {result['p95']:>8.1f}"
        print(f"{label:52} {figures} {verdict:>8}")
    print(load_average())
    _print_sql(paths)


def _print_sql(paths) -> None:
    """Each page's view in-process (no middleware: session, user and second-factor lookups are
    left out): its queries and PostgreSQL's time, best of 5, less sensitive to the load."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve
    from django_htmx.middleware import HtmxDetails

    from connect.accounts.models import User

    expert = User.objects.get(email=EXPERT)
    print("\nSQL per page, in-process (view only): queries, then PostgreSQL's time, best of 5 (ms)")
    for label, path in paths:
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        timings = []
        for _ in range(5):
            request = RequestFactory().get(path, headers=headers)
            request.user, request.session = expert, {}
            request.htmx = HtmxDetails(request)
            request._messages = FallbackStorage(request)
            match = resolve(request.path)
            with CaptureQueriesContext(connection) as queries:
                match.func(request, *match.args, **match.kwargs)
            timings.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(f"  {len(queries.captured_queries):>2}  {min(timings):6.1f}  {label}")


if __name__ == "__main__":
    main()
