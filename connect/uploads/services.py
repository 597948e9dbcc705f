"""Chunked, resumable uploads: create, receive a chunk, complete, consume, sweep.

The protocol (README "Resumable uploads"): POST creates an upload for a dossier with the file's
name, size and SHA-256; each PATCH carries the next bytes with `Content-Range` and
`Upload-Checksum: sha256 <base64>`; the server keeps each chunk as a part and its offset, so a
client cut off asks the offset (HEAD) and goes on from there. The last chunk completes the
upload: the whole SHA-256 and the documents' checks (type from the bytes, size, antivirus)
decide complete or refused. A message then takes complete uploads whole (`consuming`), in
the message's own transaction.
"""

import base64
import hashlib
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from connect.documents.validation import RejectedFile, check_upload, display_name
from connect.lib.http import uuid_or_none
from connect.uploads import limits
from connect.uploads.models import Upload, UploadState

COPY_BYTES = 64 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class UploadRefused(Exception):
    """A request the protocol refuses; `message` is French, `status` the HTTP answer."""

    def __init__(self, message: str, *, status: int = 400, offset: int | None = None):
        super().__init__(message)
        self.message, self.status, self.offset = message, status, offset


class UploadGone(Exception):
    """An upload a message named was taken by another message meanwhile."""


@dataclass(frozen=True)
class ChunkRange:
    start: int
    end: int  # inclusive, as HTTP writes it
    total: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_content_range(header: str) -> ChunkRange:
    match = CONTENT_RANGE.match(header.strip())
    if not match:
        raise UploadRefused("En-tête Content-Range absent ou illisible (bytes début-fin/total).")
    start, end, total = (int(group) for group in match.groups())
    if end < start:
        raise UploadRefused("Content-Range : la fin précède le début.")
    return ChunkRange(start, end, total)


def create_upload(
    *, user, dossier, file_name: str, size: int, sha256: str, metadata: dict | None = None
) -> Upload:
    """A new upload for `dossier` (already reached through access_dossier)."""
    name = display_name(file_name)
    sha256 = sha256.strip().lower()
    if not SHA256_HEX.match(sha256):
        raise UploadRefused("L'empreinte SHA-256 du fichier est absente ou illisible.")
    if size <= 0:
        raise UploadRefused(f"Le fichier « {name} » est vide.")
    if size > settings.MAX_UPLOAD_FILE_BYTES:
        limit = filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)
        raise UploadRefused(
            f"Le fichier « {name} » dépasse la taille maximale de {limit}.", status=413
        )
    metadata = metadata or {}
    if len(repr(metadata).encode()) > limits.MAX_METADATA_BYTES:
        raise UploadRefused("Les champs du fichier sont trop longs.")
    with transaction.atomic():
        # The user's row lock serialises two creates of one user: the totals below hold.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        pending = _pending(user, dossier)
        if pending.count() >= limits.MAX_FILES:
            raise UploadRefused(
                f"{limits.MAX_FILES} fichiers au plus par message : envoyez d'abord ceux en "
                "attente.",
                status=413,
            )
        held = pending.aggregate(total=Sum("size"))["total"] or 0
        if held + size > settings.MAX_UPLOAD_MESSAGE_BYTES:
            limit = filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)
            raise UploadRefused(
                f"L'ensemble des fichiers en attente dépasserait {limit} par message.",
                status=413,
            )
        return Upload.objects.create(
            user=user,
            dossier=dossier,
            file_name=name,
            size=size,
            sha256=sha256,
            metadata=metadata,
            expires_at=timezone.now() + limits.LIFETIME,
        )


def _pending(user, dossier):
    """What the user holds on the dossier and no message has taken yet: one message's worth."""
    return Upload.objects.filter(
        user=user,
        dossier=dossier,
        state__in=(UploadState.RECEIVING, UploadState.COMPLETE),
        expires_at__gt=timezone.now(),
    )


def receive_chunk(*, upload: Upload, chunk: ChunkRange, data: bytes, checksum: str) -> Upload:
    """Store the next chunk of `upload`, or refuse it and store nothing."""
    _check_checksum(data, checksum)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        _check_chunk(upload, chunk, data)
        name = _save_part(upload, data)
        try:
            upload.offset += len(data)
            upload.parts += 1
            upload.save(update_fields=["offset", "parts"])
        except BaseException:
            default_storage.delete(name)
            raise
    if upload.offset == upload.size:
        complete(upload=upload)
    return upload


def _check_checksum(data: bytes, header: str) -> None:
    algorithm, _, value = header.strip().partition(" ")
    if algorithm.lower() != "sha256" or not value:
        raise UploadRefused("En-tête Upload-Checksum absent : « sha256 <empreinte base64> ».")
    try:
        expected = base64.b64decode(value.strip(), validate=True)
    except ValueError:
        raise UploadRefused("Upload-Checksum : empreinte base64 illisible.") from None
    if hashlib.sha256(data).digest() != expected:
        raise UploadRefused(
            "Ce morceau est arrivé altéré (empreinte différente) : rien n'a été enregistré, "
            "renvoyez-le.",
            status=460,
        )


