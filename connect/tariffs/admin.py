from django.contrib import admin

from connect.lib.admin import ReadOnlyInline
from connect.tariffs.models import RateCard, RateCardFlatRate


class FlatRateInline(ReadOnlyInline):
    model = RateCardFlatRate


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    """Read-only: a rate card is what a garage declared; a correction is a new version."""

    list_display = ["garage", "version", "effective_on", "tax_basis", "labour_t1", "submitted_at"]
    list_select_related = ["garage"]
    list_filter = ["tax_basis"]
    search_fields = ["garage__name", "garage__external_id"]
    inlines = [FlatRateInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
