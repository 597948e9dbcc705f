"""The supplement's lines as a small table (a label and an amount per row) with their total:
without JavaScript the server adds them up (no amount typed: the supplement is their total);
the live total itself is checked in Chromium (test_lines_table_browser.py)."""

from decimal import Decimal

from connect.messaging.tests.helpers import compose_url, photo, post_new
from connect.supplements.models import Supplement


def rows(*pairs):
    data = {}
    for index, (label, amount) in enumerate(pairs):
        data[f"supplement_line_label_{index}"] = label
        data[f"supplement_line_amount_{index}"] = amount
    return data


def ask(client, dossier, **fields):
    return post_new(client, dossier, "methodologie", body="Démontage", files=[photo()], **fields)


def test_the_composer_offers_a_table_of_lines_with_their_total(as_repairer, world):
    html = as_repairer.get(compose_url(world.dossier_a, "methodologie")).content.decode()
    assert '<table class="supplement-lines supplement-lines--edit"' in html
    assert 'name="supplement_line_label_0"' in html and 'name="supplement_line_amount_3"' in html
    assert "Total des lignes" in html and "<textarea" not in html.split("id_body")[0]


def test_lines_without_an_amount_make_the_supplement_their_total(as_repairer, world):
    response = ask(
        as_repairer,
        world.dossier_a,
        **rows(("Aile avant droite", "320,00"), ("Peinture", "930,50")),
    )
    assert response.status_code == 302
    supplement = Supplement.objects.get()
    assert supplement.amount == Decimal("1250.50")
    assert [(line.label, line.amount) for line in supplement.lines.all()] == [
        ("Aile avant droite", Decimal("320.00")),
        ("Peinture", Decimal("930.50")),
    ]


def test_lines_that_do_not_add_up_come_back_with_their_total(as_repairer, world):
    response = ask(
        as_repairer,
        world.dossier_a,
        supplement_amount="1000",
        **rows(("Aile avant droite", "320,00"), ("Peinture", "930,50")),
    )
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Les lignes totalisent 1\u202f250,50 € HT" in html
    assert 'value="Peinture"' in html and 'value="930,50"' in html
    assert "1\u202f250,50</output>" in html  # the total, written by the server
    assert not Supplement.objects.exists()


def test_a_row_with_a_label_and_no_amount_is_refused(as_repairer, world):
    response = ask(as_repairer, world.dossier_a, **rows(("Aile avant droite", "")))
    assert response.status_code == 400
    assert "Ligne 1 : indiquez le libellé et le montant HT." in response.content.decode().replace(
        "&#x27;", "'"
    )
