from django.contrib import admin

from connect.readings.models import Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "kind", "verdict", "value", "cpu_ms", "created_at")
    list_filter = ("kind", "verdict")
    search_fields = ("dossier__reference", "value")
    raw_id_fields = ("dossier", "document", "requested_by")
    readonly_fields = [field.name for field in Reading._meta.fields if field.name != "id"]
