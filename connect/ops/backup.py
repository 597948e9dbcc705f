"""Backups that restore: the database (pg_dump, custom format) and every stored object, with a
manifest of sizes and SHA-256; a restore checks every checksum before it writes anything.

Layout of a backup folder (0700, its files 0600: they hold password hashes, TOTP seeds and
webhook secrets):
    manifest.json   format, created, database {file, size, sha256}, files [{name, size, sha256}]
    manifest.sig    HMAC-SHA256 of manifest.json's bytes under BACKUP_SIGNING_KEY
    database.dump   pg_dump --format=custom
    files/<name>    each stored object, under its storage name
Whoever can write the folder cannot restore what they like: the manifest must carry the
signature of the key (kept apart from the backups), and every name in it stays inside the
folder and the storage (relative, no `..`). A restore goes into an empty database and an empty
storage, unless told to overwrite, and then drops the cached sessions and principals, which
the restored database no longer vouches for.
"""

import contextlib
import hashlib
import hmac
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1
SKIPPED_PREFIXES = ("readyz/",)  # readiness probes, deleted as soon as written
CHUNK = 1024 * 1024


SIGNATURE = "manifest.sig"
MIN_KEY_LENGTH = 32


class BackupError(Exception):
    """A French message for the operator."""


def _signing_key() -> bytes:
    key = settings.BACKUP_SIGNING_KEY
    if len(key) < MIN_KEY_LENGTH:
        raise BackupError(
            f"BACKUP_SIGNING_KEY manque ou fait moins de {MIN_KEY_LENGTH} caractères : il signe "
            "le manifeste des sauvegardes et est exigé pour sauvegarder comme pour restaurer."
        )
    return key.encode()


def signature(manifest_bytes: bytes) -> str:
    return hmac.new(_signing_key(), manifest_bytes, hashlib.sha256).hexdigest()


def confined(name: object) -> str:
    """A name of the manifest, if it stays where it is put: relative, no `..`, no backslash."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        raise BackupError(f"Sauvegarde refusée : le nom {name!r} sort de son dossier.")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"Sauvegarde refusée : le nom {name!r} sort de son dossier.")
    return name


@contextlib.contextmanager
def _private_files() -> Iterator[None]:
    """Everything created meanwhile (here and by pg_dump) is the owner's only: 0600, 0700."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Sauvegarde et restauration : PostgreSQL uniquement (DATABASE_URL).")
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # never on the command line
    env["PGDATABASE"] = db["NAME"]
    return env


def _pg_tool(name: str) -> str:
    """The newest installed client (pg_dump refuses a server newer than itself)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    found = str(candidates[-1]) if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} introuvable : installez le client PostgreSQL.")
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def stored_names(directory: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    prefix = f"{directory}/" if directory else ""
    names = [prefix + name for name in files]
    for folder in folders:
        names += stored_names(prefix + folder)
    return sorted(n for n in names if not n.startswith(SKIPPED_PREFIXES))


def backup(target: Path) -> dict:
    _signing_key()  # before anything is written
    with _private_files():
        target.mkdir(parents=True, exist_ok=True)
        if any(target.iterdir()):
            raise BackupError(f"Le dossier {target} n'est pas vide : choisissez un dossier neuf.")
        target.chmod(0o700)  # it may have existed, empty
        return _backup(target)


def _backup(target: Path) -> dict:
    dump = target / "database.dump"
    subprocess.run(  # noqa: S603 (our arguments; the password goes through the environment)
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump)],
        env=_pg_env(),
        check=True,
        capture_output=True,
    )
    files = []
    for name in stored_names():
        path = target / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        files.append({"name": name, "size": path.stat().st_size, "sha256": sha256_of(path)})
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": {"file": dump.name, "size": dump.stat().st_size, "sha256": sha256_of(dump)},
        "files": files,
    }
    content = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    (target / "manifest.json").write_bytes(content)
    (target / SIGNATURE).write_text(signature(content) + "\n")
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once every byte it lists matches; else a BackupError naming the first."""
    try:
        content = (source / "manifest.json").read_bytes()
        signed = (source / SIGNATURE).read_text().strip()
    except OSError as error:
        raise BackupError(f"Manifeste ou signature illisible dans {source} : {error}") from None
    if not hmac.compare_digest(signed.encode(), signature(content).encode()):
        raise BackupError(
            f"Sauvegarde refusée : la signature du manifeste de {source} ne correspond pas "
            "(manifeste modifié, ou autre BACKUP_SIGNING_KEY)."
        )
    try:
        manifest = json.loads(content)
        database = manifest["database"]
        entries = [(source / confined(database["file"]), database)]
        entries += [
            (source / "files" / confined(entry["name"]), entry) for entry in manifest["files"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"Manifeste illisible dans {source} : {error}") from None
    for path, entry in entries:
        if not path.is_file() or path.stat().st_size != entry["size"]:
            raise BackupError(f"Sauvegarde incomplète : {path} manque ou n'a pas la bonne taille.")
        if sha256_of(path) != entry["sha256"]:
            raise BackupError(f"Sauvegarde altérée : l'empreinte de {path} ne correspond pas.")
    return manifest


def target_is_empty() -> tuple[bool, bool]:
    """(database has no table, storage has no object)."""
    return not connection.introspection.table_names(), not stored_names()


def _cached_identities() -> tuple[set[str], set[int]]:
    """The session keys and user ids of the database as it stands (none before migrate)."""
    from django.contrib.sessions.models import Session

    from connect.accounts.models import User

    tables = set(connection.introspection.table_names())
    sessions, users = set(), set()
    if Session._meta.db_table in tables:
        sessions = set(Session.objects.values_list("session_key", flat=True))
    if User._meta.db_table in tables:
        users = set(User.objects.values_list("pk", flat=True))
    return sessions, users


def forget_cached(sessions: set[str], users: set[int]) -> None:
    """Drop these sessions' and users' cached copies (the cache API, key by key: the cache's
    other keys, such as the scheduler's daily claims, stay)."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    from connect.accounts.principal import principal_key

    # The cached_db engine's copies (REDIS_URL set); without Redis there are none to drop.
    caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in sessions])
    caches["default"].delete_many([principal_key(user) for user in users])


def restore(source: Path, *, force: bool = False) -> dict:
    manifest = verify(source)
    sessions, users = _cached_identities()  # what the cache may hold of the replaced database
    empty_db, empty_storage = target_is_empty()
    if not force and not (empty_db and empty_storage):
        what = " et ".join(
            part
            for part, empty in (("la base", empty_db), ("le stockage", empty_storage))
            if not empty
        )
        raise BackupError(
            f"Restauration refusée : {what} de destination n'est pas vide (--force pour écraser)."
        )
    connection.close()
    command = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
    if force:
        command += ["--clean", "--if-exists"]
    env = _pg_env()
    subprocess.run(  # noqa: S603 (our arguments)
        [*command, "--dbname", env["PGDATABASE"], str(source / manifest["database"]["file"])],
        env=env,
        check=True,
        capture_output=True,
    )
    for entry in manifest["files"]:
        if force and default_storage.exists(entry["name"]):
            default_storage.delete(entry["name"])
        with (source / "files" / entry["name"]).open("rb") as stream:
            saved = default_storage.save(entry["name"], File(stream))
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} n'a pas pu reprendre son nom (stocké : {saved}).")
    restored_sessions, restored_users = _cached_identities()
    forget_cached(sessions | restored_sessions, users | restored_users)
    return manifest
