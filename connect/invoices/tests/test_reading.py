"""Invoices read from their content (issue 28): Factur-X's XML first, else the PDF's text
layer; number, date, SIRET and VAT number (keys checked), totals and rate, and the total HT
against what was agreed (repair amount plus accepted supplements). Photographed invoices are
not read (OCR: the reading engine)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from connect.documents import samples
from connect.documents.models import Document, DocumentType
from connect.documents.seal import check as seal_holds
from connect.invoices.models import Invoice
from connect.invoices.reading import FACTURX, NONE, TEXT, InvoiceReading, checks, read_invoice
from connect.invoices.tests.invoice_pdfs import SIRET, Facts, facturx_pdf, text_pdf
from connect.messaging.services import Attachment, open_thread
from connect.supplements.models import Outcome
from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement
from connect.testing import login_as, run_tasks

pytestmark = pytest.mark.django_db


def blank_pdf() -> bytes:
    """A page without a text layer, as a scanned invoice is."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def texts(verdict) -> list[tuple[bool | None, str]]:
    return [(check.ok, check.text) for check in verdict.checks]


def test_a_text_pdf_is_read_from_its_text_layer():
    reading = read_invoice(text_pdf())
    assert reading == InvoiceReading(
        source=TEXT,
        number="F-2026-0042",
        issued_on="2026-03-12",
        siret=SIRET,
        vat_number="FR44732829320",
        total_excl_vat="2725.90",
        total_vat="545.18",
        total_incl_vat="3271.08",
        vat_rate="20.00",
    )


def test_a_facturx_pdf_is_read_from_its_xml_before_its_text():
    reading = read_invoice(facturx_pdf())
    assert reading.source == FACTURX
    assert (reading.number, reading.issued_on) == ("FX-2026-0007", "2026-03-14")
    assert (reading.siret, reading.vat_number) == (SIRET, "FR44732829320")
    # The visible text says 1,00 € HT: the embedded XML is what was read.
    assert (reading.total_excl_vat, reading.total_vat, reading.total_incl_vat) == (
        "2725.90",
        "545.18",
        "3271.08",
    )
    assert reading.vat_rate == "20.00"


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"\xff\xd8\xff\xe0 a photo", "Pas un PDF : une facture photographiée n'est pas lue."),
        (b"%PDF-1.4 garbage \x00\x01", "PDF illisible."),
        (blank_pdf(), "Aucun texte dans ce PDF (facture scannée ?) : elle n'est pas lue."),
    ],
    ids=["photo", "broken", "no text"],
)
def test_what_cannot_be_read_says_why_and_never_raises(data, problem):
    reading = read_invoice(data)
    assert (reading.source, reading.problem) == (NONE, problem)
    assert checks(reading, garage_siret=SIRET, agreed=None).checks == []


def test_a_conforming_invoice_passes_every_check():
    verdict = checks(read_invoice(text_pdf()), garage_siret=SIRET, agreed=Decimal("2725.90"))
    assert texts(verdict) == [
        (True, "Numéro de facture : F-2026-0042"),
        (True, "Date de facture : 12/03/2026"),
        (True, f"SIRET {SIRET} valide, celui du garage"),
        (True, "Numéro de TVA FR44732829320 valide"),
        (True, "2\xa0725,90\xa0€ HT + 545,18\xa0€ TVA = 3\xa0271,08\xa0€ TTC"),
        (True, "Taux de TVA : 20 %"),
        (True, "2\xa0725,90\xa0€ HT = montant accordé ✓"),
    ]
    assert verdict.all_ok


def test_each_check_fails_on_its_own_fault():
    wrong = Facts(
        siret="732 829 320 00075",  # Luhn key wrong
        vat="FR45 732829320",  # VAT key wrong
        vat_amount="272,59",  # 10 %
        incl="3 000,00",
    )
    verdict = checks(read_invoice(text_pdf(wrong)), garage_siret=SIRET, agreed=Decimal("2413.90"))
    failed = [text for ok, text in texts(verdict) if ok is False]
    assert failed == [
        "SIRET 73282932000075 invalide (clé de contrôle fausse)",
        "Numéro de TVA FR45732829320 invalide (clé de contrôle fausse)",
        "2\xa0725,90\xa0€ HT + 272,59\xa0€ TVA ≠ 3\xa0000,00\xa0€ TTC (écart de 1,51\xa0€)",
        "Taux de TVA de 10 %, 20 % attendu pour des réparations",
        "2\xa0725,90\xa0€ HT : écart de 312,00\xa0€ au-dessus du montant accordé "
        "(2\xa0413,90\xa0€ HT, réparation et suppléments acceptés)",
    ]


def test_another_companys_valid_siret_is_not_the_garages():
    other = "35600000000048"  # La Poste's head office: a valid key, another company
    verdict = checks(read_invoice(text_pdf()), garage_siret=other, agreed=None)
    assert (False, f"SIRET {SIRET} différent de celui du garage ({other})") in texts(verdict)
    assert (None, "2\xa0725,90\xa0€ HT : pas de montant accordé sur le dossier à comparer") in (
        texts(verdict)
    )


