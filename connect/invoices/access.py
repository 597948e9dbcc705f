from django.http import Http404

from connect.accounts.models import garage_visibility
from connect.invoices.models import Invoice


def visible_invoices(user):
    """The invoices of the dossiers `user` sees: their garages' (repairer), their unit's
    (staff), all (administrator). The same rule as `Dossier.objects.visible_to`."""
    rule = garage_visibility(user, via="dossier__garage__")
    return Invoice.objects.none() if rule is None else Invoice.objects.filter(rule)


def access_invoice(user, code) -> Invoice:
    """The one door to an invoice: the invoice, or a 404 (another garage's, another unit's)."""
    try:
        return visible_invoices(user).select_related("dossier__garage", "document").get(code=code)
    except (Invoice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
