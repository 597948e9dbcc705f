import pytest


@pytest.fixture
def private_storage(_private_files, tmp_path):
    """The per-test private folder the root conftest points the default storage at."""
    return tmp_path / "private"
