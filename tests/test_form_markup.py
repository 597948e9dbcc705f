"""Form fields render through one template (connect/templates/django/forms/field.html).

Its ids must be the ones Django's widgets point `aria-describedby` at: the help text is
`<auto_id>_helptext`, the errors of a field are one block `<auto_id>_error`; no id repeats.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from connect.accounts.tokens import reset_token
from connect.testing import login_as

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def by_id(self, value):
        return next(attrs for _, attrs in self.elements if attrs.get("id") == value)


def check_described_fields(html, *, errors_expected=True):
    """Every aria-describedby target exists; help and error blocks are the ones Django names."""
    page = Elements(html)
    ids = Counter(attrs["id"] for _, attrs in page.elements if "id" in attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    described = [
        attrs | {"tag": tag} for tag, attrs in page.elements if attrs.get("aria-describedby")
    ]
    for attrs in described:
        for target in attrs["aria-describedby"].split():
            assert target in ids, (attrs.get("name"), target)
    helps = [a["id"] for _, a in page.elements if "field__help" in a.get("class", "") and "id" in a]
    for help_id in helps:
        assert help_id.endswith("_helptext")
        assert any(help_id in a["aria-describedby"].split() for a in described), help_id
    errors = [a for _, a in page.elements if a.get("id", "").endswith("_error")]
    for block in errors:
        owner = [a for a in described if block["id"] in a["aria-describedby"].split()]
        assert owner, block["id"]
        # A radio group: the fieldset is described, each radio is marked invalid.
        assert owner[0]["tag"] == "fieldset" or owner[0].get("aria-invalid") == "true", owner
    assert bool(errors) == errors_expected
    return page


def test_the_login_form_with_a_bad_password(client, world):
    response = client.post(reverse("login"), {"username": world.repairer.email, "password": "x"})
    html = response.content.decode()
    page = check_described_fields(html, errors_expected=False)
    assert html.count('role="alert"') == 1 and "data-form-errors" in html
    username = page.by_id("id_username")
    assert username["aria-describedby"] == "id_username_helptext"
    assert page.by_id("id_username_helptext")["class"] == "field__help"


def test_the_password_reset_confirm_form_with_errors(client, world):
    uid = urlsafe_base64_encode(force_bytes(world.repairer.pk))
    token = reset_token.make_token(world.repairer)
    url = reverse("password_reset_confirm", args=[uid, token])
    set_url = client.get(url, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "court", "new_password2": "autre"})
    html = response.content.decode()
    page = check_described_fields(html)
    first = page.by_id("id_new_password1")
    assert first["aria-describedby"] == "id_new_password1_helptext"
    second = page.by_id("id_new_password2")
    assert second["aria-describedby"] == "id_new_password2_error"
    assert second["aria-invalid"] == "true"
    assert html.count('id="id_new_password2_error"') == 1


def test_the_rate_card_form_with_errors(client, world):
    login_as(client, world.repairer)
    response = client.post(reverse("tariffs:submit", args=[world.garage_a.pk]), {})
    page = check_described_fields(response.content.decode())
    labour = page.by_id("id_labour_t1")
    assert labour["aria-describedby"] == "id_labour_t1_helptext id_labour_t1_error"
    group = next(a for t, a in page.elements if t == "fieldset" and "field--group" in a["class"])
    assert group["aria-describedby"] == "id_tax_basis_error"


def test_the_staff_garage_forms_with_errors(client, world):
    login_as(client, world.manager)
    url = reverse("staff:account_create", args=[world.garage_a.pk])
    response = client.post(url, {"email": "pas-une-adresse"})
    assert response.status_code == 400
    check_described_fields(response.content.decode())
