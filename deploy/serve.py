"""`make serve`: the Procfile's stack on this machine, with restarts and a graceful stop.

Runs `release` (migrate, collectstatic) first, then one `web` (gunicorn, its own workers),
TASK_WORKERS `worker` processes (default 2), READING_WORKERS `reader` processes (default 1: they
read the photos, connect/readings) and one `scheduler`. A process that exits is
started again after a pause (longer each time it fails fast). SIGTERM or Ctrl-C stops everyone
with SIGTERM (gunicorn finishes requests in flight; a worker its job in hand) and waits.
Commands run from the virtualenv of the Python that runs this script.
"""

import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STOP_SECONDS = 45


def procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


def resolve(command: str) -> list[str]:
    """`python …`/`gunicorn …` from this virtualenv, run directly (no shell in between, so a
    signal reaches the process itself)."""
    first, *rest = shlex.split(command)
    if (BIN / first).exists():
        first = str(BIN / first)
    return [first, *rest]


def release(command: str, env: dict) -> int:
    """The release steps, `a && b`: each must succeed."""
    for step in command.split("&&"):
        done = subprocess.run(resolve(step), cwd=ROOT, env=env)  # noqa: S603 (our Procfile)
        if done.returncode:
            return done.returncode
    return 0


class Process:
    def __init__(self, name: str, command: str, env: dict):
        self.name, self.command, self.env = name, command, env
        self.popen: subprocess.Popen | None = None
        self.started = 0.0
        self.pause = 1.0

    def start(self) -> None:
        self.started = time.monotonic()
        self.popen = subprocess.Popen(resolve(self.command), cwd=ROOT, env=self.env)  # noqa: S603
        print(f"serve: {self.name} started (pid {self.popen.pid})", flush=True)

    def check(self) -> None:
        if self.popen is None or self.popen.poll() is None:
            return
        code = self.popen.returncode
        quick = time.monotonic() - self.started < 10
        self.pause = min(self.pause * 2, 60) if quick else 1.0
        print(f"serve: {self.name} exited ({code}), restart in {self.pause:.0f} s", flush=True)
        time.sleep(self.pause)
        self.start()


def main() -> int:
    entries = procfile()
    env = dict(os.environ)
    # Request metrics summed over gunicorn's workers: a fresh folder each start.
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="connect-metrics-"))
    failed = release(entries["release"], env)
    if failed:
        print("serve: release failed (migrate / collectstatic), nothing started", flush=True)
        return failed
    workers = int(env.get("TASK_WORKERS", "2"))
    processes = [Process("web", entries["web"], env)]
    processes += [Process(f"worker.{n}", entries["worker"], env) for n in range(1, workers + 1)]
    readers = int(env.get("READING_WORKERS", "1"))
    processes += [Process(f"reader.{n}", entries["reader"], env) for n in range(1, readers + 1)]
    processes.append(Process("scheduler", entries["scheduler"], env))
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.start()
    while not stopping:
        time.sleep(0.5)
        for process in processes:
            if not stopping:
                process.check()
    for process in processes:
        if process.popen and process.popen.poll() is None:
            process.popen.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        if process.popen is None:
            continue
        try:
            process.popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.popen.kill()
        print(f"serve: {process.name} stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
