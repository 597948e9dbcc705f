from datetime import timedelta

from django.utils import timezone

from connect.dossiers.models import Dossier, DossierSeen
from connect.dossiers.novelty import mark_documents_seen, mark_messages_seen, with_novelty


def flags(user, dossier):
    row = with_novelty(Dossier.objects.filter(pk=dossier.pk), user).get()
    return row.has_new_documents, row.has_new_messages


def test_a_dossier_without_activity_is_no_novelty(world):
    assert flags(world.repairer, world.dossier_a) == (False, False)


def test_a_document_never_seen_is_a_novelty_until_marked_seen(world):
    dossier = world.dossier_a
    dossier.last_document_at = timezone.now() - timedelta(minutes=1)
    dossier.save()
    assert flags(world.repairer, dossier) == (True, False)
    mark_documents_seen(world.repairer, dossier)
    assert flags(world.repairer, dossier) == (False, False)
    # Seen-state is per user: the colleague has not seen it.
    assert flags(world.colleague, dossier) == (True, False)


def test_a_newer_message_is_a_novelty_again(world):
    dossier = world.dossier_a
    now = timezone.now()
    dossier.last_message_at = now - timedelta(hours=2)
    dossier.save()
    mark_messages_seen(world.repairer, dossier, at=now - timedelta(hours=1))
    assert flags(world.repairer, dossier) == (False, False)
    dossier.last_message_at = now
    dossier.save()
    assert flags(world.repairer, dossier) == (False, True)


def test_marking_twice_keeps_one_row_and_both_timestamps(world):
    mark_documents_seen(world.repairer, world.dossier_a)
    mark_messages_seen(world.repairer, world.dossier_a)
    mark_documents_seen(world.repairer, world.dossier_a)
    seen = DossierSeen.objects.get(user=world.repairer, dossier=world.dossier_a)
    assert seen.documents_seen_at and seen.messages_seen_at
    assert DossierSeen.objects.count() == 1
