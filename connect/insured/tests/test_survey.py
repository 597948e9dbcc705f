"""The closing survey: once per dossier, once the vehicle is ready; a score of 6 or less puts
"Assuré à rappeler" in the advisors' inbox with a due date, until an advisor calls back."""

import pytest
from django.urls import reverse

from connect.dossiers.models import Dossier
from connect.insured.models import InsuredSurvey
from connect.insured.tests.helpers import follow
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def answer(client, dossier, score, comment=""):
    return client.post(
        reverse("insured:survey", args=[dossier.code]), {"score": score, "comment": comment}
    )


@pytest.fixture
def ready(world):
    follow(world.dossier_a, world.insured.email, awaiting_invoice=True)
    return world.dossier_a


def test_the_survey_is_offered_once_the_vehicle_is_ready(client, world):
    follow(world.dossier_a, world.insured.email)
    login_as(client, world.insured)
    page = reverse("insured:dossier", args=[world.dossier_a.code])
    assert "Votre avis" not in client.get(page).content.decode()
    assert answer(client, world.dossier_a, 9).status_code == 302
    assert not InsuredSurvey.objects.exists()
    follow(world.dossier_a, world.insured.email, awaiting_invoice=True)
    assert "Envoyer mon avis" in client.get(page).content.decode()


def test_a_survey_is_answered_once(client, ready, world):
    login_as(client, world.insured)
    assert answer(client, ready, 9, "Très bien").status_code == 302
    assert answer(client, ready, 2).status_code == 302
    survey = InsuredSurvey.objects.get()
    assert (survey.score, survey.comment) == (9, "Très bien")
    page = client.get(reverse("insured:dossier", args=[ready.code])).content.decode()
    assert "Votre note : <strong>9/10</strong>" in page and "Envoyer mon avis" not in page
    assert Dossier.objects.get(pk=ready.pk).wait_kind != "insured_callback"


def test_a_bad_score_is_refused_and_nothing_stored(client, ready, world):
    login_as(client, world.insured)
    for score in ("11", "-1", "dix", ""):
        assert answer(client, ready, score).status_code == 400, score
    assert not InsuredSurvey.objects.exists()


def test_a_low_score_asks_the_advisor_to_call_back_until_done(client, ready, world):
    answer(login_as(client, world.insured), ready, 6, "Trop long")
    dossier = Dossier.objects.get(pk=ready.pk)
    assert (dossier.ball, dossier.wait_kind) == ("firm", "insured_callback")
    assert dossier.due_at is not None
    login_as(client, world.advisor)
    inbox = client.get(reverse("staff:inbox")).content.decode()
    assert "Assuré à rappeler" in inbox and "Note 6/10" in inbox
    page = client.get(reverse("insured:staff_questions", args=[ready.code])).content.decode()
    assert "6/10" in page and "Trop long" in page and "Marquer comme rappelé" in page
    done = client.post(reverse("insured:staff_called_back", args=[ready.code]))
    assert done.status_code == 302
    assert Dossier.objects.get(pk=ready.pk).wait_kind != "insured_callback"
    assert InsuredSurvey.objects.get().called_back_by == world.advisor


def test_only_the_units_staff_mark_a_call_back(client, ready, world):
    answer(login_as(client, world.insured), ready, 3)
    url = reverse("insured:staff_called_back", args=[ready.code])
    for user in (world.other_expert, world.repairer, world.insured):
        assert login_as(client, user).post(url).status_code == 404
    assert InsuredSurvey.objects.get().called_back_at is None
