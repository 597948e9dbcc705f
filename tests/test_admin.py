"""Administrators can search every model in Django's admin; nobody else gets in."""

import pytest
from django.contrib import admin
from django.urls import reverse

from connect.testing import login_as

pytestmark = pytest.mark.django_db
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_admin_changelist_and_search_work(model, client, world):
    login_as(client, world.admin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    if admin.site._registry[model].search_fields:
        assert client.get(url, {"q": "99677"}).status_code == 200


def test_every_portal_model_is_reachable_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    inline_only = {
        "Membership",
        "Step",
        "Message",
        "RateCardFlatRate",
        "Shot",
        "InvoiceStateChange",
        "ClientMember",
    }
    # Bookkeeping rows (seen marks, idempotency keys, pending digests, job leases and
    # delivery records) need no admin page.
    bookkeeping = {
        "DossierSeen",
        "DocumentSeen",
        "ThreadSeen",
        "PendingNotification",
        "IdempotencyKey",
        "MonthlyReport",
        "Lease",
        "Delivery",
        "WorkerBeat",
        # The list's counts kept by the writers and their nightly check (dossiers/kept.py).
        "CountMark",
        "KeptCounts",
        "KeptExamDay",
        "CountsCheck",
    }
    missing = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("connect.")
        and model not in registered
        and model.__name__ not in inline_only | bookkeeping
    ]
    assert missing == []
