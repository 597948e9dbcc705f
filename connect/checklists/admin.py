from django.contrib import admin

from connect.checklists.models import Request, RequestItem
from connect.lib.admin import ReadOnlyAdmin, ReadOnlyInline


class RequestItemInline(ReadOnlyInline):
    model = RequestItem
    fields = ["label", "doc_type", "status", "asked_again_reason", "answered_at", "checked_at"]


# Read-only: the checklist changes through its services (events, the ball), never by hand.
@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "created_by", "created_at"]
    list_select_related = ["dossier", "created_by"]
    search_fields = ["dossier__reference"]
    raw_id_fields = ["dossier", "thread", "created_by"]
    inlines = [RequestItemInline]
    show_full_result_count = False


@admin.register(RequestItem)
class RequestItemAdmin(ReadOnlyAdmin):
    list_display = ["label", "doc_type", "status", "request", "answered_at", "checked_at"]
    list_filter = ["status", "doc_type"]
    list_select_related = ["request"]
    search_fields = ["request__dossier__reference", "label"]
    raw_id_fields = ["request", "answered_by", "checked_by"]
    show_full_result_count = False
