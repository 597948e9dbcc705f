from django.contrib import admin

from connect.push.models import PushPreference, PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "user_agent_label", "created_at", "last_success_at", "failures")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    readonly_fields = ("endpoint", "p256dh", "auth", "created_at", "last_success_at", "failures")


@admin.register(PushPreference)
class PushPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "enabled")
    list_filter = ("kind", "enabled")
    list_select_related = ("user",)
    search_fields = ("user__email",)
