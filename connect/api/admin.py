from django.contrib import admin, messages
from django.utils import timezone

from connect.api.models import ApiToken, BatchJob, Event
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


@admin.register(BatchJob)
class BatchJobAdmin(admin.ModelAdmin):
    """The core system's batches applied in the background: what an operator looks at when the
    core system asks why one failed (its result holds the errors per item)."""

    list_display = ["code", "token", "state", "items", "created_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["token"]
    search_fields = ["code"]
    fields = ["code", "token", "state", "items", "result", "created_at", "finished_at"]
    readonly_fields = ["code", "token", "state", "items", "result", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # A code is a UUID: anything else finds nothing rather than failing in the database.
        from connect.lib.http import uuid_or_none

        if not search_term:
            return queryset, False
        code = uuid_or_none(search_term)
        return (queryset.filter(code=code) if code else queryset.none()), False
