from django.contrib import admin

from connect.lib.admin import ReadOnlyAdmin
from connect.staff.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "garage", "target_user"]
    list_filter = ["action"]
    list_select_related = ["actor", "garage", "target_user"]
    search_fields = ["actor__email", "garage__name", "target_user__email"]
    date_hierarchy = "created_at"