def _check_chunk(upload: Upload, chunk: ChunkRange, data: bytes) -> None:
    if upload.state != UploadState.RECEIVING:
        raise UploadRefused("Cet envoi est déjà terminé.", status=409, offset=upload.offset)
    if chunk.total != upload.size:
        raise UploadRefused("Content-Range : la taille totale diffère de celle annoncée.")
    if chunk.start != upload.offset:
        raise UploadRefused(
            "Ce morceau ne commence pas où l'envoi en est : reprenez à l'octet indiqué.",
            status=409,
            offset=upload.offset,
        )
    if chunk.end >= upload.size:
        raise UploadRefused("Content-Range : le morceau dépasse la fin du fichier.")
    if len(data) != chunk.length:
        raise UploadRefused("Le morceau reçu n'a pas la longueur annoncée par Content-Range.")
    if len(data) > limits.MAX_CHUNK_BYTES:
        limit = filesizeformat(limits.MAX_CHUNK_BYTES)
        raise UploadRefused(f"Un morceau fait au plus {limit}.", status=413)
    if len(data) < limits.MIN_CHUNK_BYTES and chunk.end + 1 != upload.size:
        limit = filesizeformat(limits.MIN_CHUNK_BYTES)
        raise UploadRefused(f"Un morceau fait au moins {limit}, sauf le dernier du fichier.")
    if upload.parts >= limits.MAX_PARTS:
        raise UploadRefused(
            f"Un envoi compte au plus {limits.MAX_PARTS} morceaux : renvoyez le fichier en "
            "morceaux plus grands."
        )


def _save_part(upload: Upload, data: bytes) -> str:
    name = upload.part_name(upload.parts)
    # A part left by an attempt whose row never committed is replaced, never suffixed.
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        default_storage.delete(saved)
        raise OSError(f"part stored as {saved!r} instead of {name!r}")
    return name


def complete(*, upload: Upload) -> Upload:
    """The last byte is in: the whole SHA-256, then the documents' checks, decide."""
    with assembled(upload) as file:
        digest = hashlib.sha256()
        for block in iter(lambda: file.read(COPY_BYTES), b""):
            digest.update(block)
        file.seek(0)
        if digest.hexdigest() != upload.sha256:
            return _reject(
                upload,
                f"Le fichier « {upload.file_name} » est arrivé altéré (empreinte SHA-256 "
                "différente de celle du téléphone) : renvoyez-le.",
            )
        try:
            checked_type = check_upload(file, name=upload.file_name).content_type
        except RejectedFile as refused:
            if refused.code != "scanner_unavailable":
                return _reject(upload, refused.messages[0])
            # clamd away: the file is whole; the message's own check will scan it (fail closed).
            checked_type = ""
    Upload.objects.filter(pk=upload.pk).update(
        state=UploadState.COMPLETE, checked_type=checked_type
    )
    upload.state, upload.checked_type = UploadState.COMPLETE, checked_type
    return upload


def _reject(upload: Upload, reason: str) -> Upload:
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.REJECTED, reason=reason[:500])
    upload.state, upload.reason = UploadState.REJECTED, reason[:500]
    _delete_parts(upload.part_names)
    return upload


def assemble(upload: Upload) -> TemporaryUploadedFile:
    """The upload's parts joined into one temporary file, what a multipart upload gives the
    form (closing it removes it)."""
    file = TemporaryUploadedFile(upload.file_name, "application/octet-stream", upload.size, None)
    try:
        for name in upload.part_names:
            with default_storage.open(name, "rb") as part:
                for block in iter(lambda: part.read(COPY_BYTES), b""):
                    file.write(block)
        file.flush()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


@contextmanager
def assembled(upload: Upload) -> Iterator[TemporaryUploadedFile]:
    file = assemble(upload)
    try:
        yield file
    finally:
        file.close()


@contextmanager
def consuming(uploads: Sequence[Upload], *, key: uuid.UUID) -> Iterator[None]:
    """Take `uploads` for the message written inside the block, in one transaction with it:
    either the message commits and the uploads are spent, or neither."""
    with transaction.atomic():
        if uploads:
            taken = Upload.objects.filter(
                pk__in=[upload.pk for upload in uploads], state=UploadState.COMPLETE
            ).update(state=UploadState.CONSUMED, message_key=key)
            if taken != len(uploads):
                raise UploadGone
            names = [name for upload in uploads for name in upload.part_names]
            # The message is in: a part that fails to go is the sweep's, never the user's error.
            transaction.on_commit(lambda: _delete_parts(names), robust=True)
        yield


