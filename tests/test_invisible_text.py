"""Free text typed into a portal form refuses invisible format characters (connect/lib/text.py).

A right-to-left override or a zero-width character makes a name or a message read otherwise
than it is; the API refuses them in every text field, the portal's forms do the same. The first
test keeps it so: every free-text field of every portal form is a `PlainTextField` (a new
`forms.CharField` for free text fails it).
"""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import connect
from connect.accounts.models import User
from connect.lib.text import PlainTextField
from connect.testing import login_as
from connect.updates.models import ServiceUpdate

RLO = "\u202e"
# Not free text: credentials and one-time codes are checked as they are typed.
NOT_FREE_TEXT = {"username", "password", "new_password1", "new_password2", "code"}


def portal_forms():
    for module_info in pkgutil.walk_packages(connect.__path__, "connect."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_free_text_field_of_a_portal_form_refuses_invisible_characters():
    plain = []
    for cls in portal_forms():
        for name, field in cls.base_fields.items():
            if type(field) is forms.CharField and name not in NOT_FREE_TEXT:
                plain.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert plain == []
    assert len(list(portal_forms())) >= 10  # the walk found the forms


def test_plain_text_field_names_the_field_and_normalises():
    field = PlainTextField(label="Nom complet")
    with pytest.raises(forms.ValidationError, match="Nom complet.*U\\+202E"):
        field.clean(f"Martin{RLO}sniF")
    assert field.clean("Cafe\u0301") == "Café"  # NFC


@pytest.mark.django_db
def test_a_hidden_override_in_a_new_account_name_stores_nothing(client, world):
    login_as(client, world.expert)
    url = reverse("staff:account_create", kwargs={"garage_id": world.garage_a.pk})
    data = {"email": "nouveau@garage.fr", "full_name": f"Jean {RLO}tnioP", "phone": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "caractères invisibles" in response.content.decode()
    assert not User.objects.filter(email="nouveau@garage.fr").exists()


@pytest.mark.django_db
def test_a_hidden_character_in_a_service_update_stores_nothing(client, world):
    login_as(client, world.expert)
    data = {
        "version": "24.9.9",
        "published_on": "2024-10-07",
        "title": f"Tarifs{RLO}",
        "body": "Texte",
        "audience": "repairers",
    }
    response = client.post(reverse("updates:create"), data)
    assert response.status_code in (200, 400)
    assert "caractères invisibles" in response.content.decode()
    assert not ServiceUpdate.objects.exists()
