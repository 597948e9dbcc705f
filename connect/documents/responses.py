"""Headers of every file the portal serves (documents, renditions, ZIPs, rate-card boards)."""

from django.http import FileResponse


def protect(response, *, cache: str = "private, no-store"):
    """Typed by us, never sniffed, never run as a page, never kept by a shared cache."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def file_response(file, *, filename: str, content_type: str, as_attachment: bool):
    """A stored file, streamed, with a Content-Disposition built by Django and the headers above."""
    response = FileResponse(
        file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    return protect(response)
