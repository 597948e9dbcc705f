"""The server's seal on each document it receives (issue 28).

The seal is an Ed25519 signature (connect/lib/seal.py) over what the portal itself knows of the
document: its code, the SHA-256 and size of the bytes it stored, their arrival time, the
dossier's reference, and the readings of its content (`Document.readings`: the plate, VIN,
odometer or invoice read by the reading engine; an empty list until one is read).

It is made in `add_document`'s transaction, right after the row is written: signing costs
~0.1 ms, so no document is ever committed without its seal and no job can lag or be lost.
A reading that lands later re-seals the document (`seal_document` again, in the writer's
transaction): the seal always covers the readings shown. Without a signing key (production
misconfigured, connect.E029) the document is stored unsealed and `manage.py seal_documents`
seals it once a key is set.
"""

import logging
from datetime import UTC

from connect.lib import seal as signer

logger = logging.getLogger(__name__)
VERSION = 1


def received_at(document) -> str:
    """The arrival time as signed: UTC, microseconds, `Z`."""
    return document.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload(document, *, dossier_reference: str) -> dict:
    """What the seal signs: the portal's facts, never the phone's."""
    return {
        "v": VERSION,
        "document": str(document.code),
        "sha256": document.sha256,
        "size": document.size,
        "received_at": received_at(document),
        "dossier": dossier_reference,
        "readings": document.readings or [],
    }


def seal_document(document, *, dossier_reference: str | None = None) -> bool:
    """Sign the document's facts and store the seal on its row; False when no key signs."""
    reference = dossier_reference if dossier_reference is not None else document.dossier.reference
    try:
        key_id, signature = signer.sign(payload(document, dossier_reference=reference))
    except signer.NoSigningKey:
        logger.error("document %s stored unsealed: EVIDENCE_SIGNING_KEYS is empty", document.pk)
        return False
    type(document).objects.filter(pk=document.pk).update(
        seal_key_id=key_id, seal_signature=signature
    )
    document.seal_key_id, document.seal_signature = key_id, signature
    return True


def check(document, *, dossier_reference: str | None = None) -> bool:
    """True when the stored seal signs the document's current facts with one of our keys."""
    if not document.seal_signature:
        return False
    reference = dossier_reference if dossier_reference is not None else document.dossier.reference
    return signer.verify(
        payload(document, dossier_reference=reference),
        key_id=document.seal_key_id,
        signature=document.seal_signature,
    )
