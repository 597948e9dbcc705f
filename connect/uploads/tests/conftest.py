import pytest

from connect.uploads import limits


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    """The protocol tests send small files in chunks of a few hundred bytes; the real minimum
    (and the bound on parts) is tested with its own value in test_chunk_limits.py."""
    monkeypatch.setattr(limits, "MIN_CHUNK_BYTES", 1)
