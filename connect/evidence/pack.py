"""The "dossier de preuves": one ZIP that anyone can check offline (issue 28).

Inside, in this order: `README.txt` (what the pack is and how to check it), the standalone
verifier `verify_evidence.py` (tools/), every document of the dossier under `documents/`
(oldest arrival first), `manifest.json` and `signature.json`.

The manifest lists every file with its SHA-256 and size; for each document what the portal
established on arrival (its hash, size, arrival time and its seal, connect/documents/seal.py)
apart from what the device declared (capture time, EXIF, position, hash, shot) and what was
read in it (`readings`); the dossier; and the dossier's events (connect/api/events.py, the
record of what was sent), each chained to the previous one by hash. `signature.json` is the
portal's Ed25519 signature (connect/lib/seal.py) of the exact bytes of `manifest.json`.

The same dossier gives the same bytes: no build time anywhere, every entry stored (no
compression whose output could vary) with the ZIP's fixed timestamp and mode, entries in a
fixed order, JSON with sorted keys. Files are copied from storage 256 KiB at a time into a
temporary file, never whole in memory.
"""

import hashlib
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from django.conf import settings

from connect.api.events import events_of
from connect.documents.archive import entry_name
from connect.documents.models import Document
from connect.documents.seal import VERSION as SEAL_VERSION
from connect.documents.seal import received_at
from connect.dossiers.models import Dossier
from connect.lib import seal as signer

FORMAT = "connect-evidence-pack/1"
GENESIS = "0" * 64
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 256 * 1024
VERIFIER = Path(settings.BASE_DIR) / "tools" / "verify_evidence.py"
README = Path(__file__).resolve().parent / "README.txt"
MEMORY_LIMIT = 8 * 1024 * 1024  # a larger pack spills to a temporary file on disk


def moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def file_name(dossier: Dossier) -> str:
    return f"dossier-de-preuves-{dossier.reference}.zip"


def chain(events) -> list[dict]:
    """Each event with its place, the previous event's hash and its own hash, which covers
    its content and that previous hash (tools/verify_evidence.py recomputes it)."""
    chained = []
    previous = GENESIS
    for number, event in enumerate(events, start=1):
        entry = {
            "seq": number,
            "id": event.id,
            "kind": event.kind,
            "at": moment(event.created_at),
            "payload": event.payload,
            "documents": event.document_codes,
            "previous": previous,
        }
        entry["hash"] = previous = hashlib.sha256(signer.canonical(entry)).hexdigest()
        chained.append(entry)
    return chained


def document_entry(document: Document, path: str) -> dict:
    seal = None
    if document.seal_signature:
        seal = {
            "v": SEAL_VERSION,
            "algorithm": signer.ALGORITHM,
            "key_id": document.seal_key_id,
            "signature": document.seal_signature,
        }
    return {
        "path": path,
        "code": str(document.code),
        "type": document.doc_type,
        "type_label": document.get_doc_type_display(),
        "title": document.title,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "origin": document.origin,
        "replaces": str(document.replaces.code) if document.replaces else None,
        # What the portal established itself, and sealed on arrival.
        "server": {
            "sha256": document.sha256,
            "size": document.size,
            "received_at": received_at(document),
            "seal": seal,
        },
        # What the phone and the file declared: not checked by the portal.
        "device": {
            "shot": document.shot,
            "shot_label": document.shot_label,
            "captured_at": moment(document.captured_at),
            "exif_taken_at": moment(document.exif_taken_at),
            "latitude": str(document.latitude) if document.latitude is not None else None,
            "longitude": str(document.longitude) if document.longitude is not None else None,
            "sha256": document.sha256_capture or None,
            "confirmed_plate": document.confirmed_plate or None,
        },
        "readings": document.readings or [],
    }


def dossier_entry(dossier: Dossier) -> dict:
    return {
        "reference": dossier.reference,
        "code": str(dossier.code),
        "claim_reference": dossier.claim_reference,
        "plate": dossier.plate,
        "vehicle": dossier.vehicle,
        "insurer": dossier.insurer,
        "mission_received_on": dossier.mission_received_on.isoformat()
        if dossier.mission_received_on
        else None,
        "repair_amount": str(dossier.repair_amount) if dossier.repair_amount is not None else None,
        "garage": {"name": dossier.garage.name, "siret": dossier.garage.siret},
    }


def build(dossier: Dossier) -> IO[bytes]:
    """The pack of `dossier`, as a file positioned at its start (the caller closes it)."""
    documents = list(
        Document.objects.filter(dossier=dossier)
        .select_related("replaces")
        .order_by("created_at", "id")
    )
    readme, verifier = README.read_bytes(), VERIFIER.read_bytes()
    paths = [f"documents/{n:03d} - {entry_name(d)}" for n, d in enumerate(documents, start=1)]
    files = [
        {"path": "README.txt", "sha256": _sha(readme), "size": len(readme)},
        {"path": "verify_evidence.py", "sha256": _sha(verifier), "size": len(verifier)},
        *(
            {"path": path, "sha256": document.sha256, "size": document.size}
            for document, path in zip(documents, paths, strict=True)
        ),
    ]
    events = chain(events_of(dossier))
    manifest = {
        "format": FORMAT,
        "portal": settings.PORTAL_URL,
        "keys_url": f"{settings.PORTAL_URL}/.well-known/connect-evidence-keys.json",
        "dossier": dossier_entry(dossier),
        "files": files,
        "documents": [document_entry(d, p) for d, p in zip(documents, paths, strict=True)],
        "events": events,
        "events_head": events[-1]["hash"] if events else GENESIS,
    }
    manifest_bytes = signer.canonical(manifest)
    key_id, signature = signer.sign_bytes(manifest_bytes)
    signature_bytes = signer.canonical(
        {
            "algorithm": signer.ALGORITHM,
            "key_id": key_id,
            "signed_file": "manifest.json",
            "signature": signature,
        }
    )
    out = tempfile.SpooledTemporaryFile(max_size=MEMORY_LIMIT)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        _write(archive, "README.txt", readme)
        _write(archive, "verify_evidence.py", verifier)
        for document, path in zip(documents, paths, strict=True):
            info = _info(path)
            info.file_size = document.size  # ZIP64 decided up front for a large file
            with document.file.open("rb") as source, archive.open(info, "w") as target:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    target.write(chunk)
        _write(archive, "manifest.json", manifest_bytes)
        _write(archive, "signature.json", signature_bytes)
    out.seek(0)
    return out


def _info(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _write(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
    archive.writestr(_info(path), data)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
