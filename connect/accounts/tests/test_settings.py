"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from connect.lib.env import env_bool, env_choice, env_int, parse_database_url

ROOT = Path(__file__).resolve().parents[3]


def start(**env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with exactly these variables."""
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "connect.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
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


def test_a_typo_in_a_boolean_stops_start_up():
    result = start(SECRET_KEY="x" * 50, ALLOWED_HOSTS="a", DEBUG="ture")
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_production_settings_start():
    result = start(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "connect.settings",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.example",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["False", "True", "True", "True", "True"], out.stderr


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
