from django.contrib import admin

from connect.lib.admin import ReadOnlyAdmin, ReadOnlyInline
from connect.messaging.models import ExamRequest, Message, Thread


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "side", "author", "body"]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = [
        "dossier",
        "subject",
        "requester",
        "routed_role",
        "routed_to",
        "status",
        "last_message_at",
    ]
    list_filter = ["status", "subject", "routed_role", "unit"]
    list_select_related = ["dossier", "routed_to"]
    search_fields = ["dossier__reference", "dossier__plate_key"]
    raw_id_fields = ["dossier", "created_by", "routed_to"]
    inlines = [MessageInline]
    show_full_result_count = False


@admin.register(ExamRequest)
class ExamRequestAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "kind", "status", "created_at", "confirmed_at", "decided_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["dossier", "decided_by"]
    search_fields = ["dossier__reference"]
    show_full_result_count = False
