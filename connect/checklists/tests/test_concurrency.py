"""Two moves on one item at once (PostgreSQL, real connections): the row lock lets one win and
the other is refused; nothing is recorded twice."""

import pytest
from django.db import connection

from connect.api.models import Event
from connect.checklists.models import ItemStatus, RequestItem
from connect.checklists.services import (
    ItemNotAwaited,
    ItemSpec,
    answer_item,
    ask_again,
    create_request,
    mark_received,
)
from connect.testing import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def outcome(move):
    def run():
        try:
            move()
        except ItemNotAwaited:
            return "refused"
        return "done"

    return run


def test_two_answers_at_once_one_wins(world):
    request = create_request(dossier=world.dossier_a, by=world.expert, items=[ItemSpec("Photo")])
    item = request.items.get()
    item.request.dossier = world.dossier_a
    results = at_once(outcome(lambda: answer_item(item=item, by=world.repairer, note="x")), 2)
    assert sorted(results) == ["done", "refused"]
    assert Event.objects.filter(kind="request_item.answered").count() == 1


def test_a_tick_and_an_ask_again_at_once_one_wins(world):
    request = create_request(dossier=world.dossier_a, by=world.expert, items=[ItemSpec("Photo")])
    item = answer_item(item=request.items.get(), by=world.repairer, note="x")
    moves = iter(
        [
            lambda: mark_received(item=item, by=world.expert),
            lambda: ask_again(item=item, by=world.expert, reason="Floue"),
        ]
    )
    results = at_once(lambda: outcome(next(moves))(), 2)
    assert sorted(results) == ["done", "refused"]
    status = RequestItem.objects.get().status
    assert status in (ItemStatus.RECEIVED, ItemStatus.ASKED_AGAIN)
    checked = Event.objects.filter(kind__in=["request_item.received", "request_item.asked_again"])
    assert checked.count() == 1
