"""The list's counts kept by the writers (connect/dossiers/kept.py): 0 drift after every writer.

Each test starts from the nightly repair (the fixtures' dossiers are written without the touch
path), writes through one writer, then recounts without repairing: nothing is off, and the kept
counts equal the list's own aggregate. The concurrent writers run on PostgreSQL only.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from connect.api.models import ApiToken
from connect.dossiers import kept
from connect.dossiers.ball import reads_as_firm
from connect.dossiers.models import CountMark, Dossier, KeptCounts, Tab
from connect.dossiers.queries import tab_counts, visible_dossiers
from connect.testing import ApiClient, at_once, dossier_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_kept(world):
    kept.check(repair=True)
    return world


@pytest.fixture
def api(client):
    return ApiClient(client, ApiToken.issue("gestion")[1])


def no_drift(*garages) -> None:
    record = kept.check(repair=False)
    assert (record.drifted_garages, record.drift) == (0, 0)
    for user in garages:
        fresh = tab_counts(user, visible_dossiers(user))
        held = kept.kept_counts(
            visible_dossiers(user).values_list("garage_id", flat=True).distinct(),
            timezone.localdate(),
        )
        if reads_as_firm(user):  # the staff's "À traiter" is what waits on the firm
            held[Tab.TO_HANDLE.value] = held["firm-to-handle"]
        for tab in Tab:
            assert held[tab.value] == fresh[tab.value], tab


def test_the_nightly_check_reports_and_repairs_a_write_that_skipped_the_touch_path(
    world_kept, caplog
):
    Dossier.objects.filter(pk=world_kept.dossier_a.pk).update(awaiting_invoice=True)
    with caplog.at_level(logging.WARNING, logger="connect.counts"):
        record = kept.check(repair=False)
    assert (record.drifted_garages, record.drift) == (1, 2)  # ongoing -1, awaiting invoice +1
    assert "drifted" in caplog.text
    assert kept.check(repair=True).drift == 2
    no_drift(world_kept.repairer)


def test_the_metric_shows_the_last_check(world_kept, client, settings):
    from connect.ops.metrics import exposition

    Dossier.objects.filter(pk=world_kept.dossier_b.pk).update(archived=True)
    kept.check(repair=True)
    body = exposition()[0].decode()
    assert "connect_counts_drift 2.0" in body  # "tous" and "en cours" each off by one
    assert "connect_counts_drifted_garages 1.0" in body


def test_the_core_system_batch_and_put(world_kept, api):
    items = [
        {"reference": f"8800{n}", **dossier_payload(garage="GA", awaiting_invoice=n % 2 == 0)}
        for n in range(6)
    ]
    assert api.post("/api/v1/dossiers/batch", {"dossiers": items}).status_code == 200
    no_drift(world_kept.repairer)
    flipped = [
        {**item, "awaiting_invoice": not item["awaiting_invoice"], "garage": "GB"}
        if n < 3
        else {**item, "archived": True, "appointment_at": "2030-01-02T10:00:00+01:00"}
        for n, item in enumerate(items)
    ]
    assert api.post("/api/v1/dossiers/batch", {"dossiers": flipped}).status_code == 200
    no_drift(world_kept.repairer, world_kept.other_repairer, world_kept.expert)
    exam = {**dossier_payload(garage="GC"), "appointment_at": "2030-01-02T10:00:00+01:00"}
    assert api.put("/api/v1/dossiers/88000", exam).status_code == 200
    assert api.put("/api/v1/dossiers/88009", exam).status_code == 201
    no_drift(world_kept.repairer, world_kept.other_expert)
    assert kept.kept_counts([world_kept.garage_c.pk], date(2030, 1, 2))["examens"] == 2
    assert kept.kept_counts([world_kept.garage_c.pk], date(2030, 1, 3))["examens"] == 0


def test_messages_documents_and_staff_actions(world_kept):
    from connect.documents.tests.helpers import add_pdf
    from connect.messaging import subjects
    from connect.messaging.services import open_thread
    from connect.staff.services import set_thread_status

    add_pdf(world_kept.dossier_a)
    no_drift(world_kept.repairer)
    thread = open_thread(
        dossier=world_kept.dossier_b,
        subject_key=subjects.METHODOLOGY.key,
        author=world_kept.other_repairer,
        body="Une question.",
    ).thread
    no_drift(world_kept.other_repairer, world_kept.expert)
    assert KeptCounts.objects.get(garage=world_kept.garage_b).firm_to_handle == 1
    set_thread_status(thread=thread, status="closed")
    no_drift(world_kept.other_repairer, world_kept.expert)


def test_supplements_and_invoices(world_kept):
    from connect.invoices.services import validate_invoice
    from connect.invoices.tests.helpers import send_invoice
    from connect.supplements.services import (
        SupplementDraft,
        decide_supplement,
        submit_supplement,
    )

    dossier = world_kept.dossier_a
    supplement = submit_supplement(
        dossier=dossier, by=world_kept.repairer, draft=SupplementDraft(Decimal("300.00"))
    )
    no_drift(world_kept.repairer, world_kept.expert)
    decide_supplement(supplement=supplement, by=world_kept.expert, outcome="accepted")
    no_drift(world_kept.repairer, world_kept.expert)
    invoice = send_invoice(dossier, world_kept.repairer)
    no_drift(world_kept.repairer, world_kept.expert)
    validate_invoice(invoice=invoice, by=world_kept.advisor, amount_incl_vat=Decimal("100.00"))
    no_drift(world_kept.repairer, world_kept.expert)


def test_an_exam_confirmed_and_a_dossier_deleted_in_the_admin(world_kept):
    from connect.messaging.models import ExamRequest
    from connect.messaging.services import confirm_exam, request_field_exam, visit_dates

    request_field_exam(
        dossier=world_kept.dossier_a,
        requested_date=visit_dates(world_kept.garage_a)[0],
        reason="Choc arrière",
        author=world_kept.repairer,
        body="",
    )
    confirm_exam(
        exam=ExamRequest.objects.get(),
        by=world_kept.expert,
        at=timezone.now() + timedelta(days=2),
    )
    no_drift(world_kept.repairer)
    from django.contrib.admin import site

    site._registry[Dossier].delete_model(None, world_kept.dossier_a)  # the admin's delete
    assert not CountMark.objects.filter(dossier_id=world_kept.dossier_a.pk).exists()
    no_drift(world_kept.repairer)


def _default(name: str):
    """A dossier field's default as a value (a database default's own value)."""
    value = Dossier._meta.get_field(name).get_default()
    return getattr(getattr(value, "expression", None), "value", value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_no_drift(world):
    """Batches flipping counted facts over the same dossiers, moving some between garages,
    while messages and documents land on them: every delta lands once."""
    from connect.documents.tests.helpers import add_pdf
    from connect.dossiers.services import SYNCED_FIELDS, upsert_dossiers

    kept.check(repair=True)
    garages = [world.garage_a.pk, world.garage_b.pk, world.garage_c.pk]
    references = [f"7700{n:02d}" for n in range(30)]

    def rows(turn: int) -> dict:
        return {
            reference: {
                # Every field the writer syncs, at its default, then the payload's values.
                **{name: _default(name) for name in SYNCED_FIELDS},
                **dict.fromkeys(("expert_id", "advisor_id", "repair_amount", "client_id")),
                **{
                    name: value
                    for name, value in dossier_payload().items()
                    if name not in ("garage", "expert_email", "advisor_email", "repair_amount")
                },
                "garage_id": garages[(n + turn) % 3],
                "awaiting_invoice": (n + turn) % 2 == 0,
                "archived": (n * turn) % 7 == 3,
            }
            for n, reference in enumerate(sorted(references))
        }

    upsert_dossiers(rows=rows(0))
    turns = iter(range(1, 100))

    def write():
        turn = next(turns)
        if turn % 3 == 0:
            dossier = Dossier.objects.get(reference=references[turn % 30])
            add_pdf(dossier, name=f"r{turn}.pdf")
        else:
            upsert_dossiers(rows=rows(turn))

    at_once(write, 6)
    at_once(write, 6)
    no_drift(world.repairer, world.other_repairer, world.expert, world.other_expert)
