from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.api.models import Event
from connect.tariffs.models import RateCard
from connect.tariffs.tests.factories import (
    board_upload,
    form_data,
    make_rate_card,
    pdf_bytes,
    submit,
)
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def test_a_repairer_submits_french_amounts_with_commas(client, world):
    response = submit(login_as(client, world.repairer), world.garage_a)
    assert response.status_code == 302, response.content.decode()
    card = RateCard.objects.get()
    assert card.version == 1 and card.garage == world.garage_a
    assert card.labour_t1 == Decimal("62.50") and card.parts_discount == Decimal("10.5")
    assert card.mechanics is None and card.electrics == Decimal("71.20")
    assert [(f.label, f.price) for f in card.flat_rates.all()] == [
        ("Vidange", Decimal("89.90")),
        ("Géométrie", Decimal("1250.00")),
    ]
    assert card.submitted_by == world.repairer
    assert card.board_content_type == "image/png" and card.board.name.endswith(".png")
    assert "panneau" not in card.board.name  # the user's file name is never a path


def test_dots_are_accepted_too(client, world):
    response = submit(login_as(client, world.repairer), world.garage_a, labour_t1="62.50")
    assert response.status_code == 302
    assert RateCard.objects.get().labour_t1 == Decimal("62.50")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("labour_t1", "-5", "Indiquez une valeur entre 0,01 et 500 €."),
        ("labour_t2", "0", "Indiquez une valeur entre 0,01 et 500 €."),
        ("labour_t3", "5000", "Indiquez une valeur entre 0,01 et 500 €."),
        ("paint_pearl", "abc", "Saisissez un nombre, par exemple 62,50."),
        ("parts_discount", "120", "Indiquez une valeur entre 0 et 100 %."),
        ("small_supplies", "-1", "Indiquez une valeur entre 0 et 100 %."),
        ("mechanics", "9999", "Indiquez une valeur entre 0,01 et 500 €."),
        ("paint_labour", "", "Ce montant est obligatoire."),
        ("tax_basis", "", "Indiquez si vos prix sont HT ou TTC."),
        ("effective_on", "2099-01-01", "La date d'effet doit être comprise"),
        ("forfaits-0-price", "", "Indiquez le libellé et le prix de chaque forfait."),
        ("forfaits-1-price", "-3", "Indiquez une valeur entre 0,01 et 20000 €."),
    ],
)
def test_bad_values_are_refused_in_french_and_nothing_is_stored(
    client, world, private_storage, field, value, message
):
    response = submit(login_as(client, world.repairer), world.garage_a, **{field: value})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert "Vos tarifs ne sont pas transmis" in page
    assert not RateCard.objects.exists() and not Event.objects.exists()
    assert not private_storage.exists() or not any(private_storage.rglob("*.*"))


def test_the_price_board_is_required(client, world):
    data = form_data()
    del data["board_upload"]
    login_as(client, world.repairer)
    response = client.post(reverse("tariffs:submit", kwargs={"garage_id": world.garage_a.pk}), data)
    assert "Joignez une photo ou un PDF" in response.content.decode()
    assert not RateCard.objects.exists()


@pytest.mark.parametrize(
    "content, name",
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.png"),
        (b"<html><script>alert(1)</script></html>", "panneau.pdf"),
        (b"%PDF-1.4\nno end of file", "tronque.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "casse.png"),
    ],
)
def test_a_hostile_or_broken_board_is_refused(client, world, content, name):
    response = submit(
        login_as(client, world.repairer), world.garage_a, board_upload=board_upload(content, name)
    )
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    assert not RateCard.objects.exists()


def test_a_pdf_board_is_accepted(client, world):
    board = board_upload(pdf_bytes(), "panneau.pdf")
    assert (
        submit(login_as(client, world.repairer), world.garage_a, board_upload=board).status_code
        == 302
    )
    assert RateCard.objects.get().board_content_type == "application/pdf"


def test_each_submission_is_a_new_version_and_the_old_one_stays(client, world):
    login_as(client, world.repairer)
    submit(client, world.garage_a, effective_on="2024-01-01")
    submit(client, world.garage_a, effective_on="2025-01-01", labour_t1="70,00")
    first, second = RateCard.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.labour_t1 == Decimal("62.50") and second.labour_t1 == Decimal("70.00")


def test_a_submission_records_an_event_for_the_core_system(client, world):
    submit(login_as(client, world.repairer), world.garage_a)
    event = Event.objects.get()
    card = RateCard.objects.get()
    assert event.kind == "rate_card.submitted" and event.garage == world.garage_a
    assert event.payload["garage"] == "GA" and event.payload["version"] == 1
    assert event.payload["labour_t1"] == "62.50" and event.payload["mechanics"] is None
    assert event.payload["flat_rates"][0] == {"label": "Vidange", "price": "89.90"}
    assert event.payload["board"]["sha256"] == card.board_sha256


def test_the_form_is_prefilled_from_the_current_card(client, world):
    make_rate_card(world.garage_a, flat_rates=[("Vidange", Decimal("89.90"))])
    page = (
        login_as(client, world.repairer)
        .get(reverse("tariffs:submit", kwargs={"garage_id": world.garage_a.pk}))
        .content.decode()
    )
    assert 'value="62,50"' in page and 'value="Vidange"' in page


def test_adding_flat_rate_rows_keeps_the_typed_values_and_stores_nothing(client, world):
    response = submit(
        login_as(client, world.repairer), world.garage_a, ajouter_forfaits="1", labour_t1="61,00"
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="61,00"' in page
    assert 'name="forfaits-TOTAL_FORMS" value="6"' in page
    assert "field__error" not in page
    assert not RateCard.objects.exists()


def test_current_is_the_latest_effective_card_not_a_future_one(world):
    today = timezone.localdate()
    past = make_rate_card(world.garage_a, effective_on=today - timedelta(days=30))
    make_rate_card(world.garage_a, effective_on=today + timedelta(days=10))
    assert RateCard.objects.current_for(world.garage_a) == past
    later = RateCard.objects.current_for(world.garage_a, today=today + timedelta(days=10))
    assert later.version == 2


def test_a_backdated_version_does_not_replace_a_later_effective_one(world):
    newer = make_rate_card(world.garage_a, effective_on=date(2025, 1, 1))
    make_rate_card(world.garage_a, effective_on=date(2024, 1, 1))
    assert RateCard.objects.current_for(world.garage_a, today=date(2025, 6, 1)) == newer


def test_the_garage_page_shows_current_and_future_cards(client, world):
    today = timezone.localdate()
    make_rate_card(world.garage_a, effective_on=today - timedelta(days=1))
    make_rate_card(world.garage_a, effective_on=today + timedelta(days=5), labour_t1=Decimal("99"))
    page = (
        login_as(client, world.repairer)
        .get(reverse("tariffs:garage", kwargs={"garage_id": world.garage_a.pk}))
        .content.decode()
    )
    assert "Tarifs en vigueur · version 1" in page
    assert "À venir" in page and "62,50 €" in page


def test_a_storage_failure_keeps_no_card_and_no_board(client, world, monkeypatch):
    from connect.testing import fail_storage_save, stored_files

    fail_storage_save(monkeypatch, at=1)
    response = submit(login_as(client, world.repairer), world.garage_a)
    assert response.status_code < 500
    assert "L&#x27;envoi a échoué, rien n&#x27;a été enregistré." in response.content.decode()
    assert not RateCard.objects.exists() and not Event.objects.exists()
    assert stored_files("tariffs") == []
