"""In Chromium: the repairer sees "À traiter" with its count and the "À qui la main" column;
when the firm answers, the ball moves to the garage."""

import re

import pytest
from playwright.sync_api import expect

from connect.deadlines.services import recompute
from connect.dossiers.models import Dossier
from connect.messaging.services import open_thread, post_message
from connect.testing import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_repairer_sees_what_to_handle_and_the_ball_moving(live_server, page, world):
    invoice = world.dossier("10060", world.garage_a, awaiting_invoice=True, plate="FP-562-AB")
    Dossier.objects.filter(pk=world.dossier_a.pk).update(awaiting_invoice=True)
    recompute([invoice.pk, world.dossier_a.pk])
    question = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Quand ?"
    )

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, world.repairer)
    tabs = page.get_by_role("navigation", name="Onglets des dossiers")
    to_handle = tabs.get_by_role("link", name=re.compile("À traiter"))
    # Both owe the invoice; 99677 also waits on the firm, which does not hide what it owes.
    expect(to_handle).to_contain_text("(2)")

    rows = page.locator("tbody .dossier-row")
    asked = rows.filter(has_text="99677").locator("td[data-label='À qui la main']")
    expect(asked).to_contain_text(
        re.compile(r"Chez BCA · réponse prévue (aujourd'hui|demain|\w+) \d+ h")
    )
    expect(asked).to_contain_text("Réponse à un message")
    expect(asked).to_contain_text("À vous depuis aujourd'hui")
    expect(asked).to_contain_text("Facture attendue")
    expect(rows.filter(has_text="10060")).to_contain_text("À vous depuis aujourd'hui")

    to_handle.click()
    expect(page).to_have_url(re.compile(r"onglet=a-traiter"))
    expect(rows).to_have_count(2)

    # The firm answers: the question no longer waits, the invoice does — the garage's move.
    post_message(thread=question.thread, author=world.expert, body="Jeudi matin.")
    page.reload()
    expect(tabs.get_by_role("link", name=re.compile("À traiter"))).to_contain_text("(2)")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="99677")).to_contain_text("À vous")

    # Sorted by the column, from its header (the table's head shows from tablet width).
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="À qui la main").click()
    expect(page).to_have_url(re.compile(r"tri=main"))
