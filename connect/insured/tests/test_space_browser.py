"""On a 390 px phone: the insured signs up from the link in the mail outbox, lands on "Mes
dossiers", opens the dossier, reads the stage, the appointment and a released document; axe
finds nothing serious. Screenshots under /tmp/insured-shots/."""

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from connect.documents.services import release_to_insured
from connect.documents.tests.helpers import add_pdf
from connect.dossiers.models import StepKind
from connect.dossiers.services import add_step
from connect.insured.tests.helpers import follow, mails_to, path_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/insured-shots")
PHONE = {"width": 390, "height": 844}
OWNER = "marie.dupont@exemple.fr"
NEW_PASSWORD = "Ma-voiture-rouge-2027"


def serious(page):
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert serious(page) == [], name


def test_an_insured_signs_up_from_the_mail_and_follows_the_claim(live_server, page, world):
    dossier = world.dossier_a
    garage = dossier.garage
    garage.address, garage.city, garage.phone = "3 rue du Parc", "Lyon", "04 78 00 00 00"
    garage.save()
    follow(dossier, OWNER, appointment_at=timezone.now() + timedelta(days=2))
    add_step(
        dossier=dossier, label="Rendez-vous", kind=StepKind.APPOINTMENT, occurred_at=timezone.now()
    )
    report = add_pdf(dossier, name="rapport.pdf")
    release_to_insured(document=report, released=True)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/connexion/")
    check(page, "login")
    page.get_by_role("link", name="Inscrivez-vous", exact=True).click()
    page.get_by_label("Votre adresse e-mail").fill(OWNER)
    page.get_by_role("button", name="Recevoir mon lien d'inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    check(page, "signup-sent")

    [message] = mails_to(OWNER)
    page.goto(live_server.url + path_in(message))
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    check(page, "signup-password")
    page.get_by_role("button", name="Créer mon espace").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes dossiers")
    expect(page.get_by_text("Garage : Garage A, Lyon")).to_be_visible()
    check(page, "home")
    page.get_by_role("link", name="Voir le dossier").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Expertise")
    expect(page.get_by_text("L'expert évalue les dommages de votre véhicule.")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_be_visible()
    expect(page.get_by_role("link", name=report.label, exact=True)).to_be_visible()
    check(page, "dossier")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger {report.label}").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_an_insured_answers_the_survey_and_asks_a_question_on_a_phone(live_server, page, world):
    from connect.testing import PASSWORD

    follow(world.dossier_a, world.insured.email, awaiting_invoice=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", world.insured.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Voir le dossier").click()
    expect(page.locator('[aria-current="step"]')).to_contain_text("Véhicule prêt")
    check(page, "survey-form")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Un commentaire (facultatif)").fill("Trop d'attente")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci pour votre avis !")).to_be_visible()
    page.get_by_label("Votre question").fill("Quand puis-je récupérer la voiture ?")
    page.get_by_role("button", name="Envoyer ma question").click()
    expect(page.get_by_text("En attente de réponse de votre conseiller.")).to_be_visible()
    check(page, "survey-done")
