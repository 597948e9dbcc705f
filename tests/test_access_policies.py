"""Every route declares its access policy, and each persona gets what the policy says.

Routes are enumerated from the URL configuration: a new route is covered automatically, and
a route without a declared policy fails here. Sample values for URL parameters come from
SAMPLE_KWARGS: every object there belongs to garage A (unit 1), so outsiders must get a 404.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.accounts.policies import POLICIES
from connect.testing import iter_routes, login_as, non_admin_routes, policy_of

# Parameter name → sample value, built from the `world` fixture. Extend, never bypass.
SAMPLE_KWARGS = {
    "code": lambda w: w.dossier_a.code,
    "document_code": lambda w: _sample_document(w).code,
    "thread_code": lambda w: _sample_thread(w).code,
    "uidb64": lambda w: "MQ",
    "token": lambda w: "abc-def",
    "reference": lambda w: w.dossier_a.reference,
    "external_id": lambda w: w.garage_a.external_id,
    "email": lambda w: w.repairer.email,
    "update_id": lambda w: _service_update().pk,
    "version": lambda w: _sample_rate_card(w).version,
    "topic": lambda w: "connexion",
    "garage_id": lambda w: w.garage_a.pk,
    "user_id": lambda w: w.repairer.pk,
    "staff_thread_code": lambda w: _sample_expert_thread(w).code,
    "item_code": lambda w: _sample_request_item(w).code,
    "supplement_code": lambda w: _sample_supplement(w).code,
    "upload_code": lambda w: _sample_upload(w).code,
    "invoice_code": lambda w: _sample_invoice(w).code,
    "reading_code": lambda w: _sample_probe(w).code,
    "released_document_code": lambda w: _sample_released_document(w).code,
    "question_code": lambda w: _sample_insured_question(w).code,
    "client_id": lambda w: w.client.pk,
    "member_id": lambda w: w.client_user.client_member.pk,
}
# Parameters that carry no object (a token in a link, a page name…), or a portal-wide object
# that no garage or unit owns (a service update: the policy alone guards it).
NON_OBJECT_KWARGS = {"uidb64", "token", "update_id", "topic"}


def _sample_thread(w):
    from connect.messaging.services import open_thread

    return open_thread(
        dossier=w.dossier_a, subject_key="divers", author=w.repairer, body="Bonjour"
    ).thread


def _sample_expert_thread(w):
    """A field-exam request routed to the expert of garage A (the staff insider)."""
    from datetime import timedelta

    from django.utils import timezone

    from connect.messaging.services import request_field_exam

    day = timezone.localdate() + timedelta(days=2)
    return request_field_exam(
        dossier=w.dossier_a, requested_date=day, reason="Choc arrière", author=w.repairer
    ).thread


def _sample_request_item(w):
    """An answered item (so that ticking it is a real move) of a request on dossier A."""
    from connect.checklists.services import ItemSpec, answer_item, create_request

    request = create_request(dossier=w.dossier_a, by=w.expert, items=[ItemSpec("Photo")])
    return answer_item(item=request.items.get(), by=w.repairer, note="Voici")


def _sample_supplement(w):
    from decimal import Decimal

    from connect.supplements.services import SupplementDraft, submit_supplement

    draft = SupplementDraft(amount=Decimal("120.00"))
    return submit_supplement(dossier=w.dossier_a, by=w.repairer, draft=draft)


def _sample_upload(w):
    """An upload of garage A's repairer (its colleague is an outsider too: only the uploader)."""
    from datetime import timedelta

    from django.utils import timezone

    from connect.uploads.models import Upload

    return Upload.objects.create(
        user=w.repairer,
        dossier=w.dossier_a,
        file_name="a.jpg",
        size=10,
        sha256="0" * 64,
        expires_at=timezone.now() + timedelta(hours=1),
    )


def _sample_probe(w):
    """A plate shot garage A's repairer had read before sending (only theirs to ask)."""
    from connect.readings.models import Kind, Reading

    return Reading.objects.create(
        dossier=w.dossier_a, requested_by=w.repairer, kind=Kind.PLATE, probe=b"x"
    )


def _sample_invoice(w):
    from connect.invoices.tests.helpers import send_invoice

    return send_invoice(w.dossier_a, w.repairer)


def _sample_document(w):
    from connect.documents.tests.helpers import add_photo

    return add_photo(w.dossier_a)


def _sample_released_document(w):
    """A document of dossier A the firm released to its insured (world.insured)."""
    from connect.documents.services import release_to_insured

    document = _sample_document(w)
    release_to_insured(document=document, released=True)
    return document


def _sample_insured_question(w):
    from connect.insured.services import ask_question

    return ask_question(dossier=w.dossier_a, author=w.insured, body="Où en est ma voiture ?")


def _sample_survey(w):
    """A low score on dossier A (its call-back is a staff page's action)."""
    from connect.insured.models import InsuredSurvey

    return InsuredSurvey.objects.get_or_create(dossier=w.dossier_a, defaults={"score": 4})[0]


def _sample_rate_card(w):
    from connect.tariffs.tests.factories import make_rate_card

    return make_rate_card(w.garage_a)


def _service_update():
    from connect.updates.models import ServiceUpdate

    return ServiceUpdate.objects.create(version="24.9.5", title="Sample", body="x")


ROUTES = list(iter_routes())


def route_id(route):
    return route[0] or "/"


