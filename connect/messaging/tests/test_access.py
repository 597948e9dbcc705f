"""The one thread door, called directly: by dossier (repairer URLs) or by the staff scope."""

import uuid

import pytest
from django.http import Http404

from connect.messaging.access import access_thread
from connect.messaging.services import open_thread


def _thread(world, dossier, key="divers", author=None):
    return open_thread(
        dossier=dossier, subject_key=key, author=author or world.repairer, body="Bonjour"
    ).thread


def test_a_thread_is_found_under_its_own_dossier_only(world):
    thread = _thread(world, world.dossier_a)
    found = access_thread(world.repairer, thread.code, dossier=world.dossier_a)
    assert found == thread and found.dossier is world.dossier_a
    for dossier, code in ((world.dossier_b, thread.code), (world.dossier_a, uuid.uuid4())):
        with pytest.raises(Http404):
            access_thread(world.repairer, code, dossier=dossier)


def test_without_a_dossier_the_staff_scope_decides_and_the_dossier_door_opens_it(world):
    expert_thread = _thread(world, world.dossier_a, key="expert")
    found = access_thread(world.expert, expert_thread.code)
    assert found == expert_thread and found.dossier == world.dossier_a
    advisor_thread = _thread(world, world.dossier_a)
    other_unit = _thread(world, world.dossier_c, key="expert", author=world.other_repairer)
    for user, thread in (
        (world.expert, advisor_thread),  # another role's thread
        (world.expert, other_unit),  # another unit's thread
        (world.repairer, expert_thread),  # no staff scope
    ):
        with pytest.raises(Http404):
            access_thread(user, thread.code)
    assert access_thread(world.manager, advisor_thread.code) == advisor_thread
