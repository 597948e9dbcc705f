import threading

import pytest
from django.db import connection, connections, transaction

from connect.api.events import record_event
from connect.api.models import Event


def feed(api, **params):
    response = api.get("/api/v1/events", **params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_serves_events_in_order_from_a_cursor(api, world):
    for n in range(5):
        record_event("message.sent", payload={"n": n}, dossier=world.dossier_a)
    first = feed(api, limit=3)
    assert [e["payload"]["n"] for e in first["events"]] == [0, 1, 2]
    assert first["has_more"] is True
    rest = feed(api, after=first["next_cursor"], limit=3)
    assert [e["payload"]["n"] for e in rest["events"]] == [3, 4]
    assert rest["has_more"] is False
    assert feed(api, after=rest["next_cursor"])["events"] == []
    assert feed(api, after=rest["next_cursor"])["next_cursor"] == rest["next_cursor"]


def test_an_event_names_its_garage_and_dossier(api, world):
    event = record_event("invoice.sent", payload={"amount": "120.00"}, dossier=world.dossier_a)
    served = feed(api)["events"][0]
    assert served == {
        "id": event.id,
        "cursor": event.cursor,
        "kind": "invoice.sent",
        "created_at": served["created_at"],
        "garage": "GA",
        "dossier": "99677",
        "payload": {"amount": "120.00"},
        "documents": [],
    }


def test_a_bad_cursor_or_limit_is_a_422(api, world):
    assert feed(api, after="0.0")["events"] == []
    for params in ({"after": "x"}, {"after": "1.-2"}, {"limit": 0}, {"limit": 5000}):
        response = api.get("/api/v1/events", **params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"


def test_an_event_rolled_back_with_its_change_is_never_served(api, world):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("message.sent", payload={}, garage=world.garage_a)
        raise RuntimeError
    assert feed(api)["events"] == []


def test_a_page_of_events_costs_a_constant_number_of_queries(
    api, world, django_assert_max_num_queries
):
    for n in range(30):
        record_event("message.sent", payload={"n": n}, dossier=world.dossier_a)
    with django_assert_max_num_queries(4):
        assert len(feed(api, limit=30)["events"]) == 30


@pytest.mark.django_db(transaction=True)
def test_an_event_committed_late_is_not_skipped(world, token):
    """Two connections: the later event id commits first; the feed waits for the earlier one."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: id order is commit order there")
    from django.test import Client

    from connect.testing import ApiClient

    api = ApiClient(Client(), token[1])
    early_written, late_committed, release = (threading.Event() for _ in range(3))

    def early_transaction():
        try:
            with transaction.atomic():
                record_event("message.sent", payload={"who": "early"}, garage=world.garage_a)
                early_written.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=early_transaction)
    thread.start()
    early_written.wait(10)
    with transaction.atomic():
        late = record_event("message.sent", payload={"who": "late"}, garage=world.garage_a)
    late_committed.set()

    held = feed(api)
    assert held["events"] == []  # the later event waits for the earlier transaction
    release.set()
    thread.join()
    served = feed(api, after=held["next_cursor"])["events"]
    assert [e["payload"]["who"] for e in served] == ["early", "late"]
    assert [e["id"] for e in served] == sorted(Event.objects.values_list("id", flat=True))
    assert served[1]["id"] == late.id


@pytest.mark.django_db(transaction=True)
def test_a_consumer_polling_during_concurrent_writes_gets_every_event_once(world, token):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: id order is commit order there")
    from django.test import Client

    from connect.testing import ApiClient

    api = ApiClient(Client(), token[1])
    writers_done = threading.Event()

    def writer(name):
        try:
            for n in range(40):
                with transaction.atomic():
                    record_event("message.sent", payload={"w": name, "n": n}, garage=world.garage_a)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in "abc"]
    for thread in threads:
        thread.start()
    seen, cursor = [], None
    while True:
        done = writers_done.is_set()
        page = feed(api, **({"after": cursor} if cursor else {}), limit=7)
        seen += [e["id"] for e in page["events"]]
        cursor = page["next_cursor"]
        if done and not page["has_more"]:
            break
        if all(not t.is_alive() for t in threads):
            writers_done.set()
    assert len(seen) == len(set(seen)) == 120
