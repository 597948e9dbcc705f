from django.contrib import admin

from connect.documents.models import Document, Shot, ShotList
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
        "shot",
        "shot_label",
        "captured_at",
        "exif_taken_at",
        "latitude",
        "longitude",
        "sha256_capture",
        "confirmed_plate",
    ]
    raw_id_fields = ["dossier", "author", "replaces"]
    show_full_result_count = False


class ShotInline(admin.TabularInline):
    model = Shot
    extra = 1
    fields = [
        "order",
        "key",
        "label",
        "instruction",
        "required",
        "several",
        "confirm_plate",
        "doc_type",
    ]
    ordering = ["order", "id"]


@admin.register(ShotList)
class ShotListAdmin(admin.ModelAdmin):
    """The guided capture's shots per kind of message: staff add, reorder (the "ordre" column),
    require or drop shots; the phone and the server read these rows at each message."""

    list_display = ["label", "subject", "awaiting_ead_only", "active"]
    list_filter = ["active", "subject"]
    inlines = [ShotInline]
