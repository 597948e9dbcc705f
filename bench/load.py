"""Load test: many repairers and staff at once, with the core system's batch, over HTTP.

    .venv/bin/python bench/list.py --seed --dossiers 200000   # once (the list's database)
    .venv/bin/python bench/load.py [--seconds 60] [--repairers 100] [--staff 5]

A bounded script of the standard library (one thread per virtual user, urllib), in the spirit
of locust headless: each user logs in through the login form (staff then pass their TOTP step
with the demo secret), then loops for `--seconds`: one page, `--think` seconds of think time.
Every `--batch-every` seconds the core system posts `--batch-size` dossiers to
`POST /api/v1/dossiers/batch` with a bearer token issued for the bench: the same dossiers each
time with their status label alternating, so that each batch rewrites every row (and the
garages' dashboards); with `--counted-changes` their "awaiting invoice" flag alternates too, so
that each batch also makes every garage's list counts stale (the worst case). One
more user reads the bare baseline (`/mentions-legales/`, anonymous, no database) at the same
pace, interleaved with the load. Loopback only; bounded in time (`--seconds`, 30 s timeout per
request) and in count (`--max-requests`).

Prints per page kind: requests, errors, p50/p95 (ms); req/s; the gunicorn master and workers'
CPU time (utime + stime from /proc, as a share of one core) and RSS; load average before and
after. Defaults: database `bench` (bench/list.py's seed: 60 garages, each with ≥ 2 repairers),
Redis db 5, folder /tmp/bench_load, a free port, 4 sync workers.
"""

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    DEMO_TOTP_SECRET,
    PYTHON,
    ROOT,
    Server,
    Session,
    add_arguments,
    bench_env,
    load_average,
    parse,
    percentile,
    setup_django,
)

STAFF = [
    "expert@demo.test",
    "conseiller@demo.test",
    "manager@demo.test",
    "expert2@demo.test",
    "conseiller2@demo.test",
]
BUDGET_MS = 300
# The batch's own dossiers: references no seed uses, in the seeded garages.
BATCH_REFERENCE = 90_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench", redis_db=5, work="bench_load")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--repairers", type=int, default=100)
    parser.add_argument("--staff", type=int, default=5, choices=range(len(STAFF) + 1))
    parser.add_argument("--think", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--batch-every", type=float, default=5.0)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--counted-changes",
        action="store_true",
        help="each batch also flips a fact the list counts (every garage's counts go stale)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--max-requests", type=int, default=50_000, help="hard stop")
    args = parse(parser)

    env = bench_env(args, API_RATE_LIMIT_PER_MINUTE="100000")
    setup_django(env)
    world = _world(args)
    print(
        f"Database: {args.database_url} — {len(world['repairers'])} repairers over "
        f"{world['garage_count']} garages, {args.staff} staff, batch of {args.batch_size} every "
        f"{args.batch_every:g} s; {args.seconds:g} s, think time {args.think:g} s, "
        f"{args.workers} gunicorn workers\n{load_average()}"
    )
    with Server(env, args.port, workers=args.workers) as server, JobWorker(env) as worker:
        base = f"http://127.0.0.1:{args.port}"
        users = _log_in(base, world, args)
        print(f"{len(users)} sessions logged in; {load_average()}")
        before, worker_before = _server_usage(server), _usage([worker.process.pid])
        results = _run(base, users, world, args)
        after, worker_after = _server_usage(server), _usage([worker.process.pid])
    _report(results, before, after, args)
    cpu = worker_after["cpu"] - worker_before["cpu"]
    wall = worker_after["time"] - worker_before["time"]
    print(f"job worker (db_worker): {cpu:.1f} CPU s in {wall:.1f} s = {cpu / wall * 100:.0f} %")
    print(load_average())


def _world(args) -> dict:
    """Who logs in, which dossiers they open, the API token (issued in-process)."""
    from connect.accounts.models import Membership
    from connect.api.models import ApiToken
    from connect.dossiers.models import Dossier
    from connect.staff.second_factor import confirmed_app, enrol_with_secret

    by_garage = defaultdict(list)
    memberships = Membership.objects.filter(user__is_active=True).order_by("garage_id", "user_id")
    for email, garage_id in memberships.values_list("user__email", "garage_id"):
        by_garage[garage_id].append(email)
    # One repairer of each garage, then a second of each: the load spreads over every garage.
    repairers, rank = [], 0
    while len(repairers) < args.repairers and any(len(v) > rank for v in by_garage.values()):
        repairers += [(v[rank], g) for g, v in sorted(by_garage.items()) if len(v) > rank]
        rank += 1
    repairers = repairers[: args.repairers]
    garages = sorted({garage for _, garage in repairers})
    codes = defaultdict(list)
    for garage in garages:
        live = Dossier.objects.filter(garage_id=garage, archived=False).order_by("-id")
        codes[garage] = [str(c) for c in live.values_list("code", flat=True)[:20]]
    from connect.accounts.models import User

    staff = list(User.objects.filter(email__in=STAFF[: args.staff]))
    for user in staff:
        if confirmed_app(user) is None:  # a database seeded before the second factor
            enrol_with_secret(user, DEMO_TOTP_SECRET)
    live = Dossier.objects.filter(archived=False).order_by("-id")
    unit_codes = {
        user.email: [
            str(code)
            for code in live.filter(garage__unit=user.unit_id).values_list("code", flat=True)[:50]
        ]
        for user in staff
    }
    from connect.accounts.models import Garage

    external_ids = list(Garage.objects.order_by("pk").values_list("external_id", flat=True))
    ApiToken.objects.filter(name="bench load").delete()
    _, key = ApiToken.issue("bench load")
    return {
        "repairers": repairers,
        "garage_count": len(garages),
        "codes": codes,
        "staff": [user.email for user in staff],
        "staff_codes": unit_codes,
        "external_ids": external_ids,
        "token": key,
    }


