from django.contrib import admin

from connect.invoices.models import Invoice, InvoiceStateChange


class InvoiceStateChangeInline(admin.TabularInline):
    model = InvoiceStateChange
    extra = 0
    can_delete = False
    readonly_fields = ["state", "at", "by", "by_core_system", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Read-only: states change through the staff pages or the API, which keep the history,
    publish the event and tell the garage."""

    list_display = ["dossier", "state", "received_at", "amount_incl_vat", "paid_on"]
    list_filter = ["state"]
    list_select_related = ["dossier"]
    search_fields = ["dossier__reference", "payment_reference"]
    inlines = [InvoiceStateChangeInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
