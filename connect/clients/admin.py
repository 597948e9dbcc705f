from django.contrib import admin

from connect.clients.models import Client, ClientMember


class ClientMemberInline(admin.TabularInline):
    model = ClientMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "external_id"]
    list_filter = ["kind"]
    search_fields = ["name", "external_id"]
    inlines = [ClientMemberInline]
