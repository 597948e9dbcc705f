"""Headers of every file the portal serves (documents, renditions, ZIPs, rate-card boards).

Files are streamed from the storage (local folder or S3) by the access-checked view; a
`Range: bytes=a-b` request (a PDF viewer paging a large report, a resumed download) gets only
those bytes (206). Several ranges in one request are answered with the whole file (200), which
HTTP allows.
"""

import re
from typing import TypeVar

from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024
Response = TypeVar("Response", bound=HttpResponseBase)


def protect(response: Response, *, cache: str = "private, no-store") -> Response:
    """Typed by us, never sniffed, never run as a page, never kept by a shared cache."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


class Unsatisfiable(Exception):
    """The range starts past the end of the file: a 416."""


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) for one satisfiable range; None to send everything."""
    match = RANGE.fullmatch(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # the last N bytes
        length = int(last)
        if not (length and size):
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if end >= start else None


def _chunks(stream, remaining: int):
    try:
        while remaining > 0:
            chunk = stream.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        stream.close()


def file_response(
    file: File,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool,
    request: HttpRequest | None = None,
) -> HttpResponseBase:
    """A stored file, streamed, with a Content-Disposition built by Django and the headers above."""
    header = request.headers.get("Range", "") if request is not None else ""
    try:
        wanted = byte_range(header, file.size) if header else None
    except Unsatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{file.size}"
        return protect(refused)
    response: HttpResponseBase
    if wanted:
        first, last = wanted
        stream = file.open("rb")
        stream.seek(first)
        response = StreamingHttpResponse(
            _chunks(stream, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{file.size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["Accept-Ranges"] = "bytes"
    return protect(response)
