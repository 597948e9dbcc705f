#!/usr/bin/env python3
"""Check a "dossier de preuves" (evidence pack) of Connect Réparateurs, offline.

Needs Python 3.9+ and the `cryptography` package, nothing else (no Django, no network):

    python3 verify_evidence.py PACK.zip --keys connect-evidence-keys.json
    python3 verify_evidence.py PACK.zip --key 2026-12:<base64url public key>

`--keys` is the portal's public keys as published at
https://<portal>/.well-known/connect-evidence-keys.json (save it once; it lists every key
that ever signed). What is checked, in this order:

1. `signature.json` is an Ed25519 signature of the exact bytes of `manifest.json` by one of
   the trusted keys (a pack signed by any other key fails);
2. the ZIP holds exactly the files the manifest lists, each with its SHA-256 and size (a
   flipped byte, a dropped or an added file fails), and no name twice;
3. each document's own seal (made by the portal when the file arrived) signs its hash, size,
   arrival time, dossier and readings with a trusted key;
4. the dossier's events form an unbroken chain: each one's hash covers its content and the
   previous event's hash, in order, up to `events_head` (a reordered, dropped or edited
   event fails).

Exit status 0 when everything holds, 1 otherwise; each failure is printed.
"""

import argparse
import base64
import hashlib
import json
import sys
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "connect-evidence-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
GENESIS = "0" * 64


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value):
    """The byte form the portal signs and hashes: keys sorted, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event):
    return hashlib.sha256(canonical({k: v for k, v in event.items() if k != "hash"})).hexdigest()


def load_keys(path=None, entries=()):
    """Key id → public key, from a published keys file and/or `id:base64url` entries."""
    keys = {}
    if path:
        with open(path, encoding="utf-8") as handle:
            published = json.load(handle)
        for key in published.get("keys", []):
            keys[key["id"]] = Ed25519PublicKey.from_public_bytes(unb64(key["public_key"]))
    for entry in entries:
        key_id, _, value = entry.partition(":")
        keys[key_id] = Ed25519PublicKey.from_public_bytes(unb64(value))
    return keys


def signed_by(keys, key_id, signature, data):
    key = keys.get(key_id)
    if key is None:
        return False
    try:
        key.verify(unb64(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def verify(path, keys):
    """The list of failures (empty: the pack holds)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        return [f"ZIP illisible : {error}"]
    with archive:
        names = [info.filename for info in archive.infolist()]
        if len(set(names)) != len(names):
            return ["Un nom de fichier figure deux fois dans le ZIP."]
        if MANIFEST not in names or SIGNATURE not in names:
            return ["manifest.json ou signature.json manquant."]
        manifest_bytes = archive.read(MANIFEST)
        try:
            signature = json.loads(archive.read(SIGNATURE))
            manifest = json.loads(manifest_bytes)
        except ValueError as error:
            return [f"manifest.json ou signature.json illisible : {error}"]
        if not isinstance(signature, dict) or not isinstance(manifest, dict):
            return ["manifest.json ou signature.json n'est pas un objet JSON."]
        failures = []
        key_id = signature.get("key_id", "")
        if key_id not in keys:
            failures.append(f"Signé par une clé inconnue ({key_id!r}) : non vérifiable.")
        elif not signed_by(keys, key_id, signature.get("signature", ""), manifest_bytes):
            failures.append("Signature du manifeste invalide : le manifeste a été modifié.")
        if manifest.get("format") != FORMAT:
            failures.append(f"Format inconnu : {manifest.get('format')!r}.")
        try:
            failures += check_files(archive, names, manifest)
            failures += check_seals(manifest, keys)
            failures += check_events(manifest)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            failures.append(f"Manifeste incomplet ou mal formé : {error!r}")
    return failures


def check_files(archive, names, manifest):
    failures = []
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    present = set(names) - {MANIFEST, SIGNATURE}
    for name in sorted(present - set(listed)):
        failures.append(f"Fichier ajouté, absent du manifeste : {name}")
    for name in sorted(set(listed) - present):
        failures.append(f"Fichier manquant : {name}")
    for name in sorted(present & set(listed)):
        digest, size = hashlib.sha256(), 0
        with archive.open(name) as handle:
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
                size += len(chunk)
        if digest.hexdigest() != listed[name]["sha256"] or size != listed[name]["size"]:
            failures.append(f"Fichier modifié : {name} (empreinte SHA-256 différente)")
    files = {entry["path"]: entry["sha256"] for entry in manifest.get("files", [])}
    for document in manifest.get("documents", []):
        if files.get(document["path"]) != document["server"]["sha256"]:
            failures.append(f"Le document {document['path']} n'a pas l'empreinte reçue.")
    return failures


def check_seals(manifest, keys):
    failures = []
    for document in manifest.get("documents", []):
        server = document["server"]
        seal = server.get("seal")
        if not seal:
            failures.append(f"Document non scellé à la réception : {document['path']}")
            continue
        payload = {
            "v": seal["v"],
            "document": document["code"],
            "sha256": server["sha256"],
            "size": server["size"],
            "received_at": server["received_at"],
            "dossier": manifest["dossier"]["reference"],
            "readings": document.get("readings", []),
        }
        if not signed_by(keys, seal["key_id"], seal["signature"], canonical(payload)):
            failures.append(f"Sceau de réception invalide : {document['path']}")
    return failures


def check_events(manifest):
    failures = []
    previous = GENESIS
    for number, event in enumerate(manifest.get("events", []), start=1):
        if event.get("seq") != number or event.get("previous") != previous:
            failures.append(f"Chaîne des événements rompue à l'événement n° {number}.")
            return failures
        if event_hash(event) != event.get("hash"):
            failures.append(f"Événement n° {number} modifié (empreinte différente).")
            return failures
        previous = event["hash"]
    if manifest.get("events_head", GENESIS) != previous:
        failures.append("Dernier événement de la chaîne différent de celui annoncé.")
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", help="le ZIP du dossier de preuves")
    parser.add_argument("--keys", help="clés publiques publiées (connect-evidence-keys.json)")
    parser.add_argument("--key", action="append", default=[], help="id:clé publique base64url")
    args = parser.parse_args(argv)
    if not args.keys and not args.key:
        parser.error("donnez les clés publiques du portail : --keys FICHIER ou --key ID:CLÉ")
    failures = verify(args.pack, load_keys(args.keys, args.key))
    for failure in failures:
        print(f"ÉCHEC : {failure}")
    if failures:
        return 1
    print("Dossier de preuves vérifié : signature, fichiers, sceaux et chaîne des événements.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
