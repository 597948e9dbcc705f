from django.contrib import admin

from connect.lib.admin import ReadOnlyAdmin, ReadOnlyInline
from connect.supplements.models import (
    Supplement,
    SupplementCeiling,
    SupplementDecision,
    SupplementLine,
)


class LineInline(ReadOnlyInline):
    model = SupplementLine
    fields = ["label", "amount"]


class DecisionInline(ReadOnlyInline):
    model = SupplementDecision
    fields = ["decided_at", "outcome", "accepted_amount", "reason", "decided_by"]


# Read-only: decisions are history, taken in the staff workspace, never edited.
@admin.register(Supplement)
class SupplementAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "amount", "submitted_by", "submitted_at"]
    list_select_related = ["dossier", "submitted_by"]
    search_fields = ["dossier__reference"]
    raw_id_fields = ["dossier", "thread", "submitted_by"]
    inlines = [LineInline, DecisionInline]
    show_full_result_count = False


@admin.register(SupplementDecision)
class SupplementDecisionAdmin(ReadOnlyAdmin):
    list_display = ["supplement", "outcome", "accepted_amount", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["supplement", "decided_by"]
    search_fields = ["supplement__dossier__reference"]
    raw_id_fields = ["supplement", "decided_by"]
    show_full_result_count = False


@admin.register(SupplementLine)
class SupplementLineAdmin(ReadOnlyAdmin):
    list_display = ["label", "amount", "supplement"]
    list_select_related = ["supplement"]
    search_fields = ["supplement__dossier__reference", "label"]
    raw_id_fields = ["supplement"]
    show_full_result_count = False


@admin.register(SupplementCeiling)
class SupplementCeilingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "up_to", "raised_by", "raised_at"]
    list_select_related = ["dossier", "raised_by"]
    search_fields = ["dossier__reference"]
    raw_id_fields = ["dossier", "raised_by"]
    show_full_result_count = False
