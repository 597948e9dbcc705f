"""The backup drill, on a PostgreSQL of the test's own: seed, back up, restore elsewhere (another
database and another storage folder), then compare the row count of every table and the SHA-256
of every file. A non-empty target is refused unless told; an altered backup is refused, and so
is an unsigned manifest or one whose names leave their folder; a restore drops the cached
sessions and principals (in the Redis of REDIS_URL, the test's own database number).
"""

import hashlib
import hmac
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from connect.testing.servers import OwnPostgres, manage, port, production_env

PG_PORT = port(18134)
SIGNING_KEY = "test-only-backup-signing-key-0123456789abcdef"
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
            DATABASE_URL=postgres.url(),
            VAR_DIR=str(work / "var"),
            PRIVATE_FILES_ROOT=str(work / "files-origin"),
            BACKUP_SIGNING_KEY=SIGNING_KEY,
        )
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


def resign(folder: Path, manifest: dict) -> None:
    """What someone holding the key could write: the tests of the names' own checks."""
    content = json.dumps(manifest).encode()
    (folder / "manifest.json").write_bytes(content)
    digest = hmac.new(SIGNING_KEY.encode(), content, hashlib.sha256).hexdigest()
    (folder / "manifest.sig").write_text(digest)


def test_a_backup_is_the_owners_only(drill):
    origin, work = drill["origin"], drill["work"]
    folder = work / "private"
    manage("backup", str(folder), env=origin)
    paths = [folder, *folder.rglob("*")]
    modes = {str(p.relative_to(work)): stat.S_IMODE(p.stat().st_mode) for p in paths}
    assert {mode for path, mode in modes.items() if Path(work / path).is_dir()} == {0o700}
    assert {mode for path, mode in modes.items() if Path(work / path).is_file()} == {0o600}
    assert (folder / "manifest.sig").is_file()


def test_no_backup_nor_restore_without_the_signing_key(drill):
    origin, work = drill["origin"], drill["work"]
    unkeyed = {**origin, "BACKUP_SIGNING_KEY": ""}
    with pytest.raises(RuntimeError, match="BACKUP_SIGNING_KEY"):
        manage("backup", str(work / "unkeyed"), env=unkeyed)
    assert not (work / "unkeyed").exists()
    manage("backup", str(work / "signed"), env=origin)
    with pytest.raises(RuntimeError, match="BACKUP_SIGNING_KEY"):
        manage("restore", str(work / "signed"), env=unkeyed)
    other_key = {**origin, "BACKUP_SIGNING_KEY": "another-key-" + "z" * 32}
    with pytest.raises(RuntimeError, match="signature"):
        manage("restore", str(work / "signed"), env=other_key)


def test_an_unsigned_or_rewritten_manifest_is_refused_before_anything_is_written(drill):
    origin, work = drill["origin"], drill["work"]
    folder = work / "forged"
    manage("backup", str(folder), env=origin)
    empty = {
        **origin,
        "DATABASE_URL": origin["DATABASE_URL"].rsplit("/", 1)[0] + "/nowhere",
        "PRIVATE_FILES_ROOT": str(work / "untouched-forged"),
    }
    # Someone who can write the folder swaps a file and its checksum: the signature fails.
    manifest = json.loads((folder / "manifest.json").read_text())
    victim = folder / "files" / manifest["files"][0]["name"]
    victim.write_bytes(b"forged")
    manifest["files"][0].update(size=6, sha256=hashlib.sha256(b"forged").hexdigest())
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RuntimeError, match="signature"):
        manage("restore", str(folder), env=empty)
    (folder / "manifest.sig").unlink()
    with pytest.raises(RuntimeError, match="signature"):
        manage("restore", str(folder), env=empty)
    assert not (work / "untouched-forged").exists()


@pytest.mark.parametrize(
    "where, name",
    [
        ("database", "{work}/elsewhere.dump"),
        ("database", "../outside.dump"),
        ("files", "../../escape.txt"),
        ("files", "{work}/escape.txt"),
        ("files", "a\\..\\b"),
    ],
)
def test_names_that_leave_their_folder_are_refused_even_signed(drill, where, name):
    """The bytes are there, with the right size and checksum: only the name is refused."""
    origin, work = drill["origin"], drill["work"]
    folder = work / f"names-{abs(hash((where, name)))}"
    manage("backup", str(folder), env=origin)
    manifest = json.loads((folder / "manifest.json").read_text())
    name = name.format(work=work)
    if where == "database":
        original, manifest["database"]["file"] = folder / manifest["database"]["file"], name
        planted = folder / name
    else:
        original = folder / "files" / manifest["files"][0]["name"]
        manifest["files"][0]["name"] = name
        planted = folder / "files" / name
    planted.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original, planted)
    resign(folder, manifest)
    empty = {**origin, "PRIVATE_FILES_ROOT": str(work / "untouched-names")}
    with pytest.raises(RuntimeError, match="sort de son dossier"):
        manage("restore", str(folder), env=empty)
    assert not (work / "untouched-names").exists()


SESSION_AND_USERS = """
import json
from django.contrib.sessions.backends.cached_db import SessionStore
from connect.accounts.models import User
session = SessionStore()
session["seen"] = 1
session.create()
users = list(User.objects.values_list("pk", flat=True))
print(json.dumps({"session": session.cache_key, "users": users}))
"""


def test_a_restore_drops_the_cached_sessions_and_principals(drill):
    import redis

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs Redis (REDIS_URL, a database number of the test's own)")
    target, work = {**drill["target"], "REDIS_URL": redis_url}, drill["work"]
    manage("backup", str(work / "for-redis"), env=drill["origin"])
    manage("restore", str(work / "for-redis"), "--force", env=target)
    made = json.loads(manage("shell", "-c", SESSION_AND_USERS, env=target).strip().splitlines()[-1])
    client = redis.Redis.from_url(redis_url)
    principals = [f":1:accounts:principal:{pk}" for pk in made["users"]]
    claim = ":1:schedule:test-backup-claim"
    for key in principals + [claim]:
        client.set(key, b"stale", ex=300)
    try:
        assert client.exists(f":1:{made['session']}")  # the cached_db session, in Redis
        manage("restore", str(work / "for-redis"), "--force", env=target)
        assert not client.exists(f":1:{made['session']}")
        assert not any(client.exists(key) for key in principals)
        assert client.exists(claim)  # the cache's other keys are not the restore's
    finally:
        client.delete(claim, *principals)
