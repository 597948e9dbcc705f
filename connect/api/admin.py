from django.contrib import admin, messages
from django.utils import timezone

from connect.api.models import ApiToken, Event
from connect.lib.plural import counted


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued here or with `manage.py create_api_token`; the key shows once."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix", "webhook_url", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = ApiToken.issue(obj.name, webhook_url=obj.webhook_url)
        obj.pk, obj.prefix = token.pk, token.prefix
        self.message_user(
            request,
            f"Jeton créé. Copiez-le maintenant, il ne sera plus affiché : {key}",
            messages.WARNING,
        )

    @admin.action(description="Révoquer les jetons sélectionnés")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{counted(count, 'jeton révoqué', 'jetons révoqués')}.")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "garage", "dossier", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["garage", "dossier"]
    raw_id_fields = ["garage", "dossier"]
    readonly_fields = ["txid", "created_at"]
    show_full_result_count = False