def _log_in(base: str, world: dict, args) -> list[dict]:
    """Every session through the login form (8 at a time); staff also pass the TOTP step."""
    users = [{"kind": "repairer", "email": e, "garage": g} for e, g in world["repairers"]]
    users += [{"kind": "staff", "email": email} for email in world["staff"]]
    pending = list(users)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending:
                    return
                user = pending.pop()
            user["session"] = Session(base)
            user["session"].login(user["email"])
            if user["kind"] == "staff":
                user["session"].pass_second_factor()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return users


def _repairer_page(rng: random.Random, user: dict, world: dict) -> tuple[str, str, dict]:
    roll = rng.random()
    if roll < 0.35:
        tab = rng.choice(["", "en-cours", "attente-facture", "examens", "suivi-ve"])
        return "list: tab", "/" + (f"?onglet={tab}" if tab else ""), {}
    if roll < 0.45:
        return "list: htmx partial", "/?onglet=en-cours", {"HX-Request": "true"}
    if roll < 0.60:
        term = rng.choice(["AB", "MARTIN", "10", "AXA", "CLIO"])
        return "list: search", f"/?q={term}", {}
    if roll < 0.70:
        return "list: sort / page", rng.choice(["/?tri=montant", "/?page=3", "/?tri=-assure"]), {}
    code = rng.choice(world["codes"][user["garage"]])
    return "dossier page", f"/dossiers/{code}/", {}


def _staff_page(rng: random.Random, world: dict, email: str) -> tuple[str, str, dict]:
    roll = rng.random()
    if roll < 0.3:
        return "staff: whole-unit list", "/", {}
    if roll < 0.5:
        return "staff: workspace home", "/espace/", {}
    if roll < 0.7:
        return "staff: inbox", "/espace/messages/", {}
    return "staff: dossier page", f"/dossiers/{rng.choice(world['staff_codes'][email])}/", {}


def _run(base: str, users: list[dict], world: dict, args) -> list[tuple]:
    """Every virtual user's loop for `args.seconds`; returns (kind, seconds, ok) per request."""
    results: list[tuple] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + args.seconds

    def record(kind: str, seconds: float, ok: bool) -> bool:
        with lock:
            results.append((kind, seconds, ok))
            return len(results) < args.max_requests

    def loop(user: dict | None, seed: int) -> None:
        rng = random.Random(seed)
        session = user["session"] if user else Session(base)
        time.sleep(rng.random() * args.think)  # spread the first requests
        while time.monotonic() < deadline:
            if user is None:
                kind, path, headers = "baseline /mentions-legales/", "/mentions-legales/", {}
            elif user["kind"] == "staff":
                kind, path, headers = _staff_page(rng, world, user["email"])
            else:
                kind, path, headers = _repairer_page(rng, user, world)
            began = time.perf_counter()
            try:
                status, body, *_ = session.get(path, headers)
                # A lost session would be redirected to the login form, answered 200.
                ok = status == 200 and b'name="password"' not in body
            except Exception:  # noqa: BLE001 - a timeout or reset counts as an error
                ok = False
            if not record(kind, time.perf_counter() - began, ok):
                return
            time.sleep(args.think)

    followers: list[threading.Thread] = []

    def follow(url: str, began: float) -> None:
        done = _follow(url, world["token"], deadline + 30)
        record(f"{JOB} batch applied (end to end)", time.perf_counter() - began, done)

    def batches() -> None:
        number = 0
        while time.monotonic() < deadline:
            tick = time.monotonic()
            body = json.dumps(
                {"dossiers": _batch(world, args.batch_size, number, args.counted_changes)}
            ).encode()
            request = urllib.request.Request(
                base + "/api/v1/dossiers/batch",
                data=body,
                headers={
                    "Authorization": f"Bearer {world['token']}",
                    "Content-Type": "application/json",
                },
            )
            began = time.perf_counter()
            status_url = None
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    # 200: applied in the request (a small batch); 202: a job (connect/api/batches)
                    ok = response.status in (200, 202)
                    answer = json.loads(response.read())
                    status_url = answer.get("status_url") if response.status == 202 else None
            except Exception:  # noqa: BLE001
                ok = False
            if not record(f"API batch of {args.batch_size}", time.perf_counter() - began, ok):
                return
            if status_url:  # followed beside: the core system posts every 5 s regardless
                follower = threading.Thread(target=follow, args=(base + status_url, began))
                follower.start()
                followers.append(follower)
            number += 1
            time.sleep(max(0.0, tick + args.batch_every - time.monotonic()))

    threads = [threading.Thread(target=loop, args=(u, n)) for n, u in enumerate(users)]
    threads.append(threading.Thread(target=loop, args=(None, -1)))
    threads.append(threading.Thread(target=batches))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.append(("_elapsed", time.monotonic() - start, True))
    for follower in followers:
        follower.join()
    return results


