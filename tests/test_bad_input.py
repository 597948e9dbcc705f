"""No 5xx on any input (issue 25): a malformed code, JSON nested thousands deep or too long,
Unicode digits ("²" passes `str.isdigit()`, `int()` refuses it) in every number a request
carries. Each is a 400 with a French message, or ignored for the default; never a 500."""

import json

import pytest
from django.urls import reverse

from connect.lib.http import BadJson, int_list, int_or_none, int_param, parse_json, uuid_or_none
from connect.testing import login_as

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000  # 10 kB: past the bounds of the small bodies too
DEEP_SHORT = "[" * 2000 + "]" * 2000  # within 4 kB, far past the parser's recursion limit
# What a hostile or clumsy client puts where a number goes.
NOT_NUMBERS = ["²", "٣", "１０", "-1", "1e3", "0x10", " 25", "25 ", "", "\x00", "9" * 40, "25.0"]


# --- the helpers --------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_only_ascii_digits_are_a_number(value):
    assert int_or_none(value) is None
    assert int_param({"n": value}, "n", default=7) == 7


def test_a_number_outside_its_choices_or_bounds_is_the_default():
    assert int_param({"n": "50"}, "n", default=25, choices=(25, 50)) == 50
    assert int_param({"n": "51"}, "n", default=25, choices=(25, 50)) == 25
    assert int_param({"n": "5"}, "n", default=1, minimum=1, maximum=9) == 5
    assert int_param({"n": "10"}, "n", default=1, minimum=1, maximum=9) == 1


def test_a_list_of_ids_keeps_its_numbers_only():
    from django.http import QueryDict

    assert int_list(QueryDict("id=3&id=²&id=x&id=12"), "id") == [3, 12]


def test_a_code_is_a_uuid_or_none():
    assert uuid_or_none("not-a-uuid") is None and uuid_or_none(None) is None
    assert str(uuid_or_none("12345678-1234-5678-1234-567812345678")).startswith("12345678")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (DEEP_SHORT, 400),
        (DEEP, 413),
        ('{"a": ' * 20 + "1" + "}" * 20, 400),
        ("x" * 5000, 413),
        ("{", 400),
    ],
)
def test_json_too_deep_too_long_or_broken_is_refused(text, status):
    with pytest.raises(BadJson) as refused:
        parse_json(text, max_bytes=4096)
    assert refused.value.status == status


def test_brackets_inside_strings_do_not_count_as_depth():
    text = json.dumps({"a": "[[[[[[[[[[[[[[[[[[[[", "b": '\\"[[[[[[[[[[[[[['})
    assert parse_json(text, max_bytes=4096)["a"] == "[" * 20


# --- the doors ----------------------------------------------------------------------------


