"""In Chromium: filter photos, browse the preview by keyboard, download a selection as a ZIP."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from connect.documents.tests.helpers import add_pdf, add_photo
from connect.testing import log_in, run_tasks


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_previews_photos_and_downloads_a_selection(live_server, page, world, tmp_path):
    for index in range(3):
        add_photo(world.dossier_a, f"photo{index}.jpg")
    add_pdf(world.dossier_a, "rapport.pdf")
    add_pdf(world.dossier_a, "devis.pdf")
    run_tasks()
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/")

    counter = page.locator(".doc-counter")
    expect(counter).to_contain_text("5/5 documents · 3 photos · 2 autres")
    page.get_by_label("Photos").check()
    expect(counter).to_contain_text("3/5 documents")
    expect(page).to_have_url(re.compile(r"genre=photos"))
    expect(page.locator(".doc")).to_have_count(3)

    page.locator("a[data-lightbox]").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".lightbox__position")).to_have_text("1 / 3")
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lightbox__position")).to_have_text("2 / 3")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".lightbox__position")).to_have_text("3 / 3")
    expect(dialog.locator("img")).to_have_js_property("naturalWidth", 64)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_role("button", name="Téléchargement").click()
    checkboxes = page.locator(".doc__select")
    checkboxes.nth(0).check()
    checkboxes.nth(2).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger (2)").click()
    download = download_info.value
    assert download.suggested_filename == "99677.zip"
    path = tmp_path / "download.zip"
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert len(names) == 2 and all(name.startswith("Photo - ") for name in names)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_download_button_stays_in_view_while_selecting(live_server, browser, world):
    for index in range(12):
        add_photo(world.dossier_a, f"photo{index}.jpg")
    run_tasks()
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/")
    page.get_by_role("button", name="Téléchargement").tap()
    boxes = page.locator(".doc__select")
    boxes.first.check()
    boxes.last.scroll_into_view_if_needed()
    boxes.last.check()
    expect(page.get_by_role("button", name="Télécharger (2)")).to_be_in_viewport()
    context.close()
