"""Papercuts of the checklist (issue 24, item 12): the count of items to provide follows an
answer; a request asked from a thread shows in that thread on both sides; the expert's check
page shows the photos' thumbnails; the request form labels each row once and does not lay out
six empty rows; the dossier page links to the checklist from its top."""

import re

from django.urls import reverse

from connect.checklists.services import ItemSpec, answer_item, create_request
from connect.checklists.tests.helpers import answer_url, photo, staff_url
from connect.documents.models import DocumentType
from connect.messaging.services import open_thread
from connect.testing import login_as, run_tasks

OOB_COUNT = r'id="checklist-count"[^>]*hx-swap-oob="true"[^>]*>'
ITEMS = [ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO), ItemSpec("Numéro de série")]


def test_the_count_to_provide_follows_an_htmx_answer(client, world):
    request = create_request(dossier=world.dossier_a, by=world.expert, items=ITEMS)
    first, second = request.items.order_by("position")
    login_as(client, world.repairer)
    page = client.get(reverse("dossier_detail", args=[world.dossier_a.code])).content.decode()
    assert "2 à fournir" in page
    response = client.post(answer_url(second), {"note": "SN 4471"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert re.search(OOB_COUNT + r"\s*· <strong>1 à fournir", html)
    response = client.post(answer_url(first), {"files": [photo()]}, headers={"HX-Request": "true"})
    assert re.search(OOB_COUNT + r"\s*</", response.content.decode())


def test_a_request_asked_from_a_thread_shows_in_that_thread_on_both_sides(client, world):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Bonjour"
    ).thread
    create_request(dossier=world.dossier_a, by=world.expert, items=ITEMS, thread=thread)
    staff = login_as(client, world.expert).get(reverse("staff:thread", args=[thread.code]))
    html = staff.content.decode()
    assert "Compléments demandés depuis ce fil" in html and "Numéro de série" in html
    assert staff_url(world.dossier_a) in html
    url = reverse(
        "messaging:thread", kwargs={"code": world.dossier_a.code, "thread_code": thread.code}
    )
    html = login_as(client, world.repairer).get(url).content.decode()
    assert "Compléments demandés depuis ce fil" in html and "Photo ¾ avant droit" in html
    assert reverse("dossier_detail", args=[world.dossier_a.code]) + "#checklist" in html


def test_the_check_page_shows_the_photos_thumbnails(client, world):
    request = create_request(dossier=world.dossier_a, by=world.expert, items=ITEMS[:1])
    answer_item(item=request.items.get(), by=world.repairer, files=[photo()])
    run_tasks()  # the thumbnail
    document = request.items.get().documents.get()
    html = login_as(client, world.expert).get(staff_url(world.dossier_a)).content.decode()
    thumbnail = reverse("document_thumbnail", args=[world.dossier_a.code, document.code])
    assert f'src="{thumbnail}"' in html


def test_the_request_form_labels_each_row_once_and_shows_a_few_rows(client, world):
    html = login_as(client, world.expert).get(staff_url(world.dossier_a)).content.decode()
    assert html.count("Élément 1") == 1
    shown = html.split('<details class="checklist-more"')[0]
    assert shown.count('class="field checklist-row"') == 2
    assert "Demander d'autres éléments" in html


def test_the_dossier_page_links_to_the_checklist_from_its_top(client, world):
    create_request(dossier=world.dossier_a, by=world.expert, items=ITEMS)
    login_as(client, world.repairer)
    html = client.get(reverse("dossier_detail", args=[world.dossier_a.code])).content.decode()
    jump = html.index('href="#checklist"')
    assert jump < html.index('id="info-title"')
    assert "2 à fournir" in html[jump : jump + 300]