def test_an_upload_for_a_malformed_dossier_code_is_a_400(as_repairer):
    response = as_repairer.post(
        reverse("uploads:create"), {"dossier": "not-a-uuid", "name": "a.jpg", "size": "10"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Indiquez le dossier du fichier."


def test_upload_metadata_nested_5000_deep_is_a_400(as_repairer, world):
    response = as_repairer.post(
        reverse("uploads:create"),
        {
            "dossier": str(world.dossier_a.code),
            "name": "a.jpg",
            "size": "10",
            "sha256": "0" * 64,
            "metadata": DEEP_SHORT,
        },
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Champs du fichier : Données trop imbriquées."


@pytest.mark.parametrize("name", ["push:subscribe", "push:unsubscribe"])
def test_a_push_body_nested_thousands_deep_is_a_400(client, world, name):
    login_as(client, world.repairer)
    response = client.post(reverse(name), DEEP_SHORT, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Données trop imbriquées."
    assert client.post(reverse(name), DEEP, content_type="application/json").status_code == 413


@pytest.mark.parametrize("name", ["push:subscribe", "push:unsubscribe"])
def test_a_push_body_too_long_is_a_413_before_it_is_read(client, world, name):
    login_as(client, world.repairer)
    body = json.dumps({"endpoint": "https://fcm.googleapis.com/" + "x" * 10_000})
    response = client.post(reverse(name), body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == "Données trop longues."


def test_an_api_body_nested_5000_deep_is_a_400(client, token, world):
    response = client.put(
        "/api/v1/garages/GA",
        DEEP_SHORT,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token[1]}"},
    )
    assert response.status_code == 400


@pytest.fixture
def token(db):
    from connect.api.models import ApiToken

    return ApiToken.issue("gestion")


def test_unicode_digits_in_the_home_list_size_give_the_default(as_repairer):
    response = as_repairer.get(reverse("home"), {"taille": "²"})
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_unicode_digits_in_the_export_size_are_ignored(as_repairer, name):
    assert as_repairer.get(reverse(name), {"taille": "²"}).status_code == 200


def test_unicode_digits_in_the_dashboard_period_give_30_days(as_repairer, world):
    for url in (
        reverse("dashboard:all"),
        reverse("dashboard:garage", kwargs={"garage_id": world.garage_a.pk}),
    ):
        response = as_repairer.get(url, {"periode": "²"})
        assert response.status_code == 200, url


def test_unicode_digits_naming_a_push_device_are_a_400(as_repairer):
    response = as_repairer.post(reverse("push:remove_device"), {"subscription": "²"})
    assert response.status_code == 400


def test_unicode_digits_naming_a_service_update_are_ignored(as_repairer):
    response = as_repairer.post(reverse("updates:mark_seen"), {"update": "²", "shown": "٣"})
    assert response.status_code == 302


def test_an_event_cursor_of_unicode_digits_is_a_400(client, token):
    response = client.get(
        "/api/v1/events", {"after": "².²"}, headers={"Authorization": f"Bearer {token[1]}"}
    )
    assert response.status_code in (400, 422)


# --- every number a request carries, with every kind of bad value -------------------------


def _number_inputs(world):
    """(method, url, parameter, extra fields): every place a view reads a number or a code."""
    garage = reverse("dashboard:garage", kwargs={"garage_id": world.garage_a.pk})
    dossier = str(world.dossier_a.code)
    tariffs = reverse("tariffs:submit", kwargs={"garage_id": world.garage_a.pk})
    return [
        ("get", reverse("home"), "taille", {}),
        ("get", reverse("home"), "page", {}),
        ("get", reverse("export_csv"), "taille", {}),
        ("get", reverse("export_xlsx"), "taille", {}),
        ("get", reverse("dashboard:all"), "periode", {}),
        ("get", garage, "periode", {}),
        ("post", reverse("push:remove_device"), "subscription", {}),
        ("post", reverse("updates:mark_seen"), "update", {}),
        ("post", reverse("updates:mark_seen"), "shown", {}),
        ("post", reverse("uploads:create"), "dossier", {"size": "10", "sha256": "0" * 64}),
        ("post", reverse("uploads:create"), "size", {"dossier": dossier, "sha256": "0" * 64}),
        ("post", tariffs, "forfaits-TOTAL_FORMS", {"ajouter_forfaits": "1"}),
    ]


def test_no_bad_number_or_code_anywhere_gives_a_5xx(as_repairer, world):
    for method, url, name, extra in _number_inputs(world):
        for value in [*NOT_NUMBERS, "not-a-uuid", "99999999-9999"]:
            response = getattr(as_repairer, method)(url, {**extra, name: value})
            assert response.status_code < 500, (url, name, value, response.status_code)


def test_no_bad_number_in_the_staff_inbox_gives_a_5xx(client, world):
    login_as(client, world.expert)
    for value in [*NOT_NUMBERS, "not-a-uuid"]:
        response = client.get(reverse("staff:inbox"), {"garage": value})
        assert response.status_code == 200, (value, response.status_code)
