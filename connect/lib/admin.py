"""Admin helpers: records written by the portal's services are inspected, never hand-edited."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Search and filter, no add/change/delete: workflows go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