def cancel(*, upload: Upload) -> None:
    """The user removed the file from the queue: its parts and row go."""
    if upload.state == UploadState.CONSUMED:
        raise UploadRefused("Ce fichier est déjà joint à un message.", status=409)
    names = upload.part_names
    upload.delete()
    _delete_parts(names)


def sweep_expired(*, now=None, grace: timedelta = timedelta(hours=1)) -> int:
    """Delete uploads past their lifetime (their parts with them), and parts no row owns (a
    part saved when its row's transaction then failed). Returns the uploads and folders
    removed."""
    now = now or timezone.now()
    removed = 0
    for upload in Upload.objects.filter(expires_at__lte=now).iterator():
        _delete_parts(upload.part_names)
        upload.delete()
        removed += 1
    try:
        folders, _ = default_storage.listdir("uploads")
    except FileNotFoundError:
        return removed
    live = {str(code) for code in Upload.objects.values_list("code", flat=True)}
    for folder in folders:
        if folder in live:
            continue
        _, files = default_storage.listdir(f"uploads/{folder}")
        names = [f"uploads/{folder}/{name}" for name in files]
        if all(default_storage.get_modified_time(name) < now - grace for name in names):
            _delete_parts(names)
            _remove_folder(f"uploads/{folder}")
            removed += bool(names)
    return removed


def _remove_folder(name: str) -> None:
    # A file system keeps empty folders (an object store has none): remove the upload's own.
    with suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(name))


def _delete_parts(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)
    for folder in {name.rsplit("/", 1)[0] for name in names}:
        _remove_folder(folder)


@dataclass
class Taken:
    """The uploads a message names, in its order: rows to consume and their files, assembled
    only when first asked for (`files`): a form refused on its other fields, or a throttled
    post, never reads them."""

    uploads: list[Upload] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    replayed: bool = False
    _files: list[TemporaryUploadedFile] | None = field(default=None, repr=False)

    @property
    def files(self) -> list[TemporaryUploadedFile]:
        if self._files is None:
            self._files = []
            for upload in self.uploads:
                self._files.append(assemble(upload))
        return self._files

    def checked_type(self, file) -> str:
        """The type the upload's checks found when it completed ("" when not checked then)."""
        for upload, opened in zip(self.uploads, self._files or [], strict=False):
            if opened is file:
                return upload.checked_type
        return ""

    def close(self) -> None:
        for file in self._files or []:
            file.close()


@contextmanager
def named_uploads(*, user, dossier, codes: Sequence[str], key) -> Iterator[Taken]:
    """The uploads a message names (`take`), their files assembled for the form's checks and
    the message's documents, then closed (the temporary copies removed) on every path. `key`:
    the message's token as posted (a malformed one cannot be a replay)."""
    taken = Taken()
    if codes:
        taken = take(user=user, dossier=dossier, codes=codes, key=uuid_or_none(key))
    try:
        yield taken
    finally:
        taken.close()


def take(*, user, dossier, codes: Sequence[str], key) -> Taken:
    """Resolve the `upload` list of a message: only the user's own complete uploads of this
    dossier; a resend whose uploads this same message key already consumed is a replay."""
    taken = Taken()
    if len(codes) > limits.MAX_FILES:
        taken.errors.append(f"{limits.MAX_FILES} fichiers au plus par message.")
        return taken
    if len(set(codes)) != len(codes):
        taken.errors.append("Un même fichier envoyé est nommé deux fois.")
        return taken
    found = {str(upload.code): upload for upload in _owned(user, dossier, codes)}
    if len(found) != len(codes):
        taken.errors.append("Un fichier envoyé est introuvable ou a expiré : renvoyez-le.")
        return taken
    uploads = [found[str(uuid_or_none(code))] for code in codes]
    if key and all(u.state == UploadState.CONSUMED and u.message_key == key for u in uploads):
        taken.replayed = True
        return taken
    for upload in uploads:
        error = _not_ready(upload)
        if error:
            taken.errors.append(error)
    if not taken.errors:
        taken.uploads = uploads
    return taken


def _owned(user, dossier, codes: Sequence[str]):
    parsed = [code for code in map(uuid_or_none, codes) if code is not None]
    if len(parsed) != len(codes):
        return Upload.objects.none()
    return Upload.objects.filter(
        code__in=parsed, user=user, dossier=dossier, expires_at__gt=timezone.now()
    )


def _not_ready(upload: Upload) -> str:
    if upload.state == UploadState.RECEIVING:
        return f"Le fichier « {upload.file_name} » n'est pas encore entièrement envoyé."
    if upload.state == UploadState.REJECTED:
        return upload.reason
    if upload.state == UploadState.CONSUMED:
        return f"Le fichier « {upload.file_name} » est déjà joint à un autre message."
    return ""
