from django.contrib import admin
from django.db import transaction
from django.utils import timezone

from connect.accounts.models import normalize_email
from connect.dossiers.kept import forget
from connect.dossiers.models import Dossier, Step
from connect.dossiers.touch import touch_dossiers, touch_garages


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "plate",
        "claim_reference",
        "vehicle",
        "insurer",
        "status_label",
        "garage",
        "mission_received_on",
        "archived",
    ]
    list_filter = ["archived", "awaiting_invoice", "ve_follow_up", "awaiting_ead", "insurer"]
    list_select_related = ["garage"]
    search_fields = ["reference", "plate_key", "claim_reference", "insured_name"]
    raw_id_fields = ["garage", "expert", "advisor"]
    readonly_fields = [
        "code",
        "plate_key",
        "search_text",
        "archived_at",
        "created_at",
        "updated_at",
    ]
    inlines = [StepInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        obj.set_derived_fields()
        obj.insured_email = normalize_email(obj.insured_email)
        if obj.archived != (obj.archived_at is not None):  # as the API's writers date it
            obj.archived_at = timezone.now() if obj.archived else None
        super().save_model(request, obj, form, change)
        # The list's counts, and the ball (a flag such as awaiting_invoice may have changed).
        touch_dossiers([obj.pk], garage_ids=[obj.garage_id, form.initial.get("garage")])

    @transaction.atomic
    def delete_model(self, request, obj):
        forget([obj.pk])  # its marks leave the kept counts (kept.py)
        touch_garages([obj.garage_id])
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        forget(queryset.values_list("pk", flat=True))
        touch_garages(set(queryset.values_list("garage_id", flat=True)))
        super().delete_queryset(request, queryset)
