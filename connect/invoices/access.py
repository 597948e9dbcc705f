from connect.accounts.models import garage_visibility
from connect.invoices.models import Invoice
from connect.lib.http import get_or_404


def visible_invoices(user):
    """The invoices of the dossiers `user` sees: their garages' (repairer), their unit's
    (staff), all (administrator). The same rule as `Dossier.objects.visible_to`."""
    rule = garage_visibility(user, via="dossier__garage__")
    return Invoice.objects.none() if rule is None else Invoice.objects.filter(rule)


def access_invoice(user, code) -> Invoice:
    """The one door to an invoice: the invoice, or a 404 (another garage's, another unit's)."""
    return get_or_404(
        visible_invoices(user).select_related("dossier__garage", "document"), code=code
    )
