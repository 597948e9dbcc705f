from django.contrib import admin

from connect.updates.models import ServiceUpdate, ServiceUpdateSeen


@admin.register(ServiceUpdate)
class ServiceUpdateAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on", "title", "audience", "is_published"]
    list_filter = ["is_published", "audience"]
    search_fields = ["version", "title"]
    readonly_fields = ["author", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ServiceUpdateSeen)
class ServiceUpdateSeenAdmin(admin.ModelAdmin):
    list_display = ["update", "user", "seen_at"]
    list_select_related = ["update", "user"]
    raw_id_fields = ["user", "update"]
