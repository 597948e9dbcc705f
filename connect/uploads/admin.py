from django.contrib import admin

from connect.uploads.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ("file_name", "dossier", "user", "state", "offset", "size", "expires_at")
    list_filter = ("state",)
    readonly_fields = [field.name for field in Upload._meta.fields]
