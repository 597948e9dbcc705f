from django.urls import path

from connect.invoices import views

app_name = "invoices"

STAFF = "espace/factures/<uuid:invoice_code>/"

urlpatterns = [
    path("factures/", views.my_invoices, name="mine"),
    path(STAFF, views.staff_invoice, name="staff_invoice"),
    path(STAFF + "valider/", views.validate, name="validate"),
    path(STAFF + "refuser/", views.reject, name="reject"),
    path(STAFF + "payer/", views.pay, name="pay"),
]
