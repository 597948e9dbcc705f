from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from connect.messaging.models import ExamRequest, Thread
from connect.messaging.services import visit_dates
from connect.messaging.subjects import EAD_FIRST, SUBJECTS, RoutedRole
from connect.messaging.tests.helpers import compose_url, photo, post_new, valid


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.key)
def test_the_subject_routes_to_the_dossiers_expert_or_advisor(as_repairer, dossier, subject):
    data = dict(valid(subject, dossier))
    post_new(as_repairer, dossier, subject.key, body=data.pop("body", ""), **data)
    thread = Thread.objects.get()
    expected = dossier.expert if subject.routed_to == RoutedRole.EXPERT else dossier.advisor
    assert thread.routed_role == subject.routed_to.value
    assert thread.routed_to == expected
    assert thread.unit == dossier.garage.unit


@pytest.mark.parametrize("key,role", [("expert", "expert"), ("divers", "advisor")])
def test_without_an_assigned_person_the_thread_goes_to_the_units_pool(
    as_repairer, dossier, key, role
):
    dossier.expert = dossier.advisor = None
    dossier.save(update_fields=["expert", "advisor"])
    post_new(as_repairer, dossier, key, body="Bonjour")
    thread = Thread.objects.get()
    assert (thread.routed_role, thread.routed_to, thread.unit) == (role, None, dossier.garage.unit)


def test_visit_dates_are_the_garages_weekdays_from_tomorrow_over_four_weeks(world):
    today = date(2026, 12, 1)  # four weeks without a holiday on a Monday or a Thursday
    dates = visit_dates(world.garage_a, today=today)
    assert dates and all(d.weekday() in (0, 3) for d in dates)
    assert min(dates) > today and max(dates) <= today + timedelta(weeks=4)
    assert len(dates) == 8


def test_visit_dates_leave_out_french_public_holidays(world):
    garage = world.garage_a
    garage.visit_days = [4]  # Fridays: Christmas 2026 and New Year 2027 fall on one
    fridays = visit_dates(garage, today=date(2026, 12, 1), weeks=5)
    assert fridays == [date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18)]
    garage.visit_days = [0, 3]  # Easter Monday, Ascension Thursday and Whit Monday 2026
    may = visit_dates(garage, today=date(2026, 5, 10), weeks=3)
    assert date(2026, 5, 14) not in may and date(2026, 5, 25) not in may
    assert date(2026, 5, 11) in may and date(2026, 5, 18) in may


def test_a_public_holiday_is_neither_offered_nor_accepted(as_repairer, dossier, monkeypatch):
    from connect.messaging import forms

    dossier.garage.visit_days = [4]
    dossier.garage.save(update_fields=["visit_days"])
    real = forms.visit_dates
    # The composer's "today" pinned to 1 December 2026 (the form reads visit_dates at call time).
    monkeypatch.setattr(
        forms, "visit_dates", lambda g, today=None: real(g, today=date(2026, 12, 1))
    )
    page = as_repairer.get(compose_url(dossier, "expertise-terrain")).content.decode()
    assert "vendredi 18 décembre 2026" in page and "25 décembre" not in page
    response = post_new(
        as_repairer, dossier, "expertise-terrain", reason="Choc", requested_date="2026-12-25"
    )
    assert response.status_code == 400 and not Thread.objects.exists()


def _refused_dates(garage):
    today = timezone.localdate()
    dates = visit_dates(garage, today=today)
    past = today - timedelta(days=(today.weekday() - 0) % 7 or 7)  # last Monday (a visit day)
    non_visit = next(
        d for d in (today + timedelta(days=n) for n in range(1, 8)) if d.weekday() == 2
    )
    beyond = max(dates) + timedelta(weeks=1)
    return {"past": past, "today": today, "wednesday": non_visit, "beyond four weeks": beyond}


@pytest.mark.parametrize("case", ["past", "today", "wednesday", "beyond four weeks"])
def test_a_field_exam_date_outside_the_visit_days_is_refused(as_repairer, dossier, case):
    day = _refused_dates(dossier.garage)[case]
    response = post_new(
        as_repairer, dossier, "expertise-terrain", reason="Choc", requested_date=day.isoformat()
    )
    assert response.status_code == 400
    assert "parmi les jours de passage" in response.content.decode()
    assert not Thread.objects.exists() and not ExamRequest.objects.exists()


