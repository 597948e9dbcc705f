"""The list's counts cache (connect/dossiers/counts.py): used when fresh, never stale.

The garages' counts are kept by the writers (connect/dossiers/kept.py); the fixtures' dossiers
are written without the touch path, so each test starts from the nightly repair (`check`).

Each test writes through one of the paths that change what the list counts — the core system's
PUT and batch, a firm document, a firm message, an exam confirmed, the user's own seen rows, a
new membership — and sees the new counts on the very next page. The writes commit for real
(transactional tests): the touch path runs on commit.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Membership
from connect.api.models import ApiToken
from connect.documents.tests.helpers import add_pdf
from connect.dossiers.kept import check
from connect.dossiers.models import Dossier
from connect.messaging import subjects
from connect.messaging.models import ExamRequest
from connect.messaging.services import confirm_exam, open_thread, request_field_exam, visit_dates
from connect.testing import ApiClient, dossier_payload, login_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def cached(settings, world):
    settings.LIST_COUNTS_CACHE_SECONDS = 600
    check(repair=True)


def counts(client) -> dict:
    return client.get(reverse("home")).context["counts"]


def counting(client) -> list[str]:
    """The queries of a list page that read counts: the kept rows (kept.py) or a COUNT."""
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    sql = [query["sql"] for query in queries.captured_queries]
    return [q for q in sql if "COUNT(" in q.upper() or "dossiers_kept" in q]


def count_queries(client) -> int:
    return len(counting(client))


@pytest.fixture
def api(client, world):
    from django.test import Client

    return ApiClient(Client(), ApiToken.issue("gestion")[1])


def test_a_repeat_view_takes_the_counts_from_the_cache(client, world):
    login_as(client, world.repairer)
    # The garage's kept counts, its exam days, the user's own seen rows; no dossier counted.
    queries = counting(client)
    assert len(queries) == 3
    assert sum("dossiers_kept" in q for q in queries) == 2
    assert count_queries(client) == 0
    login_as(client, world.expert)  # staff: their unit's garages, summed from kept rows
    assert count_queries(client) == 3
    assert count_queries(client) == 0


def test_a_colleague_reuses_the_garage_counts_and_counts_only_their_own_seen_rows(client, world):
    from connect.dossiers.novelty import mark_documents_seen, mark_messages_seen
    from connect.dossiers.queries import tab_counts, visible_dossiers

    for n in range(4):  # novelties: a document, a message, both, neither
        world.dossier(
            f"7100{n}",
            world.garage_a,
            last_document_at=timezone.now() if n in (0, 2) else None,
            last_message_at=timezone.now() if n in (1, 2) else None,
        )
    check(repair=True)  # the factory's dossiers were written without the touch path
    seen = Dossier.objects.get(reference="71002")
    mark_documents_seen(world.repairer, seen)  # still new for them: the message
    mark_messages_seen(world.repairer, seen)  # now seen: no longer a novelty for them
    mark_documents_seen(world.repairer, Dossier.objects.get(reference="71001"))  # message: new
    login_as(client, world.repairer)
    mine = counts(client)
    assert mine == tab_counts(world.repairer, visible_dossiers(world.repairer))
    assert mine["novelties"] == 2
    login_as(client, world.colleague)
    # The garage's counts are kept rows: only the colleague's own seen rows are counted.
    assert sum("COUNT(" in q.upper() for q in counting(client)) == 1
    theirs = counts(client)
    assert theirs == tab_counts(world.colleague, visible_dossiers(world.colleague))
    assert theirs["novelties"] == 3 and theirs["tous"] == mine["tous"]


def test_a_core_system_put_is_counted_at_once(client, world, api):
    login_as(client, world.repairer)
    assert counts(client)["tous"] == 1
    payload = dossier_payload(garage="GA", mission_received_on="2026-11-21")
    assert api.put("/api/v1/dossiers/55501", payload).status_code == 201
    assert counts(client)["tous"] == 2
    assert api.put("/api/v1/dossiers/55501", {**payload, "archived": True}).status_code == 200
    assert counts(client)["tous"] == 1


def test_a_batch_that_moves_a_dossier_is_counted_in_both_garages(client, world, api):
    other = login_as(type(client)(), world.other_repairer)
    login_as(client, world.repairer)
    assert (counts(client)["tous"], counts(other)["tous"]) == (1, 1)
    moved = {"reference": "99677", **dossier_payload(garage="GB")}
    assert api.post("/api/v1/dossiers/batch", {"dossiers": [moved]}).status_code == 200
    assert (counts(client)["tous"], counts(other)["tous"]) == (0, 2)


def test_an_unchanged_batch_keeps_the_cached_counts(client, world, api):
    item = {"reference": "55502", **dossier_payload(garage="GA")}
    api.post("/api/v1/dossiers/batch", {"dossiers": [item]})
    login_as(client, world.repairer)
    counts(client)
    api.post("/api/v1/dossiers/batch", {"dossiers": [item]})  # nothing changes
    assert count_queries(client) == 0


def test_a_batch_of_labels_keeps_the_counts_and_one_of_counted_facts_replaces_them(
    client, world, api
):
    item = {"reference": "55504", **dossier_payload(garage="GA")}
    api.post("/api/v1/dossiers/batch", {"dossiers": [item]})
    login_as(client, world.repairer)
    before = counts(client)
    relabelled = {
        **item,
        "status_label": "EN COURS",
        "insured_name": "AUTRE NOM",
        "repair_amount": "9.99",
    }
    assert api.post("/api/v1/dossiers/batch", {"dossiers": [relabelled]}).status_code == 200
    assert count_queries(client) == 0  # nothing the counts read changed
    assert "AUTRE NOM" in client.get(reverse("home")).content.decode()  # the rows are read anew
    awaiting = {**relabelled, "awaiting_invoice": True}
    api.post("/api/v1/dossiers/batch", {"dossiers": [awaiting]})
    after = counts(client)
    assert after["attente-facture"] == before["attente-facture"] + 1
    assert after["en-cours"] == before["en-cours"] - 1
    archived = {**awaiting, "archived": True}
    api.post("/api/v1/dossiers/batch", {"dossiers": [archived]})
    assert counts(client)["tous"] == before["tous"] - 1


def test_a_batch_that_asks_for_ead_material_is_counted_exactly_tab_and_ball(client, world, api):
    # The ball is derived (connect/deadlines): the batch compares the counted facts after it is
    # recomputed, so an EAD awaited from the garage counts in "En attente EAD" and "À traiter".
    from connect.dossiers.queries import tab_counts, visible_dossiers

    item = {"reference": "55505", **dossier_payload(garage="GA")}
    api.post("/api/v1/dossiers/batch", {"dossiers": [item]})
    login_as(client, world.repairer)
    before = counts(client)
    ead = {**item, "remote_assessment": True, "awaiting_ead": True}
    api.post("/api/v1/dossiers/batch", {"dossiers": [ead]})
    after = counts(client)
    assert after == tab_counts(world.repairer, visible_dossiers(world.repairer))
    assert after["attente-ead"] == before["attente-ead"] + 1
    assert Dossier.objects.get(reference="55505").ball == "garage"
    assert after["a-traiter"] == before["a-traiter"] + 1


def test_a_firm_document_and_a_firm_message_are_novelties_at_once(client, world):
    login_as(client, world.repairer)
    assert counts(client)["novelties"] == 0
    add_pdf(world.dossier_a)
    assert counts(client)["novelties"] == 1
    client.get(reverse("dossier_detail", kwargs={"code": world.dossier_a.code}))  # seen
    assert counts(client)["novelties"] == 0
    open_thread(
        dossier=world.dossier_a,
        subject_key=subjects.FIRM_SUBJECT.key,
        author=world.expert,
        body="Merci de nous transmettre la facture.",
    )
    assert counts(client)["novelties"] == 1


def test_a_confirmed_exam_is_counted_in_upcoming_exams_at_once(client, world):
    login_as(client, world.repairer)
    assert counts(client)["examens"] == 0
    request_field_exam(
        dossier=world.dossier_a,
        requested_date=visit_dates(world.garage_a)[0],
        reason="Choc arrière",
        author=world.repairer,
        body="",
    )
    exam = ExamRequest.objects.get()
    confirm_exam(exam=exam, by=world.expert, at=timezone.now() + timedelta(days=2))
    assert counts(client)["examens"] == 1


def test_a_new_membership_widens_the_counts_at_once(client, world):
    login_as(client, world.repairer)
    assert counts(client)["tous"] == 1
    Membership.objects.create(user=world.repairer, garage=world.garage_b)
    assert counts(client)["tous"] == 2


def test_the_counts_follow_the_day(client, world, monkeypatch):
    Dossier.objects.filter(pk=world.dossier_a.pk).update(
        appointment_at=timezone.now() + timedelta(hours=1)
    )
    check(repair=True)  # a raw UPDATE skips the touch path: the nightly check repairs it
    login_as(client, world.repairer)
    assert counts(client)["examens"] == 1
    tomorrow = timezone.localdate() + timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert counts(client)["examens"] == 0  # a new day, a new key: the exam is past


def test_without_a_shared_cache_nothing_is_cached(client, world, settings):
    settings.LIST_COUNTS_CACHE_SECONDS = 0
    login_as(client, world.repairer)
    assert count_queries(client) == count_queries(client) == 1
