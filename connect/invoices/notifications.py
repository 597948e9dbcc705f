"""The garage hears when an invoice is paid or rejected: one e-mail per user of the garage, and
a push to the browsers of those who chose "Une facture payée ou refusée".

Queued in the caller's transaction (sent by a worker after commit, once: connect/mail.py).
The notification preference (accounts) is about messages and documents; an invoice's payment or
rejection is rare and concerns the garage's money, so every active user of the garage gets it,
as they get an account e-mail. The e-mail carries the reference and a link, not the amounts.
"""

from django.urls import reverse

from connect.accounts.queries import repairers_of
from connect.invoices.models import Invoice, InvoiceState
from connect.mail import queue_email
from connect.push.models import PushKind
from connect.push.services import notify as push


def notify_garage(invoice: Invoice) -> None:
    template = {
        InvoiceState.PAID: "invoices/email/invoice_paid",
        InvoiceState.REJECTED: "invoices/email/invoice_rejected",
    }[InvoiceState(invoice.state)]
    list_path = reverse("invoices:mine")
    context = {
        "dossier_reference": invoice.dossier.reference,
        "garage_name": invoice.dossier.garage.name,
        "reason": invoice.rejection_reason,
        "paid_on": invoice.paid_on,
        "path": reverse("dossier_detail", kwargs={"code": invoice.dossier.code}),
        "list_path": list_path,
    }
    users = list(repairers_of(invoice.dossier.garage_id))
    for user in users:
        queue_email([user.email], template, {**context, "user": user})
    # The browsers of those who chose this kind: "Mes factures" shows the decision.
    push(
        user_ids=[user.pk for user in users],
        kind=PushKind.INVOICE_DECIDED,
        dossier_reference=invoice.dossier.reference,
        url=list_path,
    )
