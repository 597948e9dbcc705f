"""`make run PORT=…`: the served address reaches the processes it starts as PORTAL_URL, so the
links of reset and invitation e-mails point at the port actually served."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_make(tmp_path, *args, env_extra=None):
    # A stand-in interpreter records what `make run` hands to each command (env and arguments);
    # STAMP points at a fresh file so nothing is installed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\necho "$PORTAL_URL $*" >> {log}\n')
    python.chmod(0o755)
    stamp = tmp_path / "stamp"
    stamp.touch()
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_URL", "PORT", "HOST"}}
    env.update(env_extra or {})
    subprocess.run(
        ["make", "--no-print-directory", "run", f"BIN={bin_dir}", f"STAMP={stamp}", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return log.read_text().splitlines()


def test_make_run_on_another_port_sends_links_to_that_port(tmp_path):
    calls = run_make(tmp_path, "PORT=8100")
    runserver = next(line for line in calls if "runserver" in line)
    assert runserver == "http://127.0.0.1:8100 manage.py runserver 127.0.0.1:8100"
    assert all(line.startswith("http://127.0.0.1:8100 ") for line in calls)


def test_an_explicit_portal_url_wins(tmp_path):
    calls = run_make(tmp_path, "PORT=8100", env_extra={"PORTAL_URL": "https://portail.test"})
    assert all(line.startswith("https://portail.test ") for line in calls)
