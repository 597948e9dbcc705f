"""The dossier de preuves (issue 28): every file, a signed manifest, a chain of events; the
same dossier gives the same bytes, and the portal's command and the standalone verifier both
refuse a flipped byte, a dropped or added file, a reordered event, another key."""

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from connect.api.events import record_event
from connect.api.models import ApiToken
from connect.documents.provenance import Provenance
from connect.documents.services import add_document
from connect.documents.tests import photos
from connect.documents.tests.helpers import add_pdf
from connect.evidence.pack import GENESIS, build, chain
from connect.evidence.verification import verify_pack
from connect.lib import seal as signer
from connect.testing import login_as

pytestmark = pytest.mark.django_db
VERIFIER = Path(settings.BASE_DIR) / "tools" / "verify_evidence.py"
OK = "Dossier de preuves vérifié : signature, fichiers, sceaux et chaîne des événements."


@pytest.fixture
def dossier(world):
    dossier = world.dossier_a
    data = photos.good(taken=datetime(2026, 3, 12, 10, 42))
    add_document(
        dossier=dossier,
        file=photos.upload(data),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(
            shot="plaque",
            captured_at="2026-03-12T09:42Z",
            latitude="48.85",
            longitude="2.35",
            sha256=hashlib.sha256(data).hexdigest(),
        ),
    )
    add_pdf(dossier)
    for number in range(3):
        record_event("message.created", payload={"n": number}, dossier=dossier)
    record_event("message.created", payload={"other": True}, dossier=world.dossier_b)
    return dossier


def pack_bytes(dossier) -> bytes:
    with build(dossier) as pack:
        return pack.read()


def write(tmp_path, data: bytes, name="pack.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def resign(files: dict[str, bytes], manifest: dict, private=None) -> bytes:
    """The manifest changed and signed again: by the portal's key unless `private` is given."""
    data = signer.canonical(manifest)
    if private is None:
        key_id, signature = signer.sign_bytes(data)
    else:
        key_id, signature = "dev", signer.b64(private.sign(data))
    files = dict(files, **{"manifest.json": data})
    files["signature.json"] = signer.canonical({"key_id": key_id, "signature": signature})
    return rezip(files)


def test_the_pack_holds_every_file_the_manifest_and_the_signature(dossier, world):
    files = entries(pack_bytes(dossier))
    names = list(files)
    assert names[:2] == ["README.txt", "verify_evidence.py"]
    assert names[-2:] == ["manifest.json", "signature.json"]
    assert [n.split(" - ")[0] for n in names[2:-2]] == ["documents/001", "documents/002"]
    manifest = json.loads(files["manifest.json"])
    assert manifest["dossier"]["reference"] == dossier.reference
    photo, pdf = manifest["documents"]
    assert photo["server"]["sha256"] == hashlib.sha256(files[photo["path"]]).hexdigest()
    assert photo["server"]["seal"]["key_id"] == "dev"
    assert photo["device"]["captured_at"] == "2026-03-12T09:42:00.000000Z"
    assert photo["device"]["sha256"] == photo["server"]["sha256"]
    assert (photo["device"]["latitude"], photo["readings"]) == ("48.850000", [])
    assert pdf["device"]["captured_at"] is None and pdf["type"] == "rapport_expertise"
    # The dossier's own events, in order, each chained to the previous one.
    events = manifest["events"]
    assert [event["payload"] for event in events] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert events[0]["previous"] == GENESIS and events[1]["previous"] == events[0]["hash"]
    assert manifest["events_head"] == events[2]["hash"]
    assert "verify_evidence.py" in files["README.txt"].decode()


def test_building_the_same_pack_twice_gives_the_same_bytes(dossier):
    first, second = pack_bytes(dossier), pack_bytes(dossier)
    assert first == second
    record_event("message.created", payload={"n": 3}, dossier=dossier)
    assert pack_bytes(dossier) != first


def test_the_portal_and_the_standalone_verifier_accept_an_untouched_pack(dossier, tmp_path):
    path = write(tmp_path, pack_bytes(dossier))
    assert verify_pack(path) == []
    out = io.StringIO()
    call_command("verify_evidence", str(path), stdout=out)
    assert OK in out.getvalue()
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(signer.published()))
    # Outside the project, isolated (-I): the script needs Python and `cryptography` only.
    script = tmp_path / "verify_evidence.py"
    script.write_bytes(entries(path.read_bytes())["verify_evidence.py"])
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(path), "--keys", str(keys)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0 and OK in run.stdout, run.stderr


def standalone(path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(signer.published()))
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(path), "--keys", str(keys)],
        capture_output=True,
        text=True,
        check=False,
    )


