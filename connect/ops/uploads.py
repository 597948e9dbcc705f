"""No upload leaves a temporary file behind.

Django spools a large upload to a temporary file and deletes it when the file object is
collected; a client that drops the connection mid-body makes the parser raise before it cleans
up, and the file then waits for the garbage collector (for ever, in a quiet worker). The
handler below notes every temporary file it opens on the request; once the response is made
(connect/ops/middleware.py), each is closed and removed.
"""

import os

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest


class TrackedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request is not None:
            # Kept in the request's own attributes: HttpRequest declares no such field.
            vars(self.request).setdefault("temporary_uploads", []).append(self.file)


def discard_temporary_files(request: HttpRequest) -> None:
    for upload in vars(request).get("temporary_uploads", ()):
        path = upload.temporary_file_path()
        try:
            upload.close()
            os.remove(path)
        except FileNotFoundError:
            pass  # already closed, and so deleted, by Django
