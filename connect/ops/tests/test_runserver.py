"""`manage.py runserver PORT` in development: the links of e-mails point at the port served,
unless PORTAL_URL says otherwise (production must set it)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command, get_commands, load_command_class
from django.test import Client
from django.urls import reverse

from connect.testing import run_tasks

pytestmark = pytest.mark.django_db


def reset_link_while_serving(settings, *args: str) -> str:
    """Start runserver without its server: where the password-reset e-mail of a request made
    while it would serve sends the user."""
    settings.PORTAL_URL = settings.PORTAL_URL  # what the command changes, undone after the test
    command = load_command_class(get_commands()["runserver"], "runserver")

    def serve(*_args, **_options):
        Client().post(reverse("password_reset"), {"email": "reparateur@test.fr"})
        run_tasks()

    command.inner_run = serve
    call_command(command, *args, use_reloader=False, skip_checks=True)
    (message,) = mail.outbox
    return re.search(r"https?://\S+", message.body).group(0)


def test_links_follow_the_port_runserver_serves(settings, monkeypatch, world):
    monkeypatch.delenv("PORTAL_URL", raising=False)
    assert reset_link_while_serving(settings, "8100").startswith("http://127.0.0.1:8100/")


def test_links_follow_the_address_too(settings, monkeypatch, world):
    monkeypatch.delenv("PORTAL_URL", raising=False)
    assert reset_link_while_serving(settings, "0.0.0.0:8200").startswith("http://0.0.0.0:8200/")


def test_an_explicit_portal_url_wins(settings, monkeypatch, world):
    monkeypatch.setenv("PORTAL_URL", "https://portail.test")
    settings.PORTAL_URL = "https://portail.test"  # as the settings read it at start-up
    assert reset_link_while_serving(settings, "8100").startswith("https://portail.test/")


def test_whitenoise_still_serves_the_static_files(settings):
    # The portal's runserver wraps whitenoise's, which turns Django's static handler off.
    command = load_command_class(get_commands()["runserver"], "runserver")
    parser = command.create_parser("manage.py", "runserver")
    assert parser.get_default("use_static_handler") is False
