"""In Chromium, at 1366 px and 390 px with axe: the account manager creates a client user,
who activates the account from the invitation mail, logs in with the access code and an
authenticator app, filters the portfolio, opens a dossier and exports the list."""

import re

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from connect.accounts.models import User
from connect.staff import second_factor as sf
from connect.testing import PASSWORD, axe_violations, log_out, run_tasks

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "Portefeuille-Horizon-2026"


def totp(device) -> str:
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => !e.closest('.table-wrap'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px: {wide}"


def checked(page) -> None:
    no_sideways_scroll(page)
    assert axe_violations(page) == [], page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_a_client_user_from_creation_to_export(live_server, page, world, viewport):
    w = world
    w.dossier_c.client = w.client  # the portfolio spans two garages in two units
    w.dossier_c.save()
    expert_device = sf.enrol_with_secret(w.expert, "JBSWY3DPEHPK3PXP")
    page.set_viewport_size(viewport)

    # The account manager creates the user and reads the code.
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", w.expert.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.get_by_label("Code de vérification").fill(totp(expert_device))
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("navigation", name="Espace cabinet").get_by_role(
        "link", name="Clients"
    ).click()
    page.get_by_role("link", name="Assureur A").click()
    page.get_by_label("Adresse e-mail").fill("lea.martin@assureur-a.example")
    page.get_by_label("Nom complet").fill("Léa Martin")
    page.get_by_role("button", name="Créer et envoyer l'invitation").click()
    notice = page.get_by_text(re.compile("son code d'accès est"))
    expect(notice).to_be_visible()
    code = re.search(r"CL-[A-Z0-9]{4}-[A-Z0-9]{4}", notice.inner_text()).group(0)
    checked(page)
    log_out(page)

    # The invitation, from the mail outbox: the user chooses a password.
    run_tasks()
    (invitation,) = [m for m in mail.outbox if "lea.martin@assureur-a.example" in m.to]
    assert code in invitation.body
    link = re.search(r"https?://\S+/invitation/\S+", invitation.body).group(0)
    page.goto(live_server.url + link[link.index("/invitation/") :])
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Activer mon compte").click()

    # The code as Identifiant (typed in lower case), then the authenticator app.
    page.fill("input[name=username]", code.lower())
    page.fill("input[name=password]", NEW_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(
        page.get_by_role("heading", name="Activer la vérification en deux étapes")
    ).to_be_visible()
    user = User.objects.get(email="lea.martin@assureur-a.example")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code de vérification").fill(totp(device))
    page.get_by_role("button", name="Activer", exact=True).click()
    page.get_by_role("link", name="Accéder à mon espace").click()

    # The portfolio: both dossiers, then filtered by garage.
    expect(page.get_by_role("heading", name="Portefeuille de Assureur A")).to_be_visible()
    rows = page.locator("tbody .dossier-row")
    expect(rows).to_have_count(2)
    checked(page)
    page.get_by_label("Garage").select_option(label="Garage C")
    page.get_by_role("button", name="Rechercher").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("99812")

    # Export what the list shows.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        body = exported.read()
    assert "99812" in body and "99677" not in body

    # One dossier, read-only.
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("Dossier 99812"))).to_be_visible()
    expect(page.get_by_role("heading", name="Étapes du dossier")).to_be_visible()
    expect(page.get_by_role("heading", name="Suppléments")).to_be_visible()
    checked(page)

    # The indicators, drawn on the server.
    page.goto(f"{live_server.url}/portefeuille/indicateurs/")
    expect(page.get_by_role("heading", name="Indicateurs · Assureur A")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    checked(page)