# A kind that is not a page (no budget): the batch's job, from its POST to its outcome.
JOB = "job:"


def _follow(url: str, token: str, until: float) -> bool:
    """Poll a batch job's status URL until it is done (True) or failed / too late (False)."""
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
                state = json.loads(answer.read())["state"]
        except Exception:  # noqa: BLE001
            return False
        if state != "queued":
            return state == "done"
        time.sleep(0.1)
    return False


class JobWorker:
    """The background worker of production's Procfile (`manage.py db_worker`), one process:
    it applies the batches the API accepted with 202."""

    def __init__(self, env: dict):
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "JobWorker":
        log = open(Path(self.env["VAR_DIR"]) / "worker.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        log.close()
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def _usage(pids: list[int]) -> dict:
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / ticks
    return {"cpu": cpu, "time": time.monotonic()}


def _batch(world: dict, size: int, number: int, counted: bool = False) -> list[dict]:
    """The same `size` dossiers each time, their status alternating (every row rewritten), and
    with `counted` their "awaiting invoice" flag too (every garage's counts stale)."""
    garages = world["external_ids"]
    status = "EN COURS" if number % 2 else "N.C."
    return [
        {
            "reference": str(BATCH_REFERENCE + n),
            "garage": garages[n % len(garages)],
            "plate": f"BL-{n % 1000:03d}-AD",
            "claim_reference": f"LOAD{n:08d}",
            "vehicle": "PEUGEOT - 308",
            "insurer": "AXA FRANCE",
            "status_label": status,
            "insured_name": f"ASSURE CHARGE {n}",
            "mission_received_on": "2026-11-20",
            **({"awaiting_invoice": bool(number % 2)} if counted else {}),
        }
        for n in range(size)
    ]


def _server_usage(server: Server) -> dict:
    """CPU seconds (utime + stime) and RSS (kB) of gunicorn's master and workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = {"cpu": 0.0, "rss_kb": 0, "time": time.monotonic()}
    for pid in [server.process.pid, *server.worker_pids()]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            usage["cpu"] += (int(fields[11]) + int(fields[12])) / ticks
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    usage["rss_kb"] += int(line.split()[1])
        except FileNotFoundError:
            continue  # a worker restarted
    return usage


def _report(results: list[tuple], before: dict, after: dict, args) -> None:
    elapsed = next(seconds for kind, seconds, _ in results if kind == "_elapsed")
    by_kind = defaultdict(list)
    errors = defaultdict(int)
    for kind, seconds, ok in results:
        if kind != "_elapsed":
            by_kind[kind].append(seconds * 1000)
            errors[kind] += not ok
    print(f"\n{'page kind':34} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} budget")
    total = total_errors = 0
    for kind in sorted(by_kind, key=lambda k: (k.startswith("baseline"), k)):
        times = by_kind[kind]
        total += len(times)
        total_errors += errors[kind]
        p95 = percentile(times, 0.95)
        unbudgeted = kind.startswith(("baseline", JOB))
        verdict = "" if unbudgeted else ("ok" if p95 <= BUDGET_MS else "OVER")
        print(
            f"{kind:34} {len(times):>8} {errors[kind]:>6} {percentile(times, 0.5):>8.1f} "
            f"{p95:>8.1f} {verdict}"
        )
    cpu = after["cpu"] - before["cpu"]
    wall = after["time"] - before["time"]
    print(
        f"\n{total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s, "
        f"{total_errors} errors\n"
        f"gunicorn (master + {args.workers} workers): {cpu:.1f} CPU s in {wall:.1f} s "
        f"= {cpu / wall * 100:.0f} % of one core, {cpu / max(total, 1) * 1000:.1f} ms CPU "
        f"per request; RSS {after['rss_kb'] / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
