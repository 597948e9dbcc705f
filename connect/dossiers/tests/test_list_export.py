"""Export of the current list view to CSV and XLSX."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from connect.testing import login_as


def csv_cells(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_cells(response) -> list[list]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def export_world(world):
    world.dossier(
        "10050",
        world.garage_a,
        plate="AB-123-CD",
        insured_name='=HYPERLINK("http://evil")',
        vehicle="+33 PEUGEOT",
        claim_reference="@SUM(A1)",
        repair_amount="2725.90",
        mission_received_on=date(2026, 11, 25),
        awaiting_invoice=True,
    )
    world.dossier("10051", world.garage_a, archived=True, plate="AB-999-ZZ")
    return world


def test_csv_has_french_headers_formats_and_a_bom(client, export_world):
    response = login_as(client, export_world.repairer).get("/dossiers/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_cells(response)
    assert rows[0][:3] == ["Référence BCA", "Immatriculation", "Référence sinistre"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {"99677", "10050"}  # the archived one is not in "Tous"
    row = by_reference["10050"]
    assert row[9] == "2 725,90" and row[11] == "25/11/2026"


def test_csv_neutralises_formulas(client, export_world):
    rows = csv_cells(login_as(client, export_world.repairer).get("/dossiers/export.csv"))
    row = next(row for row in rows if row[0] == "10050")
    assert row[6] == '\'=HYPERLINK("http://evil")'
    assert row[3] == "'+33 PEUGEOT"
    assert row[2] == "'@SUM(A1)"


def test_export_follows_the_current_tab_and_search(client, export_world):
    login_as(client, export_world.repairer)
    rows = csv_cells(client.get("/dossiers/export.csv", {"onglet": "attente-facture"}))
    assert [row[0] for row in rows[1:]] == ["10050"]
    rows = csv_cells(client.get("/dossiers/export.csv", {"q": "ab 999"}))
    assert [row[0] for row in rows[1:]] == ["10051"]
    assert rows[1][12] == "oui"  # historique


def test_xlsx_has_typed_cells_and_neutralised_text(client, export_world):
    response = login_as(client, export_world.repairer).get("/dossiers/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_cells(response)
    assert rows[0][0] == "Référence BCA"
    row = next(row for row in rows if row[0] == "10050")
    assert row[6] == '\'=HYPERLINK("http://evil")'
    assert float(row[9]) == 2725.90
    assert row[11].date() == date(2026, 11, 25)


@pytest.mark.parametrize("url", ["/dossiers/export.csv", "/dossiers/export.xlsx"])
def test_another_garages_dossiers_are_never_exported(client, export_world, url):
    response = login_as(client, export_world.other_repairer).get(url, {"q": "AB"})
    content = b"".join(response.streaming_content)
    if url.endswith(".csv"):
        assert b"10050" not in content and b"99677" not in content
    else:
        rows = xlsx_cells(login_as(client, export_world.other_repairer).get(url))
        assert [row[0] for row in rows[1:]] == ["99791"]


def test_export_needs_a_login(client, export_world):
    response = client.get("/dossiers/export.csv")
    assert response.status_code == 302 and "/connexion/" in response["Location"]
