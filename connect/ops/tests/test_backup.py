"""The backup drill, on a PostgreSQL of the test's own: seed, back up, restore elsewhere (another
database and another storage folder), then compare the row count of every table and the SHA-256
of every file. A non-empty target is refused unless told; an altered backup is refused.
"""

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from connect.testing.servers import OwnPostgres, manage, port, production_env

PG_PORT = port(18134)
pytestmark = pytest.mark.tools("postgresql")
COUNT_ROWS = """
import json
from django.apps import apps
print(json.dumps({m._meta.db_table: m._default_manager.count() for m in apps.get_models()}))
"""


def rows(env) -> dict:
    """Rows of every table of the portal, counted by Django in that environment."""
    return json.loads(manage("shell", "-c", COUNT_ROWS, env=env).strip().splitlines()[-1])


def files_of(root: Path) -> dict:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def drill():
    postgres = OwnPostgres(PG_PORT)
    work = Path(tempfile.mkdtemp(prefix="connect-backup-"))
    try:
        postgres.init()
        postgres._run(
            str(postgres.bin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "restored"
        )
        origin = production_env(
            DATABASE_URL=postgres.url(), VAR_DIR=str(work / "var"),
            PRIVATE_FILES_ROOT=str(work / "files-origin"),
        )  # fmt: skip
        target = {
            **origin,
            "DATABASE_URL": postgres.url("restored"),
            "PRIVATE_FILES_ROOT": str(work / "files-restored"),
        }
        manage("migrate", "--noinput", env=origin)
        manage("seed_demo", "--dossiers", "10", "--force", env=origin)
        yield {"origin": origin, "target": target, "work": work}
    finally:
        postgres.destroy()
        shutil.rmtree(work, ignore_errors=True)


def test_backup_then_restore_elsewhere_gives_the_same_rows_and_bytes(drill):
    origin, target, work = drill["origin"], drill["target"], drill["work"]
    manage("backup", str(work / "backup"), env=origin)
    manifest = json.loads((work / "backup" / "manifest.json").read_text())
    assert manifest["files"] and manifest["database"]["size"] > 0

    manage("restore", str(work / "backup"), env=target)
    rows_origin = rows(origin)
    rows_target = rows(target)
    assert rows_origin == rows_target
    assert rows_origin["accounts_user"] > 0 and rows_origin["documents_document"] > 0
    origin_files = files_of(work / "files-origin")
    assert origin_files and origin_files == files_of(work / "files-restored")
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == origin_files

    # A second restore onto the now full target is refused, unless forced.
    with pytest.raises(RuntimeError, match="n'est pas vide"):
        manage("restore", str(work / "backup"), env=target)
    manage("restore", str(work / "backup"), "--force", env=target)
    assert rows(target) == rows_origin
    assert files_of(work / "files-restored") == origin_files


def test_an_altered_backup_is_refused_before_anything_is_written(drill):
    origin, work = drill["origin"], drill["work"]
    manage("backup", str(work / "altered"), env=origin)
    manifest = json.loads((work / "altered" / "manifest.json").read_text())
    victim = work / "altered" / "files" / manifest["files"][0]["name"]
    victim.write_bytes(b"x" + victim.read_bytes()[1:])
    empty = {
        **origin,
        "DATABASE_URL": origin["DATABASE_URL"].rsplit("/", 1)[0] + "/nowhere",
        "PRIVATE_FILES_ROOT": str(work / "untouched"),
    }
    with pytest.raises(RuntimeError, match="altérée"):
        manage("restore", str(work / "altered"), env=empty)
    assert not (work / "untouched").exists()


def test_a_backup_wants_a_fresh_folder(drill):
    origin, work = drill["origin"], drill["work"]
    (work / "used").mkdir()
    (work / "used" / "x").write_text("x")
    with pytest.raises(RuntimeError, match="pas vide"):
        manage("backup", str(work / "used"), env=origin)
