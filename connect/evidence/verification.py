"""Check a pack against the portal's own keys (`manage.py verify_evidence`): the standalone
verifier's logic (tools/verify_evidence.py), which needs nothing of Django, fed the keys of
EVIDENCE_SIGNING_KEYS and EVIDENCE_RETIRED_KEYS."""

from connect.lib.seal import keys
from tools.verify_evidence import verify


def verify_pack(path) -> list[str]:
    """The failures of the pack at `path` (empty: it holds)."""
    return verify(path, {key.id: key.public for key in keys()})
