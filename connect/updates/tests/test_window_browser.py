"""In Chromium: the updates window after login, Escape, marking read, and the next login."""

import pytest
from playwright.sync_api import expect

from connect.testing import log_in, log_out
from connect.updates.models import ServiceUpdate, ServiceUpdateSeen


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
    # Modal: focus starts inside the window; Escape closes it without marking read. The server
    # renders the window open and updates.js makes it modal: wait for that, not a fixed time.
    page.wait_for_function("() => document.querySelector('dialog').matches(':modal')")
    assert page.evaluate("document.querySelector('dialog').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    assert not ServiceUpdateSeen.objects.exists()

    log_out(page)
    log_in(page, live_server, world.repairer)
    expect(window).to_be_visible()
    # Ticking is the action: recorded at once, before anything else is pressed.
    window.get_by_label("Marquer comme lu").check()
    expect(window.get_by_role("status")).to_have_text("1 mise à jour marquée comme lue.")
    assert ServiceUpdateSeen.objects.filter(user=world.repairer, update=update).exists()
    window.get_by_role("button", name="Fermer").click()
    expect(window).to_be_hidden()

    log_out(page)
    log_in(page, live_server, world.repairer)
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()
    expect(page.locator("dialog[data-updates-window]")).to_have_count(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_every_update_is_named_in_view_and_a_tick_then_escape_is_kept(
    live_server, browser, world
):
    from datetime import date

    from connect.updates.models import Audience

    long_body = "\n\n".join(["Un paragraphe de nouveautés assez long pour un téléphone."] * 12)
    ServiceUpdate.objects.create(
        version="24.9.3",
        title="Recherche",
        body=long_body,
        is_published=True,
        published_on=date(2024, 9, 16),
    )
    second = ServiceUpdate.objects.create(
        version="24.9.5",
        title="Tarifs",
        body=long_body,
        is_published=True,
        published_on=date(2024, 10, 7),
        audience=Audience.REPAIRERS,
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, world.repairer)
    window = page.get_by_role("dialog", name="Mises à jour du service")
    expect(window).to_be_visible()
    index = window.get_by_role("navigation", name="Mises à jour de cette fenêtre")
    for version in ("24.9.5", "24.9.3"):
        expect(index.get_by_role("link", name=f"Version {version}")).to_be_in_viewport()
    expect(window.get_by_role("button", name="Fermer")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    index.get_by_role("link", name="Version 24.9.3").tap()
    older = window.get_by_role("article", name="Version 24.9.3 · Recherche")
    expect(older.get_by_role("heading")).to_be_in_viewport()
    window.get_by_role("article", name="Version 24.9.5 · Tarifs").get_by_label(
        "Marquer comme lu"
    ).check()
    expect(window.get_by_role("status")).to_have_text("1 mise à jour marquée comme lue.")
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    assert list(ServiceUpdateSeen.objects.values_list("update", flat=True)) == [second.pk]
    context.close()