def test_a_field_exam_needs_a_reason(as_repairer, dossier):
    day = visit_dates(dossier.garage)[0]
    response = post_new(as_repairer, dossier, "expertise-terrain", requested_date=day.isoformat())
    assert response.status_code == 400
    assert "Indiquez le motif de la demande." in response.content.decode()
    assert not Thread.objects.exists()


def test_a_field_exam_on_an_ead_dossier_waits_for_the_ead_material(as_repairer, dossier):
    dossier.remote_assessment = dossier.awaiting_ead = True
    dossier.save(update_fields=["remote_assessment", "awaiting_ead"])
    day = visit_dates(dossier.garage)[0]
    response = post_new(
        as_repairer, dossier, "expertise-terrain", reason="Choc", requested_date=day.isoformat()
    )
    assert response.status_code == 400
    assert "Vous devez d&#x27;abord envoyer votre dossier EAD" in response.content.decode()
    assert EAD_FIRST == "Vous devez d'abord envoyer votre dossier EAD"
    assert not Thread.objects.exists()


def test_once_the_ead_material_is_sent_a_field_exam_may_be_asked(as_repairer, dossier, world):
    dossier.remote_assessment, dossier.awaiting_ead = True, False
    dossier.save(update_fields=["remote_assessment", "awaiting_ead"])
    day = visit_dates(dossier.garage)[0]
    response = post_new(
        as_repairer, dossier, "expertise-terrain", reason="Choc", requested_date=day.isoformat()
    )
    assert response.status_code == 302
    exam = ExamRequest.objects.get()
    assert (exam.dossier, exam.kind, exam.requested_date) == (dossier, "field", day)
    assert (exam.reason, exam.status) == ("Choc", "requested")
    assert exam.requested_by == world.repairer and exam.thread == Thread.objects.get()


def test_esd_is_neither_offered_nor_accepted_on_an_approved_repairer_mission(as_repairer, dossier):
    dossier.approved_repairer_mission = True
    dossier.save(update_fields=["approved_repairer_mission"])
    page = as_repairer.get(compose_url(dossier)).content.decode()
    assert 'value="esd"' not in page and "Demande expertise terrain" in page
    response = post_new(as_repairer, dossier, "esd", files=[photo()])
    assert response.status_code == 400
    assert "missionnement réparateur agréé" in response.content.decode()
    assert not Thread.objects.exists()


def test_esd_offers_the_guided_camera_capture(as_repairer, dossier):
    page = as_repairer.get(compose_url(dossier, "esd")).content.decode()
    assert 'capture="environment"' in page
    for shot in ("Plaque", "¾ avant gauche", "¾ arrière droit", "N° de série (VIN)"):
        assert shot in page


def test_ve_follow_up_is_offered_on_ve_dossiers_only(as_repairer, world):
    page = as_repairer.get(compose_url(world.dossier_a)).content.decode()
    assert 'value="suivi-ve"' not in page
    day = visit_dates(world.garage_a)[0]
    response = post_new(
        as_repairer,
        world.dossier_a,
        "suivi-ve",
        exam_kind="ve_after",
        requested_date=day.isoformat(),
    )
    assert response.status_code == 400
    assert not ExamRequest.objects.exists()


@pytest.mark.parametrize(
    "kind,label", [("ve_during", "Examen pendant travaux"), ("ve_after", "Examen après travaux")]
)
def test_a_ve_exam_becomes_an_exam_request_shown_in_the_ve_data(as_repairer, dossier, kind, label):
    day = visit_dates(dossier.garage)[2]
    response = post_new(
        as_repairer, dossier, "suivi-ve", exam_kind=kind, requested_date=day.isoformat()
    )
    assert response.status_code == 302
    exam = ExamRequest.objects.get()
    assert (exam.kind, exam.requested_date, exam.status) == (kind, day, "requested")
    page = as_repairer.get(f"/dossiers/{dossier.code}/messages/").content.decode()
    assert "Données VE" in page and label in page and "Demandé" in page