def send(dossier, repairer, data: bytes, name="facture.pdf") -> Invoice:
    open_thread(
        dossier=dossier,
        subject_key="facture",
        author=repairer,
        attachments=[Attachment(SimpleUploadedFile(name, data), DocumentType.REPAIR_INVOICE)],
    )
    return Invoice.objects.filter(dossier=dossier).latest("received_at", "id")


@pytest.fixture
def agreed_dossier(world):
    """Repair 2 425,90 € + a supplement of 300,00 € accepted + one of 312,00 € refused."""
    dossier = world.dossier_a
    dossier.repair_amount = Decimal("2425.90")
    dossier.save(update_fields=["repair_amount"])
    world.garage_a.siret = SIRET
    world.garage_a.save(update_fields=["siret"])
    for amount, outcome in (("300.00", Outcome.ACCEPTED), ("312.00", Outcome.REFUSED)):
        supplement = submit_supplement(
            dossier=dossier, by=world.repairer, draft=SupplementDraft(amount=Decimal(amount))
        )
        decide_supplement(supplement=supplement, by=world.expert, outcome=outcome, reason="x")
    return dossier


def test_the_expert_and_the_repairer_see_the_reading_once_read(client, world, agreed_dossier):
    invoice = send(agreed_dossier, world.repairer, facturx_pdf())
    staff_url = reverse("invoices:staff_invoice", kwargs={"invoice_code": invoice.code})
    login_as(client, world.expert)
    assert "Lecture de la facture en cours…" in client.get(staff_url).content.decode()
    run_tasks()
    invoice.refresh_from_db()
    assert invoice.reading["source"] == FACTURX and invoice.reading["kind"] == "invoice"
    page = client.get(staff_url).content.decode()
    assert "Facture lue dans les données Factur-X du PDF" in page
    assert "2\xa0725,90\xa0€ HT = montant accordé ✓" in page
    assert f"SIRET {SIRET} valide, celui du garage" in page
    # The validation form starts from the amounts read, for the expert to check.
    form = client.get(staff_url).context["validate_form"]
    assert form.initial == {
        "amount_excl_vat": Decimal("2725.90"),
        "amount_incl_vat": Decimal("3271.08"),
    }
    mine = login_as(client, world.repairer).get(reverse("invoices:mine")).content.decode()
    assert "2\xa0725,90\xa0€ HT = montant accordé ✓" in mine
    assert "Numéro de TVA" not in mine  # the repairer's table shows what fails, and the total


def test_the_reading_is_among_the_documents_readings_and_under_its_seal(world, agreed_dossier):
    invoice = send(
        agreed_dossier, world.repairer, text_pdf(Facts(excl="3 037,90", incl="3 583,08"))
    )
    run_tasks()
    document = Document.objects.select_related("dossier").get(pk=invoice.document_id)
    assert document.readings == [Invoice.objects.get(pk=invoice.pk).reading]
    assert seal_holds(document)  # sealed again over the reading
    page_invoice = Invoice.objects.get(pk=invoice.pk)
    from connect.invoices.reading import verdict_of
    from connect.supplements.services import agreed_total

    verdict = verdict_of(page_invoice, agreed=agreed_total(agreed_dossier))
    assert verdict.agreed == (
        "3\xa0037,90\xa0€ HT : écart de 312,00\xa0€ au-dessus du montant accordé "
        "(2\xa0725,90\xa0€ HT, réparation et suppléments acceptés)"
    )


def test_a_photographed_invoice_is_kept_and_said_unread(world, agreed_dossier):
    invoice = send(agreed_dossier, world.repairer, samples.jpeg((64, 48)), name="facture.jpg")
    run_tasks()
    invoice.refresh_from_db()
    assert invoice.reading["problem"].startswith("Facture photographiée")


def test_the_core_system_gets_the_reading_and_its_checks(client, world, agreed_dossier):
    from connect.api.models import ApiToken, Event

    invoice = send(agreed_dossier, world.repairer, text_pdf())
    run_tasks()
    event = Event.objects.get(kind="invoice.read")
    assert event.payload["invoice"]["code"] == str(invoice.code)
    assert event.payload["invoice"]["reading"]["number"] == "F-2026-0042"
    assert {"ok": True, "text": "2\xa0725,90\xa0€ HT = montant accordé ✓"} in event.payload[
        "checks"
    ]
    key = ApiToken.issue("core")[1]
    body = client.get(
        f"/api/v1/invoices/{invoice.code}", headers={"Authorization": f"Bearer {key}"}
    ).json()
    assert body["reading"]["total_excl_vat"] == "2725.90" and body["reading"]["source"] == "text"


@given(value=st.decimals(min_value=0, max_value=10**9 - 1, places=2))
def test_an_amount_written_the_french_way_is_read_back(value):
    from connect.invoices.reading import _amount
    from connect.lib.money import format_euros

    for thousands in ("\u00a0", " ", "\u202f", ".", ""):
        assert _amount(format_euros(value, unit=False, thousands=thousands)) == f"{value:.2f}"
    assert _amount(f"{value:.2f}") == f"{value:.2f}"
