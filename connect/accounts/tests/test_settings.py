"""Settings come from the environment and fail loudly on a bad value."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from connect.lib.env import env_bool, env_choice, env_int, parse_database_url

ROOT = Path(__file__).resolve().parents[3]
ENV_EXAMPLE = ROOT / ".env.example"
ENV_LINE = re.compile(r"[A-Z][A-Z0-9_]*=.*")
# What production cannot start without.
PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example",
    "PORTAL_URL": "https://portal.example",
}


def start(*, code: str = "import django; django.setup(); print('ok')", **env):
    """Load the settings in a fresh interpreter with exactly these variables."""
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "connect.settings"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start(ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start(SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_a_portal_url():
    # The links of every e-mail start with it: a default would send them to 127.0.0.1.
    result = start(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0 and "PORTAL_URL must be set" in result.stderr


def test_a_typo_in_a_boolean_stops_start_up():
    result = start(SECRET_KEY="x" * 50, ALLOWED_HOSTS="a", DEBUG="ture")
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_production_settings_start():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "connect.settings", **PRODUCTION}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["False", "True", "True", "True", "True"], out.stderr


def read_env_file(path: Path) -> dict[str, str]:
    """Read an env file as `docker --env-file` does, strictly: KEY=VALUE lines, values taken
    literally, blank lines and comment lines (`#` first) only. Quotes and trailing comments,
    which systemd and docker read differently, are refused."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path.name}:{number}: {line!r}"
        assert ENV_LINE.fullmatch(line), f"{where} is not KEY=VALUE"
        key, value = line.split("=", 1)
        assert " #" not in value and "\t#" not in value, f"{where}: comment not on its own line"
        assert value == value.strip(), f"{where}: blanks around the value"
        assert not value.startswith(('"', "'")), f"{where}: quoted value"
        assert key not in values, f"{where}: {key} given twice"
        values[key] = value
    return values


def test_env_example_starts_the_production_settings(tmp_path):
    values = read_env_file(ENV_EXAMPLE)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.FIRM_NAME, s.API_RATE_LIMIT_PER_MINUTE, s.API_MAX_JSON_BYTES, sep='|')"
    )
    # Its folders are /srv/…: the start-up makes STATIC_ROOT, so point them at a scratch folder.
    env = {
        **values,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portail.example.fr",
        "VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_FILES_ROOT": str(tmp_path / "private"),
    }
    result = start(code=code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "|".join(
        ["False", values["FIRM_NAME"], values["API_RATE_LIMIT_PER_MINUTE"], "4194304"]
    )


def test_env_example_lists_every_setting_read_from_the_environment():
    settings_source = (ROOT / "connect" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]*)"', settings_source))
    assert {"DEBUG", "API_RATE_LIMIT_PER_MINUTE", "API_MAX_JSON_BYTES"} <= read
    # TESTING is the test suite's switch, not a deployment setting.
    assert read - {"TESTING"} <= set(read_env_file(ENV_EXAMPLE))


def test_importing_the_settings_does_no_file_system_work(tmp_path):
    var = tmp_path / "var"
    code = "import connect.settings; print('ok')"
    result = start(code=code, **PRODUCTION, VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert not var.exists()
    result = start(**PRODUCTION, VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert (var / "static").is_dir()  # made at start-up (connect/accounts/apps.py)


@pytest.mark.parametrize(
    "value,expected", [("1", True), ("true", True), ("off", False), ("", False)]
)
def test_env_bool_reads_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG") is expected


def test_env_int_refuses_garbage_and_out_of_range(monkeypatch):
    monkeypatch.setenv("N", "douze")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
    monkeypatch.setenv("N", "-3")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1, minimum=0)


def test_env_choice_refuses_unknown_values(monkeypatch):
    monkeypatch.setenv("EMAIL_BACKEND", "pigeon")
    with pytest.raises(ImproperlyConfigured):
        env_choice("EMAIL_BACKEND", ("console", "smtp"), "console")


def test_database_urls():
    pg = parse_database_url("postgres://u:p%40ss@db.example:6432/connect", base_dir="/srv")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "connect",
        "u",
        "p@ss",
        "db.example",
        "6432",
    )
    assert pg["CONN_MAX_AGE"] > 0
    lite = parse_database_url("sqlite:///var/x.sqlite3", base_dir="/srv")
    assert lite["NAME"] == "/srv/var/x.sqlite3"
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("mysql://x/y", base_dir="/srv")
