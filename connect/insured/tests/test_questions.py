"""Question sur mon dossier: to the client advisor, in the staff inbox with the ball and a due
date, answered on a staff page, read by the insured; never shown to the garage."""

import pytest
from django.urls import reverse

from connect.dossiers.models import Dossier
from connect.insured.models import InsuredQuestion
from connect.insured.tests.helpers import follow
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def ask(client, dossier, text="Quand ma voiture sera-t-elle prête ?"):
    return client.post(reverse("insured:ask", args=[dossier.code]), {"text": text})


def test_a_question_waits_on_the_firm_and_reaches_the_advisors_inbox(client, world):
    follow(world.dossier_a, world.insured.email)
    response = ask(login_as(client, world.insured), world.dossier_a)
    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=world.dossier_a.pk)
    assert (dossier.ball, dossier.wait_kind) == ("firm", "insured_question")
    assert dossier.due_at is not None
    inbox = login_as(client, world.advisor).get(reverse("staff:inbox")).content.decode()
    assert "Question de l&#x27;assuré" in inbox or "Question de l'assuré" in inbox
    assert reverse("insured:staff_questions", args=[dossier.code]) in inbox


def test_the_advisor_answers_and_the_insured_reads_it(client, world):
    follow(world.dossier_a, world.insured.email)
    ask(login_as(client, world.insured), world.dossier_a)
    question = InsuredQuestion.objects.get()
    login_as(client, world.advisor)
    page = client.get(reverse("insured:staff_questions", args=[world.dossier_a.code]))
    assert "Quand ma voiture" in page.content.decode()
    field = f"q{question.pk}-text"
    empty = client.post(reverse("insured:staff_answer", args=[question.code]), {field: " "})
    assert empty.status_code == 400
    done = client.post(
        reverse("insured:staff_answer", args=[question.code]), {field: "Jeudi, après la peinture."}
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=world.dossier_a.pk).ball == ""
    mine = login_as(client, world.insured).get(
        reverse("insured:dossier", args=[world.dossier_a.code])
    )
    assert "Jeudi, après la peinture." in mine.content.decode()


def test_the_garage_never_reads_the_question(client, world):
    follow(world.dossier_a, world.insured.email)
    ask(login_as(client, world.insured), world.dossier_a, text="Texte privé de l'assuré")
    question = InsuredQuestion.objects.get()
    login_as(client, world.repairer)
    page = client.get(reverse("dossier_detail", args=[world.dossier_a.code])).content.decode()
    assert "Texte privé" not in page
    assert (
        client.get(reverse("insured:staff_questions", args=[world.dossier_a.code])).status_code
        == 404
    )
    answer = reverse("insured:staff_answer", args=[question.code])
    assert client.post(answer, {f"q{question.pk}-text": "x"}).status_code == 404
    login_as(client, world.other_expert)
    assert (
        client.post(
            reverse("insured:staff_answer", args=[question.code]), {f"q{question.pk}-text": "x"}
        ).status_code
        == 404
    )


def test_an_empty_or_hidden_text_question_is_refused_and_nothing_is_stored(client, world):
    follow(world.dossier_a, world.insured.email)
    login_as(client, world.insured)
    assert ask(client, world.dossier_a, text="").status_code == 400
    assert ask(client, world.dossier_a, text="Bonjour\u202e").status_code == 400
    assert not InsuredQuestion.objects.exists()


def test_questions_are_throttled_per_insured(client, world, monkeypatch):
    monkeypatch.setattr("connect.insured.views.QUESTIONS_PER_HOUR", 2)
    follow(world.dossier_a, world.insured.email)
    login_as(client, world.insured)
    assert [ask(client, world.dossier_a).status_code for _ in range(3)] == [302, 302, 429]
    assert InsuredQuestion.objects.count() == 2


def test_another_persons_dossier_takes_no_question(client, world):
    follow(world.dossier_a, "paul@exemple.fr")
    assert ask(login_as(client, world.insured), world.dossier_a).status_code == 404


def test_another_slot_is_asked_through_a_prefilled_question(client, world):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.now() + timedelta(days=2)
    follow(world.dossier_a, world.insured.email, appointment_at=soon)
    login_as(client, world.insured)
    page = reverse("insured:dossier", args=[world.dossier_a.code])
    assert "Demander un autre créneau" in client.get(page).content.decode()
    prefilled = client.get(page + "?autre-creneau").content.decode()
    assert "ne me convient pas" in prefilled
    assert f"{timezone.localtime(soon):%d/%m/%Y}" in prefilled
