import base64

import pytest

from connect.documents.models import Document
from connect.messaging.models import Thread
from connect.messaging.tests.helpers import jpeg, pdf
from connect.testing import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_writes_to_the_expert_with_a_chosen_and_a_dropped_document(
    live_server, page, world, tmp_path
):
    quote = tmp_path / "devis-carrosserie.pdf"
    quote.write_bytes(pdf())
    log_in(page, live_server, world.repairer)

    page.set_viewport_size({"width": 360, "height": 740})  # a phone: nothing scrolls sideways
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=expert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("textarea[name=body]", "Voici le devis et la photo du choc.")
    page.set_input_files("#id_files", str(quote))
    page.locator("[data-file-list] select").nth(0).select_option(label="Devis")
    page.locator("[data-drop-target]").evaluate(
        """(target, b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], "choc-avant.jpg", { type: "image/jpeg" }));
            target.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true,
                                                         cancelable: true }));
        }""",
        base64.b64encode(jpeg()).decode(),
    )
    page.locator("[data-file-list] select").nth(1).select_option(label="Diagnostic")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Envoyer").click()

    page.wait_for_url(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/*/")
    thread = Thread.objects.get()
    assert page.url.endswith(f"/messages/{thread.code}/")
    body = page.locator(".message-list")
    assert "Voici le devis et la photo du choc." in body.inner_text()
    assert "devis-carrosserie.pdf" in body.inner_text() and "choc-avant.jpg" in body.inner_text()
    types = {d.original_name: d.get_doc_type_display() for d in Document.objects.all()}
    assert types == {"devis-carrosserie.pdf": "Devis", "choc-avant.jpg": "Diagnostic"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_composer_is_set_up_after_choosing_each_subject_in_the_list(
    live_server, page, dossier, world, tmp_path
):
    """htmx swaps the composer in when "Objet" changes: the per-file lines must follow at once,
    without a reload (htmx fires htmx:load on the swapped form itself)."""
    from connect.messaging.subjects import offered_subjects

    quote = tmp_path / "piece.pdf"
    quote.write_bytes(pdf())
    shot = tmp_path / "choc.jpg"
    shot.write_bytes(jpeg())
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/")
    subjects = [s for s in offered_subjects(dossier) if s.documents != "absent"]
    assert len(subjects) >= 8
    for subject in subjects:
        page.select_option("#id_objet", subject.key)
        # The swapped form, once composer.js has set it up (htmx:load comes after the swap).
        form = page.locator(
            f"#composer-form[data-composer-ready]:has(input[name=objet][value='{subject.key}'])"
        )
        form.wait_for()
        expect_file = str(quote if subject.accepts_pdf else shot)
        form.locator("#id_files").set_input_files(expect_file)
        line = form.locator("[data-file-list] .file-list__item")
        line.wait_for()
        assert line.count() == 1, subject.key
        assert line.locator("progress").count() == 1
        if subject.automatic:
            assert "Type automatique" in line.inner_text()
        else:
            assert line.locator("select").count() == 1
            assert form.locator("[data-fallback-type]").is_hidden()
