"""Test helpers, imported by the tests as `from connect.testing import …`.

Nothing here imports models or other Django machinery at module import: that happens inside
the functions, once Django is set up.
"""

# Stored files and storage failures (documents and messaging tests) -------------------------


def stored_files() -> list[str]:
    """Every file under the storage's `documents/` folder (what an upload left behind)."""
    from django.core.files.storage import default_storage

    found = []

    def walk(directory):
        if not default_storage.exists(directory):
            return
        folders, files = default_storage.listdir(directory)
        found.extend(f"{directory}/{name}" for name in files)
        for folder in folders:
            walk(f"{directory}/{folder}")

    walk("documents")
    return found


def fail_storage_save(monkeypatch, *, at: int = 1) -> list[str]:
    """Make the `at`-th file save raise OSError("disk full") (the others are stored); returns
    the names of every save attempted, the failed one included."""
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage._save
    calls = []

    def flaky(self, name, content):
        calls.append(name)
        if len(calls) == at:
            raise OSError("disk full")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", flaky)
    return calls
