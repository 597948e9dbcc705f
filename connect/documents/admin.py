from django.contrib import admin

from connect.documents.models import Document
from connect.lib.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    # The file itself is only served by the portal's views, after the access check.
    list_display = ["original_name", "doc_type", "dossier", "origin", "size", "occurred_at"]
    list_filter = ["origin", "doc_type"]
    list_select_related = ["dossier"]
    search_fields = ["dossier__reference", "original_name", "title", "sha256"]
    fields = [
        "code",
        "dossier",
        "doc_type",
        "title",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "origin",
        "author",
        "occurred_at",
        "replaces",
        "rendition_failed",
        "created_at",
    ]
    raw_id_fields = ["dossier", "author", "replaces"]
    show_full_result_count = False