def test_every_route_declares_a_policy():
    missing = [route for route, pattern, ns in ROUTES if policy_of(pattern, ns) not in POLICIES]
    assert missing == [], f"routes without an access policy: {missing}"


def test_every_page_declares_its_methods():
    """`accounts.policies.methods(...)` on every function view: what it does not declare is a
    405 (class-based views answer only the methods they implement; the API declares its own)."""
    missing = [
        route
        for route, pattern, ns in ROUTES
        if ns != "admin"
        and not route.startswith("api/")  # django-ninja answers 405 itself
        and not hasattr(pattern.callback, "view_class")
        and not getattr(pattern.callback, "allowed_methods", None)
    ]
    assert missing == [], f"routes that do not declare their methods: {missing}"


def test_a_method_a_page_does_not_declare_is_a_405(client, world):
    login_as(client, world.repairer)
    response = client.post(reverse("home"))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert client.post(reverse("help")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def request(client, url, api=False):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def has_object(pattern):
    return any(name not in NON_OBJECT_KWARGS for name in pattern.pattern.converters)


NON_ADMIN_ROUTES = non_admin_routes()


@pytest.mark.parametrize("route", NON_ADMIN_ROUTES, ids=route_id)
def test_each_persona_gets_what_the_policy_says(route, client, world, django_user_model):
    path, pattern, namespace = route
    policy = policy_of(pattern, namespace)
    # Dossier A's insured is world.insured (the core system's insured_email), with an
    # appointment: the insider reaches every page of the insured's space.
    world.dossier_a.insured_email = world.insured.email
    world.dossier_a.appointment_at = timezone.now() + timedelta(days=3)
    world.dossier_a.save(update_fields=["insured_email", "appointment_at"])
    _sample_survey(world)
    url = _reverse(pattern, namespace, world)

    anonymous = request(client, url)
    assert anonymous.status_code < 500
    if policy == "internal":
        _check_internal_route(client, url, world)
        return
    if policy == "public":
        assert anonymous.status_code in (200, 302, 400)
    elif policy == "api":
        assert anonymous.status_code == 401
    else:
        assert anonymous.status_code == 302 and "/connexion/" in anonymous["Location"]

    outsiders = [world.other_repairer, world.other_expert]
    insiders = {
        "signed_in": [world.repairer, world.expert, world.insured, world.client_user],
        "authenticated": [world.repairer, world.expert],
        "repairer": [world.repairer],
        "staff": [world.expert],
        "insured": [world.insured],
        "client": [world.client_user],
        "second_factor": [world.expert, world.client_user],
        "public": [world.repairer],
        "api": [],
    }[policy]
    # The insured and clients reach their own spaces only: every garage↔firm page is a 404.
    own_space = [world.insured, world.client_user]
    refused = {
        "authenticated": own_space,
        "repairer": [world.expert, world.manager, *own_space],
        "staff": [world.repairer, world.colleague, *own_space],
        "insured": [world.repairer, world.expert, world.client_user],
        "client": [world.repairer, world.expert, world.insured],
        "second_factor": [world.repairer, world.insured],
    }.get(policy, [])

    if policy == "api":
        _check_api_route(client, url, world)
        return
    for user in refused + (outsiders if has_object(pattern) and policy != "public" else []):
        response = request(login_as(client, user), url)
        assert response.status_code == 404, f"{user.email} must get a 404 on {url}"
    for user in insiders:
        response = request(login_as(client, user), url)
        assert response.status_code < 500
        assert response.status_code != 404, f"{user.email} must reach {url}"


def _check_api_route(client, url, world):
    """A session is no API credential (401); a token gets in: the core system's on its API, a
    client's on the clients' API (issue 27), and neither on the other's."""
    from connect.api.models import ApiToken

    assert request(login_as(client, world.repairer), url).status_code == 401
    client.logout()
    core, own = ApiToken.issue("guard")[1], ApiToken.issue("guard", client=world.client)[1]
    key, other = (own, core) if url.startswith("/api/client/") else (core, own)
    wrong = client.get(url, headers={"Authorization": f"Bearer {other}"})
    if wrong.status_code == 405:
        wrong = client.post(url, headers={"Authorization": f"Bearer {other}"})
    assert wrong.status_code == 401, url
    response = client.get(url, headers={"Authorization": f"Bearer {key}"})
    if response.status_code == 405:
        response = client.post(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500 and response.status_code != 401


def _check_internal_route(client, url, world):
    """Operators' endpoints: a 404 to everyone, sessions included, but the bearer token."""
    from django.test import override_settings

    with override_settings(METRICS_TOKEN="operators-token-for-the-guard"):
        assert request(client, url).status_code == 404
        for user in (world.repairer, world.expert, world.admin):
            assert request(login_as(client, user), url).status_code == 404, user.email
        client.logout()
        wrong = client.get(url, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 404
        right = client.get(url, headers={"Authorization": "Bearer operators-token-for-the-guard"})
        assert right.status_code == 200


def _reverse(pattern, namespace, world):
    from django.urls import reverse

    kwargs = {name: SAMPLE_KWARGS[name](world) for name in pattern.pattern.converters}
    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
    return reverse(name, kwargs=kwargs)


def test_admin_is_for_administrators_only(client, world):
    assert client.get("/admin/").status_code == 302
    for user in (world.repairer, world.expert, world.manager):
        response = login_as(client, user).get("/admin/")
        assert response.status_code == 302, user.email
    assert login_as(client, world.admin).get("/admin/").status_code == 200
