"""In Chromium: the updates window after login, Escape, marking read, and the next login."""

import pytest
from playwright.sync_api import expect

from connect.testing import PASSWORD
from connect.updates.models import ServiceUpdate, ServiceUpdateSeen


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()


def log_out(page):
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("input[name=username]")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_window_opens_at_each_login_until_marked_read(live_server, page, world):
    update = ServiceUpdate.objects.create(
        version="24.9.5",
        title="Transmettre vos tarifs publics",
        body="Nouveau : **tarifs publics**.\n\n<script>window.pwned = 1</script>",
        is_published=True,
    )
    log_in(page, live_server, world.repairer)
    window = page.get_by_role("dialog", name="Mises à jour du service")
    expect(window).to_be_visible()
    expect(window).to_contain_text("24.9.5")
    assert page.evaluate("window.pwned") is None
    # Modal: focus starts inside the window; Escape closes it without marking read.
    assert page.evaluate("document.querySelector('dialog').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    assert not ServiceUpdateSeen.objects.exists()

    log_out(page)
    log_in(page, live_server, world.repairer)
    expect(window).to_be_visible()
    window.get_by_label("Marquer comme lu").check()
    window.get_by_role("button", name="Valider").click()
    expect(window).to_be_hidden()
    assert ServiceUpdateSeen.objects.filter(user=world.repairer, update=update).exists()

    log_out(page)
    log_in(page, live_server, world.repairer)
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()
    expect(page.locator("dialog[data-updates-window]")).to_have_count(0)
