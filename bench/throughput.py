"""Throughput over HTTP with wrk: the home list and the dossier page against the bare stack.

    .venv/bin/python bench/list.py --seed --dossiers 200000   # once (the list's database)
    .venv/bin/python bench/throughput.py [--rounds 3] [--seconds 5]

The targets run in turn, round after round — bare baseline, list, dossier page, bare, … — so
that the load of other work on the machine falls on all of them alike; each round's ratio is
taken against that round's baseline, and the median of the rounds printed. The baseline is
`/mentions-legales/` for an anonymous visitor (the Django stack, a template, no database).
The repairer `reparateur@demo.test` logs in through the form; wrk sends its session cookie
(bench/wrk_session.lua). Goal: list / bare and dossier page / bare ≥ 0.33 (target 0.5).

Defaults: database `bench`, Redis db 5 (bench/list.py's pair: same data, same cache), folder
/tmp/bench_throughput, a free port, 2 sync workers, wrk with 1 thread and 2 connections.
"""

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    ROOT,
    Server,
    Session,
    add_arguments,
    bench_env,
    free_port,
    load_average,
    parse,
    setup_django,
)

WRK = "/usr/bin/wrk"
LUA = Path(__file__).resolve().parent / "wrk_session.lua"
REPAIRER = "reparateur@demo.test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench", redis_db=5, work="bench_throughput")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per target and round")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--email", default=REPAIRER, help="the repairer measured")
    parser.add_argument(
        "--before-root",
        type=Path,
        help="another checkout (e.g. /work/main) served too, on the same database, its targets "
        "taken in turn with this one's: before/after in one interleaved run",
    )
    args = parse(parser)

    setup_django(bench_env(args))
    code = _dossier_code(args.email)
    targets = [
        ("bare /mentions-legales/", "/mentions-legales/", False),
        ("home list /", "/", True),
        ("dossier page", f"/dossiers/{code}/", True),
    ]
    print(f"Database {args.database_url}, {args.email}; {load_average()}")
    servers = [("", ROOT, args.port)]
    if args.before_root:
        servers.insert(0, ("before: ", args.before_root, free_port()))
    with contextlib.ExitStack() as stack:
        jobs = []  # (label, url, cookie): every target of every server, taken in turn
        for prefix, root, port in servers:
            work = args.work_dir / ("before" if prefix else "after")
            server_env = bench_env(
                argparse.Namespace(**{**vars(args), "work_dir": work, "port": port})
            )
            server = stack.enter_context(Server(server_env, port, workers=args.workers, root=root))
            base = f"http://127.0.0.1:{port}"
            session = Session(base)
            session.login(args.email)
            cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
            for label, path, authenticated in targets:  # warm-up; the session must hold
                status, body, *_ = session.get(path)
                if status != 200 or (authenticated and b'name="password"' in body):
                    sys.exit(f"{prefix}{path}: {status}, not the page (session refused?)")
                jobs.append((prefix + label, base + path, cookie if authenticated else "", server))
        rates: dict[str, list[float]] = {label: [] for label, *_ in jobs}
        cpu: dict[str, list[float]] = {label: [] for label, *_ in jobs}
        for round_number in range(1, args.rounds + 1):
            line = []
            for label, url, cookie, server in jobs:
                before = _cpu_seconds(server)
                rate, count = _wrk(url, cookie, args)
                rates[label].append(rate)
                cpu[label].append((_cpu_seconds(server) - before) / count * 1000)
                line.append(f"{label} {rate:.1f}/s")
            print(f"round {round_number}: " + " · ".join(line))
    print(f"\n{'target':36} {'req/s':>8} {'ratio to its bare':>18} {'gunicorn CPU ms/request':>24}")
    print(f"{'':36} {'(medians of the rounds)':>52}")
    for prefix, *_ in servers:
        bare = rates[prefix + targets[0][0]]
        for label, *_ in targets:
            mine = rates[prefix + label]
            ratios = [rate / base_rate for rate, base_rate in zip(mine, bare, strict=True)]
            print(
                f"{prefix + label:36} {statistics.median(mine):>8.1f} "
                f"{statistics.median(ratios):>18.2f} "
                f"{statistics.median(cpu[prefix + label]):>24.1f}"
            )
    print(load_average())


def _dossier_code(email: str) -> str:
    from connect.accounts.models import User
    from connect.dossiers.models import Dossier

    mine = Dossier.objects.visible_to(User.objects.get(email=email)).filter(archived=False)
    return str(mine.order_by("id").values_list("code", flat=True)[100])


def _cpu_seconds(server: Server) -> float:
    """utime + stime of gunicorn's workers (/proc): CPU spent, whatever else the machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in server.worker_pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _wrk(url: str, cookie: str, args) -> tuple[float, int]:
    """Requests per second, and how many requests wrk made."""
    command = [WRK, "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(LUA), url]
    output = subprocess.run(
        command,
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=True,
        timeout=args.seconds + 60,
    ).stdout
    redirects = re.search(r"Redirects: (\d+)", output)
    if "Non-2xx" in output or (redirects and int(redirects.group(1))):
        sys.exit(f"{url}: error responses\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, int(re.search(r"(\d+) requests in", output).group(1))


if __name__ == "__main__":
    main()
