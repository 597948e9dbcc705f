"""The guide, walked in Chromium slide by slide, by its French labels: on a 1366 px desktop and a
390 px touch phone, as a repairer and as the firm.

Each step saves a screenshot under test-results/guide/ (kept as CI artifacts) and runs axe on
the page: no violation of any impact is accepted. The repairer sends every subject of the
composer with a real file, chosen in "Objet" (the htmx path); the firm answers, publishes, and
invites a repairer whose e-mail is followed from the outbox to the activated account.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import expect

from connect.documents import samples
from connect.documents.tests import photos
from connect.messaging.models import Thread
from connect.messaging.services import open_thread
from connect.messaging.subjects import offered_subjects
from connect.staff import second_factor as sf
from connect.testing import PASSWORD, log_out, run_tasks
from connect.updates.models import Audience, ServiceUpdate, ServiceUpdateSeen

SHOTS = Path(__file__).resolve().parent.parent / "test-results" / "guide"
DEVICES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _short_waits():
    # A broken step fails in seconds, not after Playwright's 30 s default.
    expect.set_options(timeout=8_000)


class Walk:
    """One persona's walk: every step is screenshotted and checked by axe (all impacts)."""

    def __init__(self, page, name):
        self.page, self.name, self.count = page, name, 0
        self.violations: list = []
        self.axe = Axe()
        (SHOTS / name).mkdir(parents=True, exist_ok=True)

    def step(self, label: str) -> None:
        self.page.wait_for_load_state("load")
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        shot = SHOTS / self.name / f"{self.count:02d}-{slug}.png"
        self.page.screenshot(path=shot, full_page=True)
        width = self.page.viewport_size["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width, label
        results = self.axe.run(self.page).response
        for violation in results["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.violations.append((label, violation["id"], violation["impact"], targets))

    def done(self) -> None:
        assert self.violations == [], self.violations


@pytest.fixture
def shots_context(browser):
    contexts = []

    def make(device):
        context = browser.new_context(locale="fr-FR", **DEVICES[device])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(walk, email):
    page = walk.page
    expect(page.get_by_role("heading", name="Accédez à votre espace")).to_be_visible()
    walk.step("connexion")
    page.get_by_label("Identifiant").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def fill_subject(page, form, subject, files, *, plate=""):
    """The fields a subject asks for, then one real file through the composer (the guided
    capture's plate typed as read on the photo: `plate`)."""
    if form.get_by_label("Examen pendant travaux").count():
        form.get_by_label("Examen pendant travaux").check()
    if form.get_by_label(re.compile("Date souhaitée")).count():
        form.get_by_label(re.compile("Date souhaitée")).select_option(index=1)
    if form.get_by_label("Motif").count():
        form.get_by_label("Motif").fill("Dommages cachés au démontage.")
    if form.get_by_label("Message").count():
        form.get_by_label("Message").fill(f"Message de la visite guidée : {subject.label}.")
    if form.get_by_label(re.compile("Montant du supplément")).count():
        form.get_by_label(re.compile("Montant du supplément")).fill("1 250,00")
    if subject.documents == "absent":
        return
    required = form.locator("[data-shot][data-required='1']")
    if required.count():  # the guided capture: one good photo per required shot
        for index, key in enumerate(required.evaluate_all("els => els.map(e => e.dataset.shot)")):
            path = files["photo"].with_name(f"{key}.jpg")
            path.write_bytes(photos.good(seed=index))
            form.locator(f"#shot-{key}").set_input_files(str(path))
            form.locator(f"[data-shot='{key}'][data-state='done']").wait_for()
        typed = form.get_by_label("Immatriculation lue sur la photo de la plaque")
        if typed.count():  # never pre-filled: the repairer types what the photo shows
            typed.fill(plate)
        return
    path = files["pdf"] if subject.accepts_pdf else files["photo"]
    form.locator("#id_files").set_input_files(str(path))
    line = form.locator("[data-file-list] .file-list__item")
    expect(line).to_have_count(1)
    if not subject.automatic and len(subject.manual_types) > 1:
        select = line.get_by_label("Type")
        expect(select).to_have_value("")  # no default among several types
        select.select_option(index=1)


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "Devis carrosserie.pdf"
    pdf.write_bytes(samples.pdf("Devis carrosserie", 1))
    photo = tmp_path / "IMG_20261201_101502.jpg"
    photo.write_bytes(samples.jpeg((800, 600), label="Face avant"))
    return {"pdf": pdf, "photo": photo}


@pytest.fixture
def guide_world(world):
    dossier = world.dossier_a
    dossier.ve_procedure = dossier.ve_follow_up = True
    dossier.save(update_fields=["ve_procedure", "ve_follow_up"])
    ServiceUpdate.objects.create(
        version="24.9.3",
        title="Recherche dans l'historique",
        is_published=True,
        body="La recherche depuis **Tous dossiers** couvre aussi l'historique.",
    )
    ServiceUpdate.objects.create(
        version="24.9.5",
        title="Transmettre vos tarifs publics",
        is_published=True,
        body="Transmettez vos **tarifs publics**.",
        audience=Audience.REPAIRERS,
    )
    open_thread(
        dossier=dossier,
        subject_key="cabinet",
        author=world.expert,
        body="Pouvez-vous nous transmettre les photos du véhicule démonté ?",
    )
    return world


@pytest.mark.parametrize("screen", DEVICES)
def test_the_repairer_walks_the_guide(live_server, shots_context, guide_world, files, screen):
    world, dossier = guide_world, guide_world.dossier_a
    page = shots_context(screen)
    walk = Walk(page, f"{screen}-reparateur")
    page.goto(f"{live_server.url}/")
    log_in(walk, world.repairer.email)

    # "Mises à jour du service": each tick is recorded at once, then the window is closed.
    window = page.get_by_role("dialog", name="Mises à jour du service")
    expect(window).to_be_visible()
    walk.step("mises a jour du service")
    for box in window.get_by_label("Marquer comme lu").all():
        box.check()
        expect(window.get_by_role("status")).not_to_be_empty()
    window.get_by_role("button", name="Fermer").click()
    expect(window).to_be_hidden()
    assert ServiceUpdateSeen.objects.filter(user=world.repairer).count() == 2

    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()
    walk.step("retrouvez vos dossiers")
    tabs = page.get_by_role("navigation", name="Onglets des dossiers")
    tabs.get_by_role("link", name=re.compile("Suivi VE en cours")).click()
    expect(page.locator("tbody .dossier-row")).to_have_count(1)
    walk.step("onglet suivi ve en cours")
    page.get_by_role("searchbox", name="Recherchez vos dossiers").fill("gg 010 mz")
    page.get_by_role("button", name="Rechercher").click()
    expect(
        page.get_by_role("link", name="Chercher dans tous les dossiers (historique compris)")
    ).to_be_visible()
    walk.step("recherche par immatriculation")
    page.get_by_role("link", name="99677").click()
    expect(page.locator("h1")).to_contain_text("99677")
    walk.step("dossier informations")

    page.get_by_role("link", name="Messages", exact=True).click()
    walk.step("dossier messages")
    page.get_by_role("link", name=re.compile("Pouvez-vous|Message du cabinet")).first.click()
    expect(page.get_by_text("Pouvez-vous nous transmettre les photos")).to_be_visible()
    walk.step("message du cabinet")

    subjects = offered_subjects(dossier)
    for subject in subjects:
        page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/")
        page.get_by_label("Objet").select_option(label=subject.label)
        form = page.locator(f"#composer-form:has(input[name=objet][value='{subject.key}'])")
        expect(form.get_by_role("heading", name=subject.label)).to_be_visible()
        fill_subject(page, form, subject, files, plate=dossier.plate)
        walk.step(f"nouveau message {subject.key}")
        form.get_by_role("button", name="Envoyer").click()
        expect(page.get_by_role("heading", name=subject.label)).to_be_visible()
        expect(page).to_have_url(re.compile(r"/messages/[0-9a-f-]+/$"))
        walk.step(f"fil {subject.key}")
    sent = Thread.objects.filter(dossier=dossier, created_by=world.repairer)
    assert sorted(sent.values_list("subject", flat=True)) == sorted(s.key for s in subjects)
    shots = {"esd": 6}  # the guided capture's required photos
    assert all(
        t.messages.get().documents.count() == shots.get(t.subject, 1)
        for t in sent
        if t.subject != "facture"
    )
    log_out(page)
    walk.done()


@pytest.mark.parametrize("screen", DEVICES)
def test_the_firm_walks_the_guide(live_server, shots_context, guide_world, files, screen, settings):
    settings.PORTAL_URL = live_server.url
    world, dossier = guide_world, guide_world.dossier_a
    device_key = sf.enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")
    question = open_thread(
        dossier=dossier,
        subject_key="expert",
        author=world.repairer,
        body="Faut-il remplacer l'absorbeur ?",
    ).thread
    page = shots_context(screen)
    walk = Walk(page, f"{screen}-cabinet")
    page.goto(f"{live_server.url}/")
    log_in(walk, world.expert.email)
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    walk.step("verification en deux etapes")
    totp = TOTP(device_key.bin_key, device_key.step, device_key.t0, device_key.digits)
    page.get_by_label("Code de vérification").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Vérifier").click()

    window = page.get_by_role("dialog", name="Mises à jour du service")
    expect(window).to_be_visible()  # only the update written for both sides
    expect(window.get_by_label("Marquer comme lu")).to_have_count(1)
    window.get_by_label("Marquer comme lu").check()
    expect(window.get_by_role("status")).not_to_be_empty()
    window.get_by_role("button", name="Fermer").click()
    expect(page.get_by_role("heading", name="Espace cabinet")).to_be_visible()
    walk.step("espace cabinet")

    nav = page.get_by_role("navigation", name="Espace cabinet")
    nav.get_by_role("link", name="Messages").click()
    walk.step("messages du cabinet")
    page.get_by_role("link", name="Communication à l'expert").first.click()
    expect(page.get_by_text("Faut-il remplacer l'absorbeur ?")).to_be_visible()
    walk.step("fil du reparateur")
    page.get_by_label("Message").fill("Oui, remplacez-le ; voici le rapport.")
    page.locator("#id_files").set_input_files(str(files["pdf"]))
    line = page.locator("[data-file-list] .file-list__item")
    expect(line.get_by_label("Type")).to_have_value("")  # no default type: the expert chooses
    line.get_by_label("Type").select_option(label="Rapport d'expertise")
    walk.step("reponse avec rapport")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Oui, remplacez-le ; voici le rapport.")).to_be_visible()
    reply = question.messages.order_by("-id").first()
    assert reply.documents.get().doc_type == "rapport_expertise"

    nav = page.get_by_role("navigation", name="Espace cabinet")
    nav.get_by_role("link", name="Garages").click()
    walk.step("garages")
    page.get_by_role("link", name="Garage A").first.click()
    walk.step("garage a")
    form = page.get_by_role("form", name="Créer un compte réparateur")
    form.get_by_label("Adresse e-mail").fill("nouveau@garage-a.test")
    form.get_by_label("Nom complet").fill("Nina Nouvelle")
    form.get_by_role("button", name="Créer et envoyer l'invitation").click()
    expect(page.get_by_text("nouveau@garage-a.test").first).to_be_visible()
    walk.step("compte cree")
    log_out(page)

    # The invitation, followed from the outbox by the new repairer.
    mail.outbox.clear()
    run_tasks()
    (invitation,) = [m for m in mail.outbox if m.to == ["nouveau@garage-a.test"]]
    link = re.search(r"https?://\S+/invitation/\S+/", invitation.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name=re.compile("Bienvenue sur"))).to_be_visible()
    walk.step("invitation")
    page.get_by_label("Nouveau mot de passe").fill("Une phrase de passe solide 2026")
    page.get_by_label("Confirmez le mot de passe").fill("Une phrase de passe solide 2026")
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_role("heading", name="Accédez à votre espace")).to_be_visible()
    walk.step("compte active")
    page.get_by_label("Identifiant").fill("nouveau@garage-a.test")
    page.get_by_label("Mot de passe").fill("Une phrase de passe solide 2026")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("dialog", name="Mises à jour du service")).to_be_visible()
    page.get_by_role("button", name="Fermer").click()
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()
    walk.step("premiere connexion")
    walk.done()
