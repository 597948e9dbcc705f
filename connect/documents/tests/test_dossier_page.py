from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from connect.documents.models import DocumentSeen, DocumentType, Origin
from connect.documents.tests.helpers import add_pdf, add_photo
from connect.dossiers.models import DossierSeen, Step, StepKind
from connect.testing import login_as


def page_url(dossier, **params):
    url = reverse("dossier_detail", kwargs={"code": dossier.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def documents(world):
    now = timezone.now()
    photos = [
        add_photo(world.dossier_a, f"photo{i}.jpg", occurred_at=now - timedelta(days=i))
        for i in range(3)
    ]
    report = add_pdf(world.dossier_a, "rapport.pdf", occurred_at=now - timedelta(days=10))
    invoice = add_pdf(
        world.dossier_a,
        "facture.pdf",
        DocumentType.REPAIR_INVOICE,
        occurred_at=now - timedelta(days=1, hours=1),
    )
    return {"photos": photos, "report": report, "invoice": invoice}


def test_it_shows_every_information_of_the_dossier(as_repairer, world):
    dossier = world.dossier_a
    dossier.repair_amount = "2725.90"
    dossier.ve_procedure = dossier.ve_follow_up = True
    dossier.remote_assessment = dossier.awaiting_ead = True
    dossier.appointment_at = timezone.now() + timedelta(days=2)
    dossier.save()
    Step.objects.create(
        dossier=dossier,
        label="Examen pendant travaux",
        kind=StepKind.EXAM,
        occurred_at=timezone.now() + timedelta(days=2),
    )
    html = as_repairer.get(page_url(dossier)).content.decode()
    for text in (
        "99677",
        "GG-010-MZ",
        "0040230002053373",
        "BMW - SERIE 1 F40",
        "AXA FRANCE",
        "OGIC ILE DE FRANCE EST",
        "2 725,90 €",
        "Garage A",
        "Expert",
        "Conseiller",
        "en attente de vos éléments EAD",
        "Examen pendant travaux",
        "Jours de passage",
        "Informations",
        "Messages",
    ):
        assert text in html, text
    assert '<li class="weekday weekday--on">Lundi' in html
    assert '<li class="weekday">Mardi' in html
    assert '<li class="weekday weekday--on">Jeudi' in html
    assert "Samedi" in html


def test_the_counter_reflects_the_active_filter(as_repairer, world, documents):
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert "5/5 documents</strong> · 3 photos · 2 autres" in html
    html = as_repairer.get(page_url(world.dossier_a, genre="photos")).content.decode()
    assert "3/5 documents</strong> · 3 photos · 2 autres" in html
    assert "rapport.pdf" not in html and "photo0.jpg" in html
    html = as_repairer.get(page_url(world.dossier_a, genre="autres")).content.decode()
    assert "2/5 documents" in html and "photo0.jpg" not in html
    html = as_repairer.get(page_url(world.dossier_a, type="facture_reparations")).content.decode()
    assert "1/5 documents" in html and "facture.pdf" in html and "rapport.pdf" not in html


def test_unknown_filters_are_ignored(as_repairer, world, documents):
    html = as_repairer.get(page_url(world.dossier_a, genre="<x>", type="nope")).content.decode()
    assert "5/5 documents" in html


def test_documents_are_listed_newest_first(as_repairer, world, documents):
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    names = ["photo0.jpg", "photo1.jpg", "facture.pdf", "photo2.jpg", "rapport.pdf"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)


def test_the_filter_answers_htmx_with_the_documents_block_only(as_repairer, world, documents):
    response = as_repairer.get(
        page_url(world.dossier_a, genre="photos"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="documents",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="documents"') and "<html" not in html
    assert "3/5 documents" in html


def test_photos_show_a_placeholder_until_their_thumbnail_is_ready(as_repairer, world, documents):
    from connect.testing import run_tasks

    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert html.count("document-pending.svg") == 3
    run_tasks()
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert "document-pending.svg" not in html.split('id="documents"')[1].split("</ul>")[0]
    assert "/miniature/" in html


def test_a_replaced_report_is_marked_cancelled_and_replaced(as_repairer, world, documents):
    add_pdf(world.dossier_a, "rapport-v2.pdf", replaces=documents["report"])
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert html.count("Annulé et remplacé") == 1
    assert html.count("Annule et remplace une version précédente") == 1
    items = html.split('<li class="doc')
    old = next(item for item in items if "rapport.pdf" in item)
    new = next(item for item in items if "rapport-v2.pdf" in item)
    assert "Annulé et remplacé" in old and "doc--replaced" in old
    assert "Annulé et remplacé" not in new and "Annule et remplace" in new


def test_the_timeline_order_is_chosen_and_remembered(as_repairer, world):
    now = timezone.now()
    for days, label in ((3, "Réception de la mission"), (2, "Rendez-vous"), (1, "Rapport")):
        Step.objects.create(dossier=world.dossier_a, label=label, occurred_at=now - timedelta(days))
    url = page_url(world.dossier_a)

    def order(html):
        return sorted(("Réception de la mission", "Rendez-vous", "Rapport"), key=html.index)

    ascending = ["Réception de la mission", "Rendez-vous", "Rapport"]
    assert order(as_repairer.get(url).content.decode()) == ascending
    assert order(as_repairer.get(url + "?etapes=desc").content.decode()) == ascending[::-1]
    assert order(as_repairer.get(url).content.decode()) == ascending[::-1]  # remembered
    assert order(as_repairer.get(url + "?etapes=asc").content.decode()) == ascending


def test_viewing_the_list_marks_documents_seen_for_this_user_only(client, world, documents):
    repairer = login_as(client, world.repairer)
    html = repairer.get(page_url(world.dossier_a)).content.decode()
    assert html.count("badge--new") == 5  # shown as new the first time
    assert DocumentSeen.objects.filter(user=world.repairer).count() == 5
    assert DossierSeen.objects.get(user=world.repairer, dossier=world.dossier_a).documents_seen_at
    html = repairer.get(page_url(world.dossier_a)).content.decode()
    assert "badge--new" not in html
    assert not DocumentSeen.objects.filter(user=world.colleague).exists()
    colleague = login_as(client, world.colleague).get(page_url(world.dossier_a))
    assert colleague.content.decode().count("badge--new") == 5


def test_a_filtered_list_marks_only_the_documents_shown(as_repairer, world, documents):
    as_repairer.get(page_url(world.dossier_a, genre="photos"))
    assert DocumentSeen.objects.filter(user=world.repairer).count() == 3
    assert not DossierSeen.objects.filter(user=world.repairer).exists()


def test_viewing_the_page_again_writes_nothing(as_repairer, world, documents):
    as_repairer.get(page_url(world.dossier_a))
    with CaptureQueriesContext(connection) as again:
        as_repairer.get(page_url(world.dossier_a))
    writes = [
        query["sql"]
        for query in again.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]
    assert writes == []


def test_a_document_opened_alone_is_still_caught_up_by_the_next_view_of_the_page(
    as_repairer, world, documents
):
    as_repairer.get(page_url(world.dossier_a))
    newer = add_pdf(world.dossier_a, "complement.pdf")
    world.dossier_a.refresh_from_db()
    file_url = reverse(
        "document_file", kwargs={"code": world.dossier_a.code, "document_code": newer.code}
    )
    as_repairer.get(file_url)  # seen on its own: no "Nouveau" badge left for it on the page
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert "badge--new" not in html
    seen = DossierSeen.objects.get(user=world.repairer, dossier=world.dossier_a)
    assert seen.documents_seen_at >= world.dossier_a.last_document_at


def test_the_page_costs_the_same_queries_with_many_documents(
    as_repairer, world, django_assert_max_num_queries
):
    add_pdf(world.dossier_a)
    with django_assert_max_num_queries(50) as few:
        as_repairer.get(page_url(world.dossier_a))
        as_repairer.get(page_url(world.dossier_a))
    for index in range(30):
        add_photo(world.dossier_a, f"p{index}.jpg", origin=Origin.CORE_SYSTEM)
        add_pdf(world.dossier_a, f"d{index}.pdf", replaces=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_repairer.get(page_url(world.dossier_a))
        as_repairer.get(page_url(world.dossier_a))


@pytest.mark.parametrize("persona", ["other_repairer", "other_expert"])
def test_another_garage_gets_a_404_on_the_page(client, world, persona):
    response = login_as(client, getattr(world, persona)).get(page_url(world.dossier_a))
    assert response.status_code == 404


def test_hostile_names_and_titles_are_escaped_in_the_list(as_repairer, world):
    add_pdf(world.dossier_a, '<img src=x onerror="alert(1)">.pdf', title="<b>'titre'</b> & co")
    add_photo(world.dossier_a, '"><svg onload=alert(2)>.jpg')
    html = as_repairer.get(page_url(world.dossier_a)).content.decode()
    assert "<svg onload" not in html and "<img src=x" not in html and "<b>'" not in html
    assert "&lt;b&gt;&#x27;titre&#x27;&lt;/b&gt; &amp; co" in html
    assert "&quot;&gt;&lt;svg onload=alert(2)&gt;.jpg" in html


PANEL_TABLES = (
    "deadlines_waitperiod",
    "messaging_thread",
    "messaging_examrequest",
    "invoices_invoice",
    "checklists_request",
    "supplements_supplement",
)


def test_a_dossier_without_waits_threads_or_requests_asks_no_panel_table(as_repairer, world):
    dossier = world.dossier_a
    assert not dossier.wait_periods.exists() and not dossier.threads.exists()
    with CaptureQueriesContext(connection) as queries:
        response = as_repairer.get(page_url(dossier))
    assert response.status_code == 200
    # The dossier's own query says each panel is empty (dossiers/panels.py): no query of its own.
    asked = [q["sql"] for q in queries.captured_queries if "EXISTS" not in q["sql"]]
    for table in PANEL_TABLES:
        assert not [sql for sql in asked if f'FROM "{table}"' in sql], table


def test_the_panel_flags_say_exactly_which_panels_have_rows(world):
    from connect.dossiers import panels
    from connect.dossiers.access import access_dossier
    from connect.messaging.services import open_thread

    open_thread(dossier=world.dossier_a, subject_key="cabinet", author=world.expert, body="?")
    for dossier in (world.dossier_a, world.dossier_b):
        read = access_dossier(world.expert, dossier.code, annotations=panels.annotations())
        for panel in panels.PANELS:
            assert panels.has_rows(read, panel) == getattr(dossier, panel).exists(), panel
    assert panels.has_rows(world.dossier_a, "threads")  # read without the flags: ask the table
