"""The tracker's words for each stage, and who acts now, from the dossier's facts."""

from datetime import date, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from connect.dossiers.models import StepKind
from connect.dossiers.services import add_step
from connect.insured import tracker
from connect.insured.now import who_acts
from connect.insured.tests.helpers import follow
from connect.testing import login_as

pytestmark = pytest.mark.django_db
PARIS = timezone.get_default_timezone()


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=PARIS)


def stages_of(dossier):
    return tracker.stages(dossier, list(dossier.steps.all()))


def states(dossier):
    return [(stage.label, stage.state) for stage in stages_of(dossier)]


def test_a_new_dossier_is_declared_on_the_mission_date(world):
    world.dossier_a.mission_received_on = date(2026, 11, 2)
    stages = stages_of(world.dossier_a)
    assert [s.state for s in stages] == ["current", "todo", "todo", "todo", "todo"]
    assert stages[0].on == date(2026, 11, 2) and stages[1].on is None
    assert tracker.SAYS[tracker.current(stages).label].startswith("Votre sinistre est enregistré")


def test_each_fact_moves_the_tracker_on_with_its_date(world):
    d = world.dossier_a
    d.mission_received_on = date(2026, 11, 2)
    add_step(dossier=d, label="RDV fixé", kind=StepKind.APPOINTMENT, occurred_at=at(5))
    assert states(d)[1] == ("Expertise", "current")
    assert stages_of(d)[1].on == date(2026, 11, 5)
    add_step(dossier=d, label="Rapport d'expertise", kind=StepKind.REPORT, occurred_at=at(9))
    assert states(d)[2] == ("Réparations", "current") and states(d)[1][1] == "done"
    d.awaiting_invoice = True
    assert states(d)[3] == ("Véhicule prêt", "current")
    add_step(dossier=d, label="Facture reçue", kind=StepKind.INVOICE, occurred_at=at(20))
    assert stages_of(d)[3].on == date(2026, 11, 20)
    d.archived, d.archived_at = True, at(25)
    assert [s.state for s in stages_of(d)] == ["done"] * 4 + ["current"]
    assert stages_of(d)[4].on == date(2026, 11, 25)


def test_an_appointment_or_a_remote_assessment_is_the_expertise(world):
    d = world.dossier_a
    d.remote_assessment = True
    assert states(d)[1] == ("Expertise", "current")
    d.remote_assessment, d.appointment_at = False, at(12, 14)
    assert stages_of(d)[1].on == date(2026, 11, 12)


def test_a_later_stage_implies_the_earlier_ones(world):
    d = world.dossier_a
    add_step(dossier=d, label="Rapport", kind=StepKind.REPORT, occurred_at=at(9))
    assert [s.state for s in stages_of(d)] == ["done", "done", "current", "todo", "todo"]


def test_who_acts_is_rephrased_for_the_owner(world, settings):
    d = world.dossier_a
    now = timezone.now()
    d.ball, d.wait_kind, d.due_at = "firm", "ead_assessment", now + timedelta(hours=2)
    text = who_acts(d, now)
    assert text.startswith("L'expert examine les photos") and "réponse prévue" in text
    d.wait_kind = "supplement_decision"
    assert "Le garage attend l'accord de l'expert" in who_acts(d, now)
    d.ball, d.wait_kind, d.due_at = "garage", "invoice_awaited", None
    assert who_acts(d, now) == "Le garage répare votre véhicule."
    d.archived = True
    assert who_acts(d, now) == ""
    d.archived, d.ball = False, ""
    assert who_acts(d, now) == ""


def test_the_dossier_page_shows_the_stage_the_garage_and_no_amount(client, world, settings):
    d = world.dossier_a
    d.garage.address, d.garage.city, d.garage.phone = "3 rue du Parc", "Lyon", "04 78 00 00 00"
    d.garage.save()
    d.repair_amount = 2725.90
    follow(d, world.insured.email)
    add_step(dossier=d, label="Rapport", kind=StepKind.REPORT, occurred_at=at(9))
    page = login_as(client, world.insured).get(reverse("insured:dossier", args=[d.code]))
    html = page.content.decode()
    assert 'aria-current="step"' in html and "Réparations" in html
    assert "le garage répare votre véhicule" in html
    assert "BMW" in html and "SERIE 1 F40" in html and "GG-010-MZ" in html
    assert "3 rue du Parc" in html and "openstreetmap.org" in html and "tel:0478000000" in html
    assert "2725" not in html and "2 725" not in html
    with override_settings(INSURED_SEES_AMOUNTS=True):
        shown = client.get(reverse("insured:dossier", args=[d.code])).content.decode()
        assert "2\u00a0725,90\u00a0€" in shown


def test_the_appointment_downloads_as_an_ics(client, world):
    d = world.dossier_a
    follow(d, world.insured.email, appointment_at=timezone.now() + timedelta(days=3))
    login_as(client, world.insured)
    page = client.get(reverse("insured:dossier", args=[d.code])).content.decode()
    assert "Ajouter à mon agenda" in page
    response = client.get(reverse("insured:appointment", args=[d.code]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART:" in body
    assert "LOCATION:Garage A" in body and all(
        len(line.encode()) <= 75 for line in body.split("\r\n")
    )
    follow(d, world.insured.email, appointment_at=None)
    assert client.get(reverse("insured:appointment", args=[d.code])).status_code == 404


def test_the_space_never_shows_the_garage_firm_threads(client, world):
    from connect.messaging.services import open_thread

    follow(world.dossier_a, world.insured.email)
    open_thread(
        dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Secret garage"
    )
    login_as(client, world.insured)
    for url in (reverse("insured:home"), reverse("insured:dossier", args=[world.dossier_a.code])):
        assert "Secret garage" not in client.get(url).content.decode()