def test_the_firm_confirms_or_declines_an_exam(as_repairer, dossier, world):
    from connect.messaging.services import confirm_exam, decline_exam

    day = visit_dates(dossier.garage)[0]
    post_new(
        as_repairer, dossier, "suivi-ve", exam_kind="ve_during", requested_date=day.isoformat()
    )
    exam = ExamRequest.objects.get()
    at = timezone.now() + timedelta(days=3)
    confirm_exam(exam=exam, by=world.expert, at=at)
    dossier.refresh_from_db()
    assert exam.status == "confirmed" and dossier.appointment_at == at
    decline_exam(exam=exam, by=world.expert, reason="Véhicule indisponible")
    exam.refresh_from_db()
    assert (exam.status, exam.decline_reason) == ("declined", "Véhicule indisponible")


def test_confirming_an_exam_is_one_action_with_its_step_and_its_message(
    as_repairer, dossier, world
):
    from connect.dossiers.models import Step, StepKind
    from connect.messaging.models import Message, Side
    from connect.messaging.services import confirm_exam, decline_exam

    day = visit_dates(dossier.garage)[0].isoformat()
    post_new(as_repairer, dossier, "expertise-terrain", requested_date=day, reason="Choc")
    exam = ExamRequest.objects.get()
    at = timezone.make_aware(datetime(2026, 12, 15, 14, 30))
    confirm_exam(exam=exam, by=world.expert, at=at)
    step = Step.objects.get(dossier=dossier, kind=StepKind.APPOINTMENT)
    assert (step.label, step.occurred_at) == (
        "Rendez-vous : Expertise terrain le mardi 15 décembre 2026 à 14:30",
        at,
    )
    told = Message.objects.filter(thread=exam.thread, side=Side.FIRM)
    assert [m.body for m in told] == [
        "Expertise terrain confirmé le mardi 15 décembre 2026 à 14:30."
    ]
    decline_exam(exam=exam, by=world.expert, reason="Véhicule indisponible")
    assert told.order_by("-id").first().body == (
        "Expertise terrain : demande refusée. Motif : Véhicule indisponible"
    )


# Every generated sentence about an exam, per kind and status, written out in full: French
# agreement with the exam's noun (une expertise, un examen).
AGREED = {
    "field": ("Expertise terrain demandée pour le", "Demandée", "Confirmée", "Refusée"),
    "ve_during": ("Examen pendant travaux demandé pour le", "Demandé", "Confirmé", "Refusé"),
    "ve_after": ("Examen après travaux demandé pour le", "Demandé", "Confirmé", "Refusé"),
}


@pytest.mark.parametrize("kind", AGREED)
def test_exam_sentences_agree_with_the_exams_noun(as_repairer, dossier, kind):
    from connect.messaging.models import ExamStatus
    from connect.messaging.subjects import EXAM_KIND_LABELS, SUBJECTS, ExamKind

    assert set(AGREED) == {k.value for s in SUBJECTS for k in s.exam_kinds}
    sentence, *statuses = AGREED[kind]
    assert sentence.startswith(EXAM_KIND_LABELS[ExamKind(kind)])
    day = visit_dates(dossier.garage)[0]
    key = "expertise-terrain" if kind == "field" else "suivi-ve"
    fields = {"reason": "Choc"} if kind == "field" else {"exam_kind": kind}
    post_new(as_repairer, dossier, key, requested_date=day.isoformat(), **fields)
    exam = ExamRequest.objects.get()
    thread_page = as_repairer.get(f"/dossiers/{dossier.code}/messages/{exam.thread.code}/")
    assert sentence in thread_page.content.decode()
    for status, expected in zip(ExamStatus, statuses, strict=True):
        exam.status = status
        assert exam.status_display == expected


def test_the_documents_legend_agrees_in_number(as_repairer, dossier):
    required = as_repairer.get(compose_url(dossier, "facture")).content.decode()
    optional = as_repairer.get(compose_url(dossier, "expert")).content.decode()
    assert "Documents (obligatoires)" in required and "Documents (facultatifs)" in optional
