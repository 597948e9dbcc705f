"""Supplements end to end: the garage sends an "Evolution méthodologie" with its amount through
the composer; the expert accepts, accepts part or refuses, as often as needed; every decision is
kept; the garage sees the decision in force and the agreed total on the dossier page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from connect.api.models import Event
from connect.deadlines.sources import WaitKind, open_waits
from connect.documents.models import Document, DocumentType
from connect.messaging.models import Message, Thread
from connect.messaging.tests.helpers import pdf_file, photo, post_new
from connect.supplements.models import Outcome, Supplement, SupplementDecision
from connect.supplements.services import SupplementDraft, agreed_total, submit_supplement
from connect.supplements.tests.helpers import decide, decide_url
from connect.testing import login_as

LINES = "Aile avant droite ; 320,00\nPeinture ; 930,50"


def staff_url(dossier):
    return reverse("supplements:staff_supplements", kwargs={"code": dossier.code})


def supplement_waits(dossier):
    return [w for w in open_waits([dossier.pk]) if w.kind == WaitKind.SUPPLEMENT_DECISION]


@pytest.fixture
def dossier(world):
    world.dossier_a.repair_amount = Decimal("2000.00")
    world.dossier_a.save(update_fields=["repair_amount"])
    return world.dossier_a


@pytest.fixture
def supplement(dossier, world):
    draft = SupplementDraft(amount=Decimal("1250.50"))
    return submit_supplement(dossier=dossier, by=world.repairer, draft=draft)


def test_the_composer_asks_for_the_amount_of_a_methodology_thread_only(as_repairer, dossier):
    url = reverse("messaging:compose", kwargs={"code": dossier.code})
    assert (
        "Montant du supplément HT" in as_repairer.get(url + "?objet=methodologie").content.decode()
    )
    assert "Montant du supplément HT" not in as_repairer.get(url + "?objet=expert").content.decode()


def test_a_methodology_message_becomes_a_supplement_with_lines_pdf_and_photos(
    as_repairer, dossier, world
):
    response = post_new(
        as_repairer,
        dossier,
        "methodologie",
        body="Dommages découverts au démontage",
        files=[photo("choc.jpg"), pdf_file("supplement.pdf")],
        supplement_amount="1 250,50",
        supplement_lines=LINES,
    )
    assert response.status_code == 302
    supplement = Supplement.objects.get()
    assert supplement.amount == Decimal("1250.50") and supplement.submitted_by == world.repairer
    assert supplement.thread == Thread.objects.get()
    assert [(line.label, line.amount) for line in supplement.lines.all()] == [
        ("Aile avant droite", Decimal("320.00")),
        ("Peinture", Decimal("930.50")),
    ]
    assert {d.doc_type for d in supplement.documents.all()} == {
        DocumentType.EXTRA_DAMAGE,
        DocumentType.REPAIRER_SUPPLEMENT,
    }
    [wait] = supplement_waits(dossier)
    assert wait.key == f"supplement:{supplement.pk}" and wait.side == "firm"
    event = Event.objects.get(kind="supplement.submitted")
    assert event.payload["amount"] == "1250.50"
    assert event.payload["lines"][1] == {"label": "Peinture", "amount": "930.50"}
    assert len(event.document_codes) == 2
    assert Event.objects.filter(kind="message.created").count() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "Indiquez le montant HT du supplément."),
        ({"supplement_amount": "-120"}, "Le montant doit être positif."),
        ({"supplement_amount": "0"}, "Le montant doit être positif."),
        ({"supplement_amount": "douze"}, "Saisissez un montant en euros"),
        ({"supplement_amount": "12,345"}, "Deux décimales au plus"),
        ({"supplement_amount": "1000", "supplement_lines": LINES}, "Les lignes totalisent"),
        (
            {"supplement_amount": "320", "supplement_lines": "Aile avant droite 320"},
            "Ligne 1 : écrivez « libellé ; montant »",
        ),
        (
            {"supplement_amount": "320", "supplement_lines": "Aile ; -320"},
            "Ligne 1 : Le montant doit être positif.",
        ),
    ],
)
def test_a_bad_amount_is_a_french_error_and_stores_nothing(as_repairer, dossier, fields, error):
    response = post_new(
        as_repairer, dossier, "methodologie", body="Complément", files=[photo()], **fields
    )
    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not (Supplement.objects.exists() or Message.objects.exists())
    assert not Document.objects.exists() and not Event.objects.exists()


def test_decisions_are_kept_and_the_latest_is_in_force(client, dossier, supplement, world):
    login_as(client, world.expert)
    assert (
        decide(
            client,
            supplement,
            outcome="partly",
            accepted_amount="800,00",
            reason="Peinture au barème",
        ).status_code
        == 302
    )
    assert supplement_waits(dossier) == []
    assert agreed_total(dossier) == Decimal("2800.00")

    assert (
        decide(client, supplement, outcome="refused", reason="Pièce non justifiée").status_code
        == 302
    )
    assert agreed_total(dossier) == Decimal("2000.00")
    assert decide(client, supplement, outcome="accepted").status_code == 302
    assert agreed_total(dossier) == Decimal("3250.50")

    history = SupplementDecision.objects.order_by("id")
    assert [(d.outcome, d.accepted_amount, d.reason) for d in history] == [
        (Outcome.PARTLY, Decimal("800.00"), "Peinture au barème"),
        (Outcome.REFUSED, Decimal("0.00"), "Pièce non justifiée"),
        (Outcome.ACCEPTED, Decimal("1250.50"), ""),
    ]
    assert {d.decided_by for d in history} == {world.expert}
    events = Event.objects.filter(kind="supplement.decided").order_by("id")
    assert [
        (e.payload["outcome"], e.payload["accepted_amount"], e.payload["agreed_total"])
        for e in events
    ] == [
        ("partly", "800.00", "2800.00"),
        ("refused", "0.00", "2000.00"),
        ("accepted", "1250.50", "3250.50"),
    ]
    assert events[0].payload["amount"] == "1250.50"


def test_the_repairer_sees_the_decision_history_and_the_agreed_total(
    client, dossier, supplement, world
):
    login_as(client, world.expert)
    decide(client, supplement, outcome="partly", accepted_amount="800", reason="Barème")
    page = login_as(client, world.repairer).get(reverse("dossier_detail", args=[dossier.code]))
    html = page.content.decode()
    assert "Accepté en partie" in html and "motif : Barème" in html
    assert "Total accordé HT : <strong>2\u202f800,00 €</strong>" in html
    assert "1\u202f250,50 € HT" in html


def test_an_undecided_supplement_adds_nothing_and_an_unknown_repair_amount_counts_zero(
    world, supplement
):
    assert agreed_total(supplement.dossier) == Decimal("2000.00")
    dossier = world.dossier_b
    assert agreed_total(dossier) is None
    other = submit_supplement(
        dossier=dossier, by=world.other_repairer, draft=SupplementDraft(Decimal("100"))
    )
    from connect.supplements.services import decide_supplement

    decide_supplement(supplement=other, by=world.expert, outcome="accepted")
    assert agreed_total(dossier) == Decimal("100")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"outcome": "partly", "accepted_amount": "1250,51"},
            "Le montant accordé ne peut dépasser le montant demandé (1\u202f250,50 € HT).",
        ),
        ({"outcome": "partly"}, "Indiquez le montant HT accordé."),
        ({"outcome": "partly", "accepted_amount": "-5"}, "Le montant doit être positif."),
        ({"outcome": "refused"}, "Indiquez le motif du refus."),
        ({}, "Choisissez une décision."),
    ],
)
def test_a_bad_decision_is_a_french_error_and_stores_nothing(
    client, supplement, world, fields, error
):
    response = decide(login_as(client, world.expert), supplement, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SupplementDecision.objects.exists()
    assert not Event.objects.filter(kind="supplement.decided").exists()
    assert len(supplement_waits(supplement.dossier)) == 1


@pytest.mark.parametrize("persona", ["other_repairer", "other_expert", "repairer", "colleague"])
def test_the_staff_pages_are_a_404_to_others(client, world, supplement, persona):
    login_as(client, getattr(world, persona))
    assert client.get(staff_url(supplement.dossier)).status_code == 404
    assert decide(client, supplement, outcome="accepted").status_code == 404
    assert not SupplementDecision.objects.exists()


def test_a_supplement_reached_through_another_dossier_is_a_404(client, world, supplement):
    login_as(client, world.expert)
    url = decide_url(supplement).replace(str(supplement.dossier.code), str(world.dossier_b.code))
    assert client.post(url, {f"{supplement.code}-outcome": "accepted"}).status_code == 404


def test_the_staff_page_lists_the_supplement_and_its_history(client, world, supplement):
    login_as(client, world.expert)
    decide(client, supplement, outcome="refused", reason="Hors mission")
    html = client.get(staff_url(supplement.dossier)).content.decode()
    assert "Décider à nouveau" in html and "Hors mission" in html


def test_the_staff_methodology_thread_links_to_the_decision(client, world, dossier):
    from connect.messaging.services import open_thread

    message = open_thread(
        dossier=dossier,
        subject_key="methodologie",
        author=world.repairer,
        body="Supplément",
        supplement=SupplementDraft(Decimal("90")),
    )
    html = (
        login_as(client, world.expert)
        .get(reverse("staff:thread", args=[message.thread.code]))
        .content.decode()
    )
    assert staff_url(dossier) in html
    assert Supplement.objects.get().thread == message.thread


def test_an_advisor_reads_supplements_but_does_not_decide(client, world, supplement):
    login_as(client, world.advisor)
    html = client.get(staff_url(supplement.dossier)).content.decode()
    assert "La décision revient à l'expert" in html.replace("&#x27;", "'")
    assert decide_url(supplement) not in html
    assert decide(client, supplement, outcome="accepted").status_code == 404
    login_as(client, world.manager)
    assert decide(client, supplement, outcome="accepted").status_code == 302
    assert SupplementDecision.objects.get().decided_by == world.manager


def test_a_replayed_decision_is_recorded_once(client, world, supplement):
    import uuid

    token = str(uuid.uuid4())
    login_as(client, world.expert)
    for _ in range(2):
        response = decide(client, supplement, outcome="accepted", token=token)
        assert response.status_code == 302
    assert SupplementDecision.objects.count() == 1
    assert Event.objects.filter(kind="supplement.decided").count() == 1
    # A new form (a new token) is a new decision: decided again, kept in the history.
    decide(client, supplement, outcome="refused", reason="Revu", token=str(uuid.uuid4()))
    assert SupplementDecision.objects.count() == 2


def test_a_storage_failure_keeps_no_supplement_nor_file(as_repairer, dossier, monkeypatch):
    from connect.testing import fail_storage_save, stored_files

    fail_storage_save(monkeypatch, at=2)
    response = post_new(
        as_repairer,
        dossier,
        "methodologie",
        body="Dommages découverts au démontage",
        files=[photo("choc.jpg"), pdf_file("supplement.pdf")],
        supplement_amount="1 250,50",
        supplement_lines=LINES,
    )
    assert response.status_code == 400
    assert "L&#x27;envoi a échoué, rien n&#x27;a été enregistré." in response.content.decode()
    assert not Supplement.objects.exists() and not Message.objects.exists()
    assert not Document.objects.exists() and stored_files() == []
    assert not Event.objects.exists() and supplement_waits(dossier) == []
