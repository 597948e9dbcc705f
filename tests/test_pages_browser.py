"""Every main page, in Chromium: usable on a 360 px phone and free of serious axe violations.

The demo data gives the pages realistic content; personas log in through a session made by
the test client (the login form itself is covered by the browser tests of each feature).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from connect.accounts.models import User
from connect.dossiers.models import Dossier
from connect.testing import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (360, 1280)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "40", "--seed", "3", verbosity=0)
    settings.DEBUG = False


def open_session(context, live_server, email):
    client = login_as(Client(), User.objects.get(email=email))
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def repairer_pages():
    user = User.objects.get(email="reparateur@demo.test")
    dossier = Dossier.objects.visible_to(user).filter(documents__isnull=False).first()
    garage = user.garages.first()
    return [
        reverse("home"),
        reverse("home") + "?tab=attente-facture&q=a",
        reverse("dossier_detail", args=[dossier.code]),
        reverse("messaging:threads", args=[dossier.code]),
        reverse("messaging:compose", args=[dossier.code]),
        reverse("messaging:preferences"),
        reverse("tariffs:garage", args=[garage.pk]),
        reverse("tariffs:submit", args=[garage.pk]),
        reverse("updates:list"),
        reverse("help"),
        reverse("help_topic", args=["messagerie"]),
    ]


def staff_pages():
    return [
        reverse("staff:home"),
        reverse("staff:inbox"),
        reverse("staff:garages"),
        reverse("staff:dossier_search"),
        reverse("tariffs:staff_garages"),
        reverse("updates:manage"),
    ]


def public_pages():
    return [reverse("login"), reverse("password_reset"), reverse("legal"), reverse("privacy")]


def check(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
    results = Axe().run(page)
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{url} at {width}px: {serious}"


@pytest.mark.parametrize("persona", ["anonymous", "reparateur@demo.test", "expert@demo.test"])
def test_pages_fit_a_phone_and_pass_axe(persona, demo, live_server, page):
    if persona == "anonymous":
        urls = public_pages()
    else:
        open_session(page.context, live_server, persona)
        urls = repairer_pages() if persona.startswith("reparateur") else staff_pages()
    for url in urls:
        for width in WIDTHS:
            check(page, live_server.url + url, width)
