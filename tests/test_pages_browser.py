"""Every page, in Chromium: usable on a 360 px phone and free of serious axe violations.

The pages come from the URL configuration (as in test_access_policies.py): a new page is checked
automatically, under the persona its access policy names, with URL parameters taken from the
demo data (realistic content). Routes that are no page (files, downloads, API, POST-only
actions) are listed in NOT_PAGES with the reason; a new route of that kind fails here (it does
not answer a GET with 200) until it is listed. Personas log in through a session made by the
test client. Forms submitted with errors must pass axe with no violation at all.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from connect.accounts.models import User
from connect.accounts.tokens import invitation_token, reset_token
from connect.insured.tokens import login_link_token, signup_token
from connect.testing import axe_violations, login_as, non_admin_routes, policy_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (360, 1280)
REPAIRER, EXPERT, MANAGER = "reparateur@demo.test", "expert@demo.test", "manager@demo.test"
LINK_USER = "reparateur2@demo.test"  # the password-reset and invitation links' account
INSURED = "assure@demo.test"  # the insured's space (connect/insured/demo.py)
# Access policy → the demo personas who see its pages.
PERSONAS = {
    "public": [None],
    "authenticated": [REPAIRER, EXPERT],
    "repairer": [REPAIRER],
    "staff": [EXPERT],
    "insured": [INSURED],
    "second_factor": [EXPERT],
    # The clients' space has browser tests of its own
    # (connect/clients/tests/test_client_space_browser.py).
    "client": [],
    "internal": [],
}
# Routes that are no HTML page to look at, by name; each with its reason.
NOT_PAGES = {
    # POST-only actions: a form elsewhere posts to them, and they redirect.
    "logout",
    "messaging:reply",
    "checklists:request_create",
    "checklists:item_receive",
    "checklists:item_ask_again",
    "supplements:decide",
    "supplements:allow",
    "updates:mark_seen",
    "staff:thread_reply",
    "staff:thread_status",
    "staff:exam_confirm",
    "staff:exam_decline",
    "staff:esd_outcome",
    "staff:garage_edit",
    "staff:account_create",
    "staff:account_invite",
    "staff:account_active",
    "staff:account_remove",
    "staff:document_publish",
    "staff:client_user",
    "staff:client_user_region",
    "client_api_token",
    "push:remove_device",
    # JSON for the page's script (connect/static/js/push.js): POST only.
    "push:subscribe",
    "push:unsubscribe",
    "invoices:validate",
    "invoices:reject",
    "invoices:pay",
    # Files and downloads: no HTML to check.
    "export_csv",
    "export_xlsx",
    "clients:export_csv",
    "clients:export_xlsx",
    "document_file",
    "document_thumbnail",
    "staff:evidence_pack",
    # The portal's public keys (connect/documents/seal.py): JSON for whoever verifies a pack.
    "evidence_keys",
    # The plate read on the phone during the guided capture (connect/readings): POST an image,
    # then JSON for capture.js.
    "readings:probe",
    "readings:probe_state",
    "document_preview",
    "documents_zip",
    "tariffs:board",
    # Before the second factor only: a verified session is sent on to the workspace.
    "staff:second_factor",
    "staff:enrol",
    # Operators' endpoints (connect/ops): JSON and Prometheus text.
    "healthz",
    "readyz",
    "metrics",
    # The installable app and the resumable uploads (connect/uploads): JSON and a script.
    "uploads:manifest",
    "uploads:service_worker",
    "uploads:create",
    "uploads:upload",
    # The insured's space and the firm's actions on it: POST-only actions, and files.
    "staff:document_release",
    "insured:ask",
    "insured:survey",
    "insured:privacy_delete",
    "insured:staff_invite",
    "insured:staff_access",
    "insured:staff_answer",
    "insured:staff_called_back",
    "insured:document",
    "insured:document_thumbnail",
    "insured:appointment",
    "insured:privacy_export",
}
# More views of one page: two tabs of the home list (its parameter is `onglet`), a search.
VARIANTS = {"home": ["?onglet=" + tab for tab in ("attente-facture", "examens")] + ["?q=a"]}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "40", "--seed", "3", verbosity=0)
    settings.DEBUG = False


def open_session(context, live_server, email):
    client = login_as(Client(), User.objects.get(email=email))
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def sample_kwargs(email):
    """URL parameter → a value from the demo data that `email` (None: anonymous) may see."""
    if email == INSURED:  # the insured's own dossier; the rest as a repairer's (unused)
        from connect.insured.access import followed_dossiers

        kwargs = sample_kwargs(REPAIRER)
        kwargs["code"] = followed_dossiers(User.objects.get(email=INSURED)).first().code
        return kwargs
    from connect.accounts.models import Garage
    from connect.checklists.models import RequestItem
    from connect.clients.models import Client
    from connect.dossiers.models import Dossier
    from connect.invoices.access import visible_invoices
    from connect.staff.inbox import threads_in_scope
    from connect.tariffs.models import RateCard
    from connect.updates.models import ServiceUpdate

    user = User.objects.get(email=email or REPAIRER)
    dossiers = Dossier.objects.visible_to(user)
    found = dossiers.filter(documents__isnull=False, threads__isnull=False).distinct()
    # The checklist's answer page needs an item of the dossier: one with a request comes first.
    dossier = found.filter(checklist_requests__isnull=False).first() or found.first()
    item = RequestItem.objects.filter(request__dossier=dossier).order_by("id").first()
    garages = user.garages.all() if user.is_repairer else Garage.objects.filter(unit=user.unit)
    card = RateCard.objects.filter(garage__in=garages).order_by("garage_id", "version").first()
    staff_thread = threads_in_scope(User.objects.get(email=EXPERT)).order_by("id").first()
    linked = User.objects.get(email=LINK_USER)
    insured = User.objects.get(email=INSURED)
    return {
        "code": dossier.code,
        "thread_code": dossier.threads.order_by("id").first().code,
        "staff_thread_code": staff_thread.code,
        "item_code": item.code if item else None,
        # The demo's invoice (messaging/demo.py sends one): its staff page.
        "invoice_code": visible_invoices(User.objects.get(email=EXPERT))
        .order_by("id")
        .first()
        .code,
        "garage_id": card.garage_id,
        "client_id": Client.objects.order_by("id").first().pk,
        "version": card.version,
        "update_id": ServiceUpdate.objects.order_by("id").first().pk,
        "topic": "messagerie",
        # A link as e-mailed: each page checks its own kind of account and token.
        "uidb64": {
            "invitation": urlsafe_base64_encode(force_bytes(linked.pk)),
            "password_reset_confirm": urlsafe_base64_encode(force_bytes(linked.pk)),
            "insured:signup_confirm": urlsafe_base64_encode(force_bytes(insured.pk)),
            "insured:login_link_open": urlsafe_base64_encode(force_bytes(insured.pk)),
        },
        "token": {
            "invitation": invitation_token.make_token(linked),
            "password_reset_confirm": reset_token.make_token(linked),
            "insured:signup_confirm": signup_token.make_token(insured),
            "insured:login_link_open": login_link_token.make_token(insured),
        },
    }


def pages(persona):
    """The URLs of every page `persona` is meant to see, from the URL table."""
    kwargs = sample_kwargs(persona)
    urls = []
    for _path, pattern, namespace in non_admin_routes():
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        policy = policy_of(pattern, namespace)
        if name in NOT_PAGES or policy == "api" or namespace in ("api", "client_api"):  # JSON
            continue
        if persona not in PERSONAS[policy]:
            continue
        values = {key: kwargs[key] for key in pattern.pattern.converters}
        for key in ("uidb64", "token"):  # per page: each link checks its own kind
            if key in values:
                values[key] = values[key][name]
        url = reverse(name, kwargs=values)
        urls += [url] + [url + query for query in VARIANTS.get(name, [])]
    return urls


def check(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    # A title of words: a block left open in a template once put a whole form in it.
    title = page.title()
    assert "<" not in title and 0 < len(title) <= 120, f"{url}: title {title[:200]!r}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
    serious = axe_violations(page)
    assert serious == [], f"{url} at {width}px: {serious}"


@pytest.mark.parametrize(
    "persona",
    [None, REPAIRER, EXPERT, INSURED],
    ids=["anonymous", "repairer", "expert", "insured"],
)
def test_pages_fit_a_phone_and_pass_axe(persona, demo, live_server, page):
    if persona is not None:
        open_session(page.context, live_server, persona)
    urls = pages(persona)
    assert len(urls) >= (3 if persona == INSURED else 8)
    for url in urls:
        for width in WIDTHS:
            check(page, live_server.url + url, width)


def test_every_policy_has_pages_checked(demo):
    """The enumeration finds the pages the old hand-written list held, and more."""
    checked = {None: pages(None), REPAIRER: pages(REPAIRER), EXPERT: pages(EXPERT)}
    assert reverse("password_reset") in checked[None]
    assert "/?onglet=attente-facture" in checked[REPAIRER]
    assert reverse("tariffs:staff_garages") in checked[EXPERT]
    assert any("/messages/nouveau/" in url for url in checked[REPAIRER])


def submitted_with_errors(page, url, fields, button, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".field--error, [data-form-errors]").count() >= 1, url


@pytest.mark.parametrize("width", WIDTHS)
def test_forms_with_errors_pass_axe_entirely(demo, live_server, page, width):
    base = live_server.url
    fields = {"username": REPAIRER, "password": "mauvais"}
    submitted_with_errors(page, base + reverse("login"), fields, "Se connecter", width)
    assert page.locator("[data-form-errors][role=alert]").count() == 1
    assert axe_violations(page, impacts=None) == [], "login"

    user = User.objects.get(email=LINK_USER)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = base + reverse("password_reset_confirm", args=[uid, reset_token.make_token(user)])
    fields = {"new_password1": "court", "new_password2": "autre"}
    submitted_with_errors(page, url, fields, "Enregistrer", width)
    assert page.locator("#id_new_password1_helptext").count() == 1
    assert axe_violations(page, impacts=None) == [], "password reset confirm"

    open_session(page.context, live_server, REPAIRER)
    garage = User.objects.get(email=REPAIRER).garages.first()
    url = base + reverse("tariffs:submit", args=[garage.pk])
    submitted_with_errors(page, url, {}, "Transmettre", width)
    assert page.locator("[id$=_helptext]").count() >= 3
    assert axe_violations(page, impacts=None) == [], "rate card"

    page.context.clear_cookies()
    open_session(page.context, live_server, MANAGER)
    garage = User.objects.get(email=MANAGER).unit.garages.order_by("id").first()
    url = base + reverse("staff:garage", args=[garage.pk])
    fields = {"email": "pas-une-adresse"}
    submitted_with_errors(page, url, fields, "Créer et envoyer l'invitation", width)
    assert axe_violations(page, impacts=None) == [], "staff garage account form"


@pytest.mark.parametrize("persona", [None, REPAIRER], ids=["anonymous", "repairer"])
def test_the_error_page_fits_a_phone_and_passes_axe(persona, demo, live_server, page):
    # The 404 page stands for them all: one template (connect/ops/templates/errors/).
    if persona is not None:
        open_session(page.context, live_server, persona)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(live_server.url + "/nulle-part/")
        assert response.status == 404
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the error page scrolls sideways by {overflow}px at {width}px"
        assert axe_violations(page, impacts=None) == [], width
