from django.contrib import admin

from connect.help.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "updated_at"]
