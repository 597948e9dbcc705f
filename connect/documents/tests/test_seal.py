"""The server's seal (issue 28): an Ed25519 signature over the portal's own facts of each
document, made in add_document's transaction, verified with any of the published keys."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from connect.documents import seal
from connect.documents.checks import evidence_signing_key_set
from connect.documents.models import Document
from connect.documents.tests.helpers import add_pdf, add_photo
from connect.lib import seal as signer

pytestmark = pytest.mark.django_db
NEW, NEW_PUBLIC = signer.new_key("2026-12")
OLD, OLD_PUBLIC = signer.new_key("2026-06")


def fresh(document) -> Document:
    return Document.objects.select_related("dossier").get(pk=document.pk)


def test_every_document_is_sealed_on_arrival_over_the_portals_facts(world):
    document = fresh(add_pdf(world.dossier_a))
    assert document.seal_key_id == "dev" and len(signer.unb64(document.seal_signature)) == 64
    facts = seal.payload(document, dossier_reference=world.dossier_a.reference)
    assert facts == {
        "v": 1,
        "document": str(document.code),
        "sha256": document.sha256,
        "size": document.size,
        "received_at": seal.received_at(document),
        "dossier": world.dossier_a.reference,
        "readings": [],
    }
    assert facts["received_at"].endswith("Z") and len(facts["received_at"]) == 27
    assert seal.check(document)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: setattr(d, "sha256", "0" * 64),
        lambda d: setattr(d, "size", d.size + 1),
        lambda d: setattr(d, "created_at", d.created_at.replace(microsecond=1)),
        lambda d: setattr(d, "readings", [{"kind": "plate", "text": "AA-123-AA"}]),
        lambda d: setattr(d.dossier, "reference", "AUTRE"),
        lambda d: setattr(d, "seal_key_id", "2026-06"),
        lambda d: setattr(d, "seal_signature", d.seal_signature[:-4] + "AAAA"),
    ],
    ids=["hash", "size", "arrival", "readings", "dossier", "key id", "signature"],
)
def test_any_fact_changed_breaks_the_seal(world, change):
    document = fresh(add_photo(world.dossier_a))
    change(document)
    assert not seal.check(document)


def test_a_reading_that_lands_later_is_sealed_again(world):
    document = fresh(add_photo(world.dossier_a))
    document.readings = [{"kind": "plate", "text": "GG-010-MZ", "verdict": "match"}]
    Document.objects.filter(pk=document.pk).update(readings=document.readings)
    assert not seal.check(document)
    assert seal.seal_document(document)
    assert seal.check(fresh(document))


def test_rotation_the_newest_key_signs_and_every_key_verifies(world):
    with override_settings(EVIDENCE_SIGNING_KEYS=[OLD]):
        old = fresh(add_photo(world.dossier_a))
    assert old.seal_key_id == "2026-06"
    with override_settings(EVIDENCE_SIGNING_KEYS=[NEW, OLD]):
        new = fresh(add_photo(world.dossier_a))
        assert new.seal_key_id == "2026-12"
        assert seal.check(old) and seal.check(new)
    # The old private key destroyed, its public half kept: old seals still verify, nothing
    # signs with it.
    with override_settings(EVIDENCE_SIGNING_KEYS=[NEW], EVIDENCE_RETIRED_KEYS=[OLD_PUBLIC]):
        assert seal.check(old) and seal.check(new)
        assert signer.signing_key().id == "2026-12"
    # A key forgotten altogether: its seals no longer verify (never a silent pass).
    with override_settings(EVIDENCE_SIGNING_KEYS=[NEW]):
        assert not seal.check(old) and seal.check(new)


def test_the_public_keys_are_published_at_a_well_known_url(client):
    with override_settings(EVIDENCE_SIGNING_KEYS=[NEW, OLD], EVIDENCE_RETIRED_KEYS=[]):
        response = client.get("/.well-known/connect-evidence-keys.json")
    assert reverse("evidence_keys") == "/.well-known/connect-evidence-keys.json"
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["algorithm"] == "Ed25519"
    assert body["keys"] == [
        {"id": "2026-12", "public_key": NEW_PUBLIC.split(":")[1], "signs": True},
        {"id": "2026-06", "public_key": OLD_PUBLIC.split(":")[1], "signs": False},
    ]
    assert NEW.split(":")[1] not in response.content.decode()  # never the private seed


def test_production_without_a_key_fails_the_checks_and_stores_unsealed(world):
    with override_settings(DEBUG=False, TESTING=False, EVIDENCE_SIGNING_KEYS=[]):
        assert [error.id for error in evidence_signing_key_set(None)] == ["connect.E029"]
        document = fresh(add_pdf(world.dossier_a))
        assert document.seal_signature == ""
    with override_settings(DEBUG=False, TESTING=False, EVIDENCE_SIGNING_KEYS=[NEW]):
        assert evidence_signing_key_set(None) == []
        out = StringIO()
        call_command("seal_documents", stdout=out)
        assert "1 document(s) scellé(s)." in out.getvalue()
        assert fresh(document).seal_key_id == "2026-12" and seal.check(fresh(document))


@pytest.mark.parametrize("entry", ["nokey", "a b:AAAA", "k:not-base64!", "k:AAAA"])
def test_an_unreadable_key_is_refused_by_the_checks(entry):
    with override_settings(EVIDENCE_SIGNING_KEYS=[entry]):
        assert [error.id for error in evidence_signing_key_set(None)] == ["connect.E029"]


def test_evidence_key_prints_a_key_that_signs():
    out = StringIO()
    call_command("evidence_key", "--id", "2027-01", stdout=out)
    line = out.getvalue().splitlines()[0]
    assert line.startswith("EVIDENCE_SIGNING_KEYS=2027-01:")
    with override_settings(EVIDENCE_SIGNING_KEYS=[line.split("=", 1)[1]]):
        key_id, signature = signer.sign({"a": 1})
        assert key_id == "2027-01" and signer.verify({"a": 1}, key_id=key_id, signature=signature)
        assert not signer.verify({"a": 2}, key_id=key_id, signature=signature)
