"""A decision is told to the garage: an e-mail to its repairers (those who did not opt out),
and the decision with its amount in the thread the supplement was asked from, on both sides."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from connect.accounts.models import NotificationMode, NotificationPreference
from connect.messaging.services import open_thread
from connect.supplements.models import Supplement
from connect.supplements.services import SupplementDraft
from connect.supplements.tests.test_supplements import decide
from connect.testing import login_as, run_tasks


@pytest.fixture
def supplement(world):
    open_thread(
        dossier=world.dossier_a,
        subject_key="methodologie",
        author=world.repairer,
        body="Dommages découverts au démontage",
        supplement=SupplementDraft(Decimal("1250.50")),
    )
    return Supplement.objects.select_related("dossier", "thread").get()


def decision_mails(mailoutbox, dossier):
    return [
        m
        for m in mailoutbox
        if m.subject == f"Décision sur votre supplément · dossier {dossier.reference}"
    ]


def test_the_garage_is_mailed_the_decision_and_its_amount(client, world, supplement, mailoutbox):
    NotificationPreference.objects.create(user=world.colleague, mode=NotificationMode.NONE)
    login_as(client, world.expert)
    mailoutbox.clear()
    decide(client, supplement, outcome="partly", accepted_amount="800", reason="Barème")
    run_tasks()
    [mail] = decision_mails(mailoutbox, supplement.dossier)
    assert mail.to == [world.repairer.email]
    assert "Accepté en partie : 800,00 € HT accordés sur 1\u202f250,50 € HT demandés" in mail.body
    assert "Motif : Barème" in mail.body
    page = reverse("dossier_detail", args=[supplement.dossier.code])
    assert f"{page}#supplement-{supplement.code}" in mail.body
    # The same decision again changes nothing and tells nobody.
    mailoutbox.clear()
    decide(
        client,
        supplement,
        outcome="partly",
        accepted_amount="800",
        reason="Barème",
        token=str(uuid.uuid4()),
    )
    run_tasks()
    assert decision_mails(mailoutbox, supplement.dossier) == []


def test_the_thread_shows_the_decision_with_its_amount_on_both_sides(client, world, supplement):
    login_as(client, world.expert)
    decide(client, supplement, outcome="partly", accepted_amount="800", reason="Barème")
    said = "Accepté en partie</strong> · 800,00 € HT accordés sur 1\u202f250,50 € HT demandés"
    staff_page = client.get(reverse("staff:thread", args=[supplement.thread.code]))
    assert said in staff_page.content.decode()
    login_as(client, world.repairer)
    url = reverse(
        "messaging:thread",
        kwargs={"code": supplement.dossier.code, "thread_code": supplement.thread.code},
    )
    html = client.get(url).content.decode()
    assert said in html and "motif : Barème" in html
