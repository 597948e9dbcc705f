"""Backups that restore: the database (pg_dump, custom format) and every stored object, with a
manifest of sizes and SHA-256; a restore checks every checksum before it writes anything.

Layout of a backup folder:
    manifest.json   format, created, database {file, size, sha256}, files [{name, size, sha256}]
    database.dump   pg_dump --format=custom
    files/<name>    each stored object, under its storage name
A restore goes into an empty database and an empty storage, unless told to overwrite.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1
SKIPPED_PREFIXES = ("readyz/",)  # readiness probes, deleted as soon as written
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A French message for the operator."""


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
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"Le dossier {target} n'est pas vide : choisissez un dossier neuf.")
    dump = target / "database.dump"
    subprocess.run(  # noqa: S603 (our arguments; the password goes through the environment)
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump)],
        env=_pg_env(), check=True, capture_output=True,
    )  # fmt: skip
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
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once every byte it lists matches; else a BackupError naming the first."""
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"Manifeste illisible dans {source} : {error}") from None
    entries = [(source / manifest["database"]["file"], manifest["database"])]
    entries += [(source / "files" / entry["name"], entry) for entry in manifest["files"]]
    for path, entry in entries:
        if not path.is_file() or path.stat().st_size != entry["size"]:
            raise BackupError(f"Sauvegarde incomplète : {path} manque ou n'a pas la bonne taille.")
        if sha256_of(path) != entry["sha256"]:
            raise BackupError(f"Sauvegarde altérée : l'empreinte de {path} ne correspond pas.")
    return manifest


def target_is_empty() -> tuple[bool, bool]:
    """(database has no table, storage has no object)."""
    return not connection.introspection.table_names(), not stored_names()


def restore(source: Path, *, force: bool = False) -> dict:
    manifest = verify(source)
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
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    for entry in manifest["files"]:
        if force and default_storage.exists(entry["name"]):
            default_storage.delete(entry["name"])
        with (source / "files" / entry["name"]).open("rb") as stream:
            saved = default_storage.save(entry["name"], File(stream))
        if saved != entry["name"]:
            raise BackupError(f"{entry['name']} n'a pas pu reprendre son nom (stocké : {saved}).")
    return manifest
