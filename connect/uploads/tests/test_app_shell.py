"""The installable app: manifest and icons, the service worker script, the offline page."""

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from connect.testing import login_as

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_portal_and_its_icons(client, settings):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.PORTAL_NAME and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b4f8a" and manifest["background_color"] == "#f5f7fa"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"


def test_a_maskable_icon_fills_its_square(settings):
    with Image.open(finders.find("img/icons/maskable-512.png")) as image:
        assert image.convert("RGBA").getpixel((2, 2))[3] == 255  # no transparent corner


def test_every_page_links_the_manifest_and_the_apple_icon(client, world):
    login_as(client, world.repairer)
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    icon = static("img/icons/apple-touch-icon.png")
    assert f'<link rel="apple-touch-icon" href="{icon}">' in html
    assert 'name="apple-mobile-web-app-capable" content="yes"' in html


def test_the_service_worker_imports_the_push_handlers_first_and_is_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert script.splitlines()[0] == f'importScripts("{static("js/sw-push.js")}");'
    assert static("css/portal.css") in script and '"/hors-ligne/"' in script
    assert "/api/" not in script  # the API is never kept


def test_the_service_worker_lists_the_shell_by_its_stored_names(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "connect.uploads.tests.test_app_shell.HashedNames"},
    }
    script = client.get("/sw.js").content.decode()
    assert '"/static/css/portal.hashed.css"' in script


class HashedNames:
    """What ManifestStaticFilesStorage does to a name, without a collectstatic run."""

    base_url = "/static/"

    def url(self, name):
        stem, dot, ext = name.rpartition(".")
        return f"/static/{stem}.hashed.{ext}"


def test_the_offline_page_is_public_and_french(client):
    response = client.get("/hors-ligne/")
    assert response.status_code == 200
    assert "Vous êtes hors ligne" in response.content.decode()


def test_the_manifest_icons_are_real_pngs_on_disk():
    for name in ("icon-192", "icon-512", "maskable-192", "maskable-512", "apple-touch-icon"):
        with open(finders.find(f"img/icons/{name}.png"), "rb") as file:
            Image.open(io.BytesIO(file.read())).verify()
