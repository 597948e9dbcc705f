"""The staff release a document to the insured and see whether the insured follows the dossier."""

import pytest
from django.urls import reverse

from connect.documents.tests.helpers import add_pdf
from connect.testing import PASSWORD, login_as

pytestmark = pytest.mark.django_db


def release_url(dossier, document):
    return reverse("staff:document_release", args=[dossier.code, document.code])


def test_staff_release_and_withdraw_a_document_for_the_insured(client, world):
    d = world.dossier_a
    d.insured_email = world.insured.email
    d.save()
    report = add_pdf(d)
    insured_url = reverse("insured:document", args=[d.code, report.code])
    login_as(client, world.expert)
    response = client.post(release_url(d, report), {"released": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.released_to_insured
    page = client.get(reverse("staff:dossier_documents", args=[d.code])).content.decode()
    assert "Retirer" in page and "Visible par l'assuré" in page
    assert login_as(client, world.insured).get(insured_url).status_code == 200
    login_as(client, world.expert).post(release_url(d, report), {"released": "0"})
    assert login_as(client, world.insured).get(insured_url).status_code == 404


def test_only_the_units_staff_may_release(client, world):
    report = add_pdf(world.dossier_a)
    for user in (world.other_expert, world.repairer, world.insured):
        response = login_as(client, user).post(
            release_url(world.dossier_a, report), {"released": "1"}
        )
        assert response.status_code == 404, user.email
    report.refresh_from_db()
    assert not report.released_to_insured


def test_the_staff_see_whether_the_insured_follows_and_when_they_came(client, world):
    d = world.dossier_a
    page_url = reverse("staff:dossier_documents", args=[d.code])
    login_as(client, world.expert)
    assert "Aucune adresse e-mail d'assuré" in client.get(page_url).content.decode()
    d.insured_email = "marie@exemple.fr"
    d.save()
    assert "Ne suit pas encore le dossier" in client.get(page_url).content.decode()
    d.insured_email = world.insured.email
    d.save()
    client.logout()
    client.post(reverse("login"), {"username": world.insured.email, "password": PASSWORD})
    login_as(client, world.expert)
    page = client.get(page_url).content.decode()
    assert "Suit le dossier" in page and "dernière visite le" in page
    d.insured_access = False
    d.save()
    assert "Suivi fermé" in client.get(page_url).content.decode()
