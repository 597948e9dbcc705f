"""The ball through every writer: messaging, staff, the API (upsert and batch), documents.

Each test writes the way a user or the core system does, then reads the dossier at once: the
derived ball is never a second copy that waits for a job.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from connect.deadlines.clock import due_at
from connect.deadlines.models import ServiceLevel, WaitPeriod
from connect.deadlines.services import recompute
from connect.deadlines.sources import WaitKind
from connect.documents import samples
from connect.documents.models import DocumentType, Origin
from connect.documents.services import add_document
from connect.dossiers.models import Dossier, Tab
from connect.dossiers.touch import touch_dossiers
from connect.messaging.models import Thread
from connect.messaging.services import open_thread, post_message, visit_dates
from connect.messaging.tests.helpers import jpeg, post_new
from connect.testing import dossier_payload, login_as

pytestmark = pytest.mark.django_db


def ball(dossier):
    dossier.refresh_from_db()
    return dossier.ball, dossier.wait_kind


def level(kind, subject=""):
    return ServiceLevel.objects.get(kind=kind, subject=subject)


def test_a_repairer_message_puts_the_ball_with_the_firm_until_it_answers(client, world):
    login_as(client, world.repairer)
    response = post_new(client, world.dossier_a, "expert", body="Quand passez-vous ?")
    assert response.status_code in (200, 302)
    dossier = world.dossier_a
    assert ball(dossier) == ("firm", WaitKind.MESSAGE_ANSWER)
    thread = Thread.objects.get(dossier=dossier)
    since = thread.messages.get().created_at
    assert dossier.waiting_since == since
    assert dossier.due_at == due_at(since, level(WaitKind.MESSAGE_ANSWER), world.unit1)
    period = WaitPeriod.objects.get(dossier=dossier)
    assert (period.key, period.subject, period.ended_at) == (f"thread:{thread.pk}", "expert", None)
    thread.refresh_from_db()
    assert thread.due_at == dossier.due_at  # the staff inbox's copy, in the same transaction

    # A second repairer message does not restart the wait.
    post_message(thread=thread, author=world.repairer, body="Relance")
    dossier.refresh_from_db()
    assert dossier.waiting_since == since

    login_as(client, world.expert)
    page = client.get(reverse("staff:thread", kwargs={"staff_thread_code": thread.code}))
    token = page.context["form"].initial["token"]
    reply = reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code})
    assert client.post(reply, {"body": "Jeudi matin.", "token": token}).status_code == 302
    assert ball(dossier) == ("", "")
    assert dossier.due_at is None and dossier.waiting_since is None
    period.refresh_from_db()
    assert period.ended_at is not None
    thread.refresh_from_db()
    assert thread.due_at is None

    # A new question opens a new wait; the history keeps both.
    post_message(thread=thread, author=world.repairer, body="Et l'heure ?")
    assert ball(dossier) == ("firm", WaitKind.MESSAGE_ANSWER)
    assert WaitPeriod.objects.filter(dossier=dossier).count() == 2


def test_a_subject_level_beats_the_kind_level(world):
    ServiceLevel.objects.create(
        kind=WaitKind.MESSAGE_ANSWER, subject="conseiller", amount=3, measure="hours"
    )
    message = open_thread(
        dossier=world.dossier_a, subject_key="conseiller", author=world.repairer, body="Question"
    )
    world.dossier_a.refresh_from_db()
    expected = due_at(message.created_at, level(WaitKind.MESSAGE_ANSWER, "conseiller"), None)
    assert world.dossier_a.due_at == expected


def test_closing_the_thread_ends_the_wait(client, world):
    message = open_thread(
        dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Question"
    )
    login_as(client, world.advisor)
    url = reverse("staff:thread_status", kwargs={"staff_thread_code": message.thread.code})
    assert client.post(url, {"status": "closed"}).status_code == 302
    assert ball(world.dossier_a) == ("", "")


def exam_request(world):
    day = visit_dates(world.garage_a)[0]
    from connect.messaging.services import request_field_exam

    return request_field_exam(
        dossier=world.dossier_a, requested_date=day, reason="Choc arrière", author=world.repairer
    ).thread.exam_request


def test_an_exam_request_waits_for_confirmation_then_the_garage_presents_the_vehicle(client, world):
    exam = exam_request(world)
    assert ball(world.dossier_a) == ("firm", WaitKind.EXAM_CONFIRMATION)
    login_as(client, world.expert)
    day = visit_dates(world.garage_a)[1]
    url = reverse("staff:exam_confirm", kwargs={"staff_thread_code": exam.thread.code})
    assert client.post(url, {"day": day.isoformat(), "time": "14:30"}).status_code == 302
    dossier = world.dossier_a
    assert ball(dossier) == ("garage", WaitKind.EXAM_TO_ATTEND)
    assert dossier.due_at == dossier.appointment_at
    # The garage's turn: the dossier is in "À traiter".
    assert Dossier.objects.in_tab(Tab.TO_HANDLE).filter(pk=dossier.pk).exists()


def test_a_declined_exam_gives_the_ball_back(client, world):
    exam = exam_request(world)
    login_as(client, world.expert)
    url = reverse("staff:exam_decline", kwargs={"staff_thread_code": exam.thread.code})
    assert client.post(url, {"reason": "Déjà expertisé"}).status_code == 302
    assert ball(world.dossier_a) == ("", "")


def test_the_api_upsert_and_batch_set_the_flags_waits(api, world):
    response = api.put("/api/v1/dossiers/123456", dossier_payload(awaiting_invoice=True))
    assert response.status_code in (200, 201)
    dossier = Dossier.objects.get(reference="123456")
    assert ball(dossier) == ("garage", WaitKind.INVOICE_AWAITED)
    assert dossier.due_at is None  # the garage's waits have no service level by default

    batch = [
        {"reference": "123456", **dossier_payload(awaiting_invoice=False)},
        {"reference": "123457", **dossier_payload(remote_assessment=True, awaiting_ead=True)},
    ]
    assert api.post("/api/v1/dossiers/batch", {"dossiers": batch}).status_code == 200
    assert ball(dossier) == ("", "")
    ead = Dossier.objects.get(reference="123457")
    assert ball(ead) == ("garage", WaitKind.EAD_MATERIAL_AWAITED)

    # Archived: nothing waits any more.
    api.put("/api/v1/dossiers/123457", dossier_payload(remote_assessment=True, archived=True))
    assert ball(ead) == ("", "")
    assert not WaitPeriod.objects.filter(dossier=ead, ended_at__isnull=True).exists()


def test_ead_material_sent_waits_for_the_firms_assessment(client, world, api):
    dossier = world.dossier_a
    Dossier.objects.filter(pk=dossier.pk).update(remote_assessment=True, awaiting_ead=True)
    recompute([dossier.pk])
    assert ball(dossier) == ("garage", WaitKind.EAD_MATERIAL_AWAITED)

    photo = SimpleUploadedFile("avant.jpg", jpeg(), content_type="image/jpeg")
    add_document(
        dossier=dossier,
        file=photo,
        doc_type=DocumentType.PHOTO,
        origin=Origin.REPAIRER_MESSAGE,
        author=world.repairer,
    )
    assert ball(dossier) == ("firm", WaitKind.EAD_ASSESSMENT)
    assert dossier.due_at == due_at(dossier.waiting_since, level(WaitKind.EAD_ASSESSMENT), None)

    # The core system publishes the assessment (the API's document upload): assessed.
    report = SimpleUploadedFile("rapport.pdf", samples.pdf("Rapport", pages=1), "application/pdf")
    response = api.upload(
        f"/api/v1/dossiers/{dossier.reference}/documents",
        {"type": "rapport_expertise", "title": "Rapport", "file": report},
    )
    assert response.status_code == 201
    assert ball(dossier) == ("", "")


def test_the_firms_wait_beats_the_garages(world):
    dossier = world.dossier_a
    Dossier.objects.filter(pk=dossier.pk).update(
        awaiting_invoice=True, updated_at=timezone.now() - timedelta(days=20)
    )
    recompute([dossier.pk])
    assert ball(dossier) == ("garage", WaitKind.INVOICE_AWAITED)
    open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body="Question")
    assert ball(dossier) == ("firm", WaitKind.MESSAGE_ANSWER)


def test_an_overdue_firm_wait_reads_late_in_the_list(client, world):
    message = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Question"
    )
    WaitPeriod.objects.update(since=timezone.now() - timedelta(days=10))
    from connect.messaging.models import Message

    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=10))
    recompute([world.dossier_a.pk])
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.due_at < timezone.now()
    page = login_as(client, world.repairer).get(reverse("home")).content.decode()
    assert "ball--late" in page and "en retard" in page


def test_a_batch_of_a_thousand_dossiers_recomputes_in_a_few_queries(
    world, django_assert_max_num_queries
):
    dossiers = [
        Dossier(reference=str(700000 + n), garage=world.garage_a, awaiting_invoice=n % 2 == 0)
        for n in range(1000)
    ]
    Dossier.objects.bulk_create(dossiers)
    ids = list(Dossier.objects.filter(reference__startswith="7").values_list("pk", flat=True))
    # Dossiers, 6 sources (8 queries: the insured's questions and surveys are the last two),
    # levels, hours, open waits, then the writes (SQLite splits the bulk writes in batches).
    with django_assert_max_num_queries(30):
        recompute(ids)
    assert Dossier.objects.filter(pk__in=ids, ball="garage").count() == 500
    with django_assert_max_num_queries(14):
        recompute(ids)  # nothing changed: reads only


def test_the_dossier_page_shows_the_ball_and_the_history_of_waits(client, world):
    message = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Question"
    )
    post_message(thread=message.thread, author=world.expert, body="Réponse")
    open_thread(dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Autre")
    login_as(client, world.repairer)
    page = client.get(reverse("dossier_detail", args=[world.dossier_a.code]))
    html = page.content.decode()
    assert "À qui la main" in html
    assert "Chez BCA · réponse prévue" in html
    assert "Historique des attentes (2)" in html
    assert "Communication à l&#x27;expert" in html and "à temps" in html and "en cours" in html


def test_the_staff_inbox_lists_open_threads_by_due_date_and_marks_the_late_ones(
    client, world, django_assert_max_num_queries
):
    from connect.messaging.models import Message

    recent = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Récent"
    ).thread
    late = open_thread(
        dossier=world.dossier_b, subject_key="expert", author=world.other_repairer, body="Ancien"
    ).thread
    answered = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Répondu"
    ).thread
    post_message(thread=answered, author=world.expert, body="Réponse")
    past = timezone.now() - timedelta(days=10)
    Message.objects.filter(thread=late).update(created_at=past)
    WaitPeriod.objects.filter(key=f"thread:{late.pk}").update(since=past)
    touch_dossiers([world.dossier_b.pk])
    late.refresh_from_db()
    assert late.due_at == due_at(past, level(WaitKind.MESSAGE_ANSWER), None)
    login_as(client, world.expert)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("staff:inbox"))
    listed = [thread.pk for thread in response.context["page"]]
    # The late one first, then the one due later, then the answered one (nothing due).
    assert listed == [late.pk, recent.pk, answered.pk]
    html = response.content.decode()
    assert html.count("En retard") == 1 and "par échéance" in html
