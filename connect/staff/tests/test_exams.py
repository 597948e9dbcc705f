from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from connect.documents import samples
from connect.dossiers.models import Dossier, Step, StepKind, Tab
from connect.messaging.models import ExamStatus
from connect.messaging.services import Attachment, open_thread, request_field_exam, visit_dates
from connect.testing import login_as, run_tasks

pytestmark = pytest.mark.django_db


def field_exam(world):
    day = visit_dates(world.garage_a)[0]
    message = request_field_exam(
        dossier=world.dossier_a, requested_date=day, reason="Choc arrière", author=world.repairer
    )
    return message.thread.exam_request


def url(name, thread):
    return reverse(name, kwargs={"staff_thread_code": thread.code})


def test_confirming_on_another_visit_day_sets_the_appointment_a_step_and_tells_the_repairer(
    client, world
):
    exam = field_exam(world)
    run_tasks()
    mail.outbox.clear()
    other_day = visit_dates(world.garage_a)[1]
    login_as(client, world.expert)
    page = client.get(url("staff:thread", exam.thread))
    assert "Confirmer le rendez-vous" in page.content.decode()
    response = client.post(
        url("staff:exam_confirm", exam.thread), {"day": other_day.isoformat(), "time": "14:30"}
    )
    assert response.status_code == 302

    exam.refresh_from_db()
    assert exam.status == ExamStatus.CONFIRMED and exam.decided_by == world.expert
    expected = timezone.make_aware(
        timezone.datetime.combine(other_day, timezone.datetime.min.time())
    )
    expected = expected.replace(hour=14, minute=30)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.appointment_at == expected
    assert Dossier.objects.in_tab(Tab.UPCOMING_EXAMS).filter(pk=world.dossier_a.pk).exists()
    step = Step.objects.get(dossier=world.dossier_a, kind=StepKind.APPOINTMENT)
    assert "14:30" in step.label and step.occurred_at == expected
    assert world.dossier_a.last_message_at is not None

    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["collegue@test.fr", "reparateur@test.fr"]
    home = login_as(client, world.repairer).get(reverse("home"), {"onglet": Tab.UPCOMING_EXAMS})
    assert home.status_code == 200 and "99677" in home.content.decode()


def test_a_day_that_is_not_a_visit_day_or_a_missing_time_is_refused(client, world):
    exam = field_exam(world)
    login_as(client, world.expert)
    not_a_visit_day = next(
        timezone.localdate() + timedelta(days=n)
        for n in range(1, 8)
        if (timezone.localdate() + timedelta(days=n)).weekday() not in (0, 3)
    )
    for data in ({"day": not_a_visit_day.isoformat(), "time": "10:00"}, {"day": "", "time": ""}):
        response = client.post(url("staff:exam_confirm", exam.thread), data)
        assert response.status_code == 400
    exam.refresh_from_db()
    world.dossier_a.refresh_from_db()
    assert exam.status == ExamStatus.REQUESTED and world.dossier_a.appointment_at is None
    assert not Step.objects.exists()


def test_declining_needs_a_reason_and_tells_the_repairer(client, world):
    exam = field_exam(world)
    login_as(client, world.expert)
    assert client.post(url("staff:exam_decline", exam.thread), {"reason": ""}).status_code == 400
    response = client.post(
        url("staff:exam_decline", exam.thread), {"reason": "Véhicule déjà expertisé"}
    )
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DECLINED and exam.decline_reason == "Véhicule déjà expertisé"
    last = exam.thread.messages.order_by("-id").first()
    assert last.side == "firm" and "Véhicule déjà expertisé" in last.body
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.appointment_at is None
    # Decided once: a second decision is refused.
    again = client.post(url("staff:exam_confirm", exam.thread), {"day": "", "time": "10:00"})
    assert again.status_code == 302
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DECLINED


def test_expert_records_the_esd_outcome_with_the_photos_in_the_thread(client, world):
    photo = SimpleUploadedFile("avant.jpg", samples.jpeg((64, 48)))
    thread = open_thread(
        dossier=world.dossier_a,
        subject_key="esd",
        author=world.repairer,
        attachments=[Attachment(file=photo, doc_type="photo")],
    ).thread
    login_as(client, world.expert)
    page = client.get(url("staff:thread", thread)).content.decode()
    assert "avant.jpg" in page
    assert "Résultat de l'examen sans déplacement" in page
    assert client.post(url("staff:esd_outcome", thread), {"outcome": "x"}).status_code == 400
    response = client.post(
        url("staff:esd_outcome", thread), {"outcome": "visit", "comment": "Choc structurel"}
    )
    assert response.status_code == 302
    step = Step.objects.get(dossier=world.dossier_a, kind=StepKind.EXAM)
    assert "Examen sur place nécessaire" in step.label
    last = thread.messages.order_by("-id").first()
    assert "Examen sur place nécessaire" in last.body and "Choc structurel" in last.body


def test_an_advisor_cannot_confirm_an_expert_routed_exam(client, world):
    exam = field_exam(world)
    login_as(client, world.advisor)
    response = client.post(url("staff:exam_confirm", exam.thread), {"day": "", "time": "10:00"})
    assert response.status_code == 404
