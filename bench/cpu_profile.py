"""Where a page's CPU goes: one path requested in-process, timed, then under cProfile.

    .venv/bin/python bench/cpu_profile.py [--path /] [--user reparateur@demo.test] [--requests 200]

Runs against list.py's database (`bench`, seeded by `list.py --seed`) with the bench's
production-like settings (DEBUG off, Redis cache and sessions), through Django's test client:
no HTTP server, no network, so the figure is the portal's own CPU per request (what gunicorn
adds is in throughput.py). Prints the CPU milliseconds per request (process time, best of
three runs: a shared machine only ever adds), the SQL queries of one request, then the
functions that take the most time (cumulative, and own time), so that a change can be checked
against what it was meant to remove. Staff users get their second factor's session key set as
the login step would.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.harness import (  # noqa: E402
    add_arguments,
    bench_env,
    load_average,
    manage,
    parse,
    setup_django,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench", redis_db=5, work="bench_profile")
    parser.add_argument("--path", default="/")
    parser.add_argument("--user", default="reparateur@demo.test")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30, help="functions listed per table")
    parser.add_argument("--htmx", action="store_true", help="send HX-Request (the partial)")
    args = parse(parser)
    env = bench_env(args)
    manage(env, "collectstatic", "--noinput", "-v0")  # the pages name the hashed files
    setup_django(env)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = _client(Client(), args.user)
    headers = {"HX-Request": "true"} if args.htmx else {}

    def run(count: int) -> float:
        start = time.process_time()
        for _ in range(count):
            response = client.get(args.path, headers=headers)
            if response.status_code != 200:
                sys.exit(f"{args.path}: HTTP {response.status_code}")
        return (time.process_time() - start) * 1000 / count

    print(load_average())
    run(20)  # warm: caches, templates, connections
    best = min(run(args.requests) for _ in range(3))
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path, headers=headers)
    noun = "query" if len(queries) == 1 else "queries"
    print(
        f"{args.path} as {args.user}: {best:.2f} ms CPU per request "
        f"(best of 3 × {args.requests}); {len(queries)} SQL {noun}"
    )
    for query in queries.captured_queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")

    profile = cProfile.Profile()
    profile.enable()
    run(args.requests)
    profile.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(f"\n--- by {order} ({args.requests} requests) ---")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    print(load_average())


def _client(client, email: str):
    from connect.accounts.models import User
    from connect.staff.second_factor import confirmed_app

    user = User.objects.get(email=email)
    client.force_login(user)
    if user.is_firm_staff:
        device = confirmed_app(user)
        if device is None:
            sys.exit(f"{email} has no second factor: run list.py once (it enrols the demo one)")
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


if __name__ == "__main__":
    main()
