"""In Chromium: the expert reads an invoice's reading and downloads the dossier de preuves,
which verifies; the repairer, on a 390 px phone, reads the provenance's two sides and the
invoice's agreed line (issue 28). Screenshots in /tmp/evidence-shots for a person to look at."""

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from connect.documents.models import DocumentType
from connect.documents.provenance import Provenance
from connect.documents.services import add_document
from connect.documents.tests import photos
from connect.evidence.verification import verify_pack
from connect.invoices.models import Invoice
from connect.invoices.tests.invoice_pdfs import SIRET, facturx_pdf
from connect.messaging.services import Attachment, open_thread
from connect.staff import second_factor as sf
from connect.testing import axe_violations, log_in, run_tasks

SHOTS = Path("/tmp/evidence-shots")
PHONE = {"width": 390, "height": 844}


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def evidence(world):
    dossier = world.dossier_a
    dossier.repair_amount = Decimal("2725.90")
    dossier.save(update_fields=["repair_amount"])
    world.garage_a.siret = SIRET
    world.garage_a.save(update_fields=["siret"])
    data = photos.good(taken=datetime(2026, 3, 12, 10, 42))
    add_document(
        dossier=dossier,
        file=photos.upload(data),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(
            shot="plaque",
            shot_label="Plaque d'immatriculation",
            captured_at="2026-03-12T09:42Z",
            latitude="48.85",
            longitude="2.35",
            sha256=hashlib.sha256(data).hexdigest(),
        ),
    )
    open_thread(
        dossier=dossier,
        subject_key="facture",
        author=world.repairer,
        attachments=[
            Attachment(
                SimpleUploadedFile("facture.pdf", facturx_pdf()), DocumentType.REPAIR_INVOICE
            )
        ],
    )
    run_tasks()
    return dossier, Invoice.objects.get(dossier=dossier)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_expert_reads_the_invoice_and_downloads_a_pack_that_verifies(
    live_server, page, world, tmp_path
):
    dossier, invoice = evidence(world)
    device = sf.enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")
    log_in(page, live_server, world.expert, device=device)
    page.goto(f"{live_server.url}{reverse('invoices:staff_invoice', args=[invoice.code])}")
    reading = page.locator("[data-invoice-reading]")
    expect(reading).to_contain_text("Facture lue dans les données Factur-X du PDF")
    expect(reading).to_contain_text("2\xa0725,90\xa0€ HT = montant accordé ✓")
    expect(reading).to_contain_text(f"SIRET {SIRET} valide, celui du garage")
    assert axe_violations(page) == []
    shot(page, "staff-invoice")

    page.goto(f"{live_server.url}/espace/dossiers/{dossier.code}/documents/")
    expect(page.locator("[data-server-facts]").first).to_contain_text("Scellée par le portail")
    with page.expect_download() as download:
        page.get_by_role("link", name="Dossier de preuves (ZIP signé)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == f"dossier-de-preuves-{dossier.reference}.zip"
    assert verify_pack(path) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_repairer_on_a_phone_reads_both_sides_and_the_agreed_line(live_server, page, world):
    dossier, _invoice = evidence(world)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    photo = page.locator("[data-provenance]").first
    expect(photo).to_contain_text("selon le téléphone, reçue par le portail")
    expect(page.locator("[data-server-facts]").first).to_contain_text(
        "Empreinte SHA-256 calculée à la réception"
    )
    expect(page.locator("[data-device-facts]").first).to_contain_text("(horloge du téléphone)")
    assert axe_violations(page) == []
    shot(page, "repairer-dossier")
    page.goto(f"{live_server.url}/factures/")
    expect(page.locator("[data-invoice-reading]").first).to_contain_text(
        "2\xa0725,90\xa0€ HT = montant accordé ✓"
    )
    assert axe_violations(page) == []
    shot(page, "repairer-invoices")