def flipped_byte(files, manifest):
    path = manifest["documents"][0]["path"]
    content = bytearray(files[path])
    content[len(content) // 2] ^= 0x01
    return rezip(dict(files, **{path: bytes(content)}))


def dropped_file(files, manifest):
    return rezip({k: v for k, v in files.items() if k != manifest["documents"][1]["path"]})


def added_file(files, manifest):
    return rezip(dict(files, **{"documents/003 - ajout.pdf": b"%PDF-1.4 ajout"}))


def reordered_events(files, manifest):
    events = manifest["events"]
    manifest = dict(manifest, events=[events[1], events[0], events[2]])
    return resign(files, manifest)


def edited_event(files, manifest):
    events = [dict(manifest["events"][0], payload={"n": 99}), *manifest["events"][1:]]
    return resign(files, dict(manifest, events=events))


def another_key(files, manifest):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return resign(files, manifest, private=Ed25519PrivateKey.generate())


def unknown_key(files, manifest):
    signature = json.loads(files["signature.json"])
    return rezip(dict(files, **{"signature.json": json.dumps(dict(signature, key_id="x"))}))


def edited_manifest(files, manifest):
    manifest = dict(manifest, dossier=dict(manifest["dossier"], plate="ZZ-999-ZZ"))
    return rezip(dict(files, **{"manifest.json": signer.canonical(manifest)}))


def forged_document(files, manifest):
    """Another photo put in, with the manifest rebuilt and signed: its seal of arrival fails."""
    path = manifest["documents"][0]["path"]
    content = files[path] + b"\x00"
    documents = [dict(manifest["documents"][0]), *manifest["documents"][1:]]
    server = dict(documents[0]["server"], sha256=hashlib.sha256(content).hexdigest())
    documents[0] = dict(documents[0], server=dict(server, size=len(content)))
    listed = [
        dict(entry, sha256=server["sha256"], size=len(content)) if entry["path"] == path else entry
        for entry in manifest["files"]
    ]
    manifest = dict(manifest, documents=documents, files=listed)
    return resign(dict(files, **{path: content}), manifest)


TAMPERINGS = {
    flipped_byte: "Fichier modifié : documents/001",
    dropped_file: "Fichier manquant : documents/002",
    added_file: "Fichier ajouté, absent du manifeste : documents/003 - ajout.pdf",
    reordered_events: "Chaîne des événements rompue à l'événement n° 1.",
    edited_event: "Événement n° 1 modifié (empreinte différente).",
    another_key: "Signature du manifeste invalide : le manifeste a été modifié.",
    unknown_key: "Signé par une clé inconnue ('x') : non vérifiable.",
    edited_manifest: "Signature du manifeste invalide : le manifeste a été modifié.",
    forged_document: "Sceau de réception invalide : documents/001",
}


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda tamper: tamper.__name__)
def test_any_tampering_fails_both_verifiers(dossier, tmp_path, tamper):
    files = entries(pack_bytes(dossier))
    path = write(tmp_path, tamper(files, json.loads(files["manifest.json"])))
    expected = TAMPERINGS[tamper]
    failures = verify_pack(path)
    assert any(failure.startswith(expected) for failure in failures), failures
    with pytest.raises(CommandError, match="ÉCHEC"):
        call_command("verify_evidence", str(path))
    run = standalone(path, tmp_path)
    assert run.returncode == 1 and f"ÉCHEC : {expected}" in run.stdout, run.stdout + run.stderr


def test_a_pack_signed_with_a_retired_key_still_verifies(dossier, tmp_path):
    old, old_public = signer.new_key("2026-06")
    new, _ = signer.new_key("2026-12")
    with override_settings(EVIDENCE_SIGNING_KEYS=[old]):
        path = write(tmp_path, pack_bytes(dossier))
    with override_settings(EVIDENCE_SIGNING_KEYS=[new], EVIDENCE_RETIRED_KEYS=[old_public]):
        assert json.loads(entries(path.read_bytes())["signature.json"])["key_id"] == "2026-06"
        # Its documents were sealed by the development key, which these settings do not hold.
        assert verify_pack(path) == [
            "Sceau de réception invalide : " + m["path"]
            for m in json.loads(entries(path.read_bytes())["manifest.json"])["documents"]
        ]


def test_garbage_is_refused_not_crashed_on(tmp_path):
    assert verify_pack(write(tmp_path, b"not a zip"))[0].startswith("ZIP illisible")
    assert verify_pack(write(tmp_path, rezip({"a": b"b"}))) == [
        "manifest.json ou signature.json manquant."
    ]
    broken = rezip({"manifest.json": b'{"format": 1}', "signature.json": b"[]"})
    assert verify_pack(write(tmp_path, broken)) == [
        "manifest.json ou signature.json n'est pas un objet JSON."
    ]
    odd = rezip({"manifest.json": b'{"format": 1, "files": [1]}', "signature.json": b"{}"})
    assert verify_pack(write(tmp_path, odd))[-1].startswith("Manifeste incomplet ou mal formé")


def test_a_dossier_without_events_chains_nothing(world, tmp_path):
    assert chain([]) == []
    path = write(tmp_path, pack_bytes(world.dossier_b))
    assert json.loads(entries(path.read_bytes())["manifest.json"])["events_head"] == GENESIS
    assert verify_pack(path) == []


def test_staff_download_the_pack_from_the_dossier_documents_page(client, world, dossier):
    login_as(client, world.expert)
    page = client.get(reverse("staff:dossier_documents", kwargs={"code": dossier.code}))
    url = reverse("staff:evidence_pack", kwargs={"code": dossier.code})
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert (
        f'filename="dossier-de-preuves-{dossier.reference}.zip"' in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == pack_bytes(dossier)
    for outsider in (world.repairer, world.other_expert):
        assert login_as(client, outsider).get(url).status_code == 404


def test_the_core_system_gets_the_same_pack_through_the_api(client, dossier):
    key = ApiToken.issue("core")[1]
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get(f"/api/v1/dossiers/{dossier.reference}/evidence", headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content) == pack_bytes(dossier)
    missing = client.get("/api/v1/dossiers/INCONNU/evidence", headers=headers)
    assert missing.status_code == 404
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/dossiers/{reference}/evidence"]["get"]
    assert "application/zip" in operation["responses"]["200"]["content"]
