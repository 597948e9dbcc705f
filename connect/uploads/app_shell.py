"""The installable app: the web app manifest, the service worker and its offline page.

The service worker is rendered by a view so that it lists the shell's static files under the
names the static storage gives them (hashed in production) and changes, and so reinstalls,
whenever one of them does. It is served at the root (/sw.js) for a scope of the whole portal.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from connect.accounts.policies import methods, public
from connect.lib.headers import revalidated

THEME_COLOUR = "#0b4f8a"  # portal.css --blue
BACKGROUND_COLOUR = "#f5f7fa"  # portal.css --bg
SHELL_FILES = (
    "css/portal.css",
    "js/portal.js",
    "js/composer.js",
    "js/queue.js",
    "django_htmx/htmx-2.min.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "img/icons/icon-512.png",
)


@public
@methods("GET")
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {
            "src": static(f"img/icons/{kind}-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for kind, purpose in (("icon", "any"), ("maskable", "maskable"))
        for size in (192, 512)
    ]
    body = {
        "name": settings.PORTAL_NAME,
        "short_name": settings.PORTAL_NAME.split()[0],
        "description": f"Le portail des réparateurs de {settings.FIRM_NAME}",
        "lang": "fr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@public
@methods("GET")
@revalidated
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(name) for name in SHELL_FILES] + [reverse("uploads:offline")]
    context = {
        "push_script": static("js/sw-push.js"),
        "queue_script": static("js/queue.js"),
        "version": hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12],
        "shell": json.dumps(shell),
        "offline_url": json.dumps(reverse("uploads:offline")),
        # Who is logged in changes there: the pages kept for the last user go.
        "session_urls": json.dumps([reverse("login"), reverse("logout")]),
    }
    return render(request, "uploads/sw.js", context, content_type="text/javascript")


@public
@methods("GET")
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "uploads/offline.html")
