import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from connect.accounts.models import Garage, Role, User
from connect.dossiers.management.commands.seed_demo import DEMO_PASSWORD
from connect.dossiers.models import Dossier, Tab

pytestmark = pytest.mark.django_db
FIXED_LOGINS = {
    "reparateur@demo.test": Role.REPAIRER,
    "reparateur2@demo.test": Role.REPAIRER,
    "expert@demo.test": Role.EXPERT,
    "conseiller@demo.test": Role.ADVISOR,
    "manager@demo.test": Role.MANAGER,
    "expert2@demo.test": Role.EXPERT,
}


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)


def test_it_refuses_a_database_with_real_accounts_and_leaves_their_device_alone(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from connect.staff.second_factor import enrol_with_secret

    real = User.objects.create_user(
        "vraie.experte@cabinet.fr", "Un-mot-de-passe-2026!", role=Role.EXPERT
    )
    device = enrol_with_secret(real, "KRSXG5CTMVRXEZLU")
    for debug, flags in ((True, []), (False, ["--force"]), (True, ["--force"])):
        settings.DEBUG = debug
        with pytest.raises(CommandError, match="hors démonstration.*non-demo"):
            call_command("seed_demo", "--dossiers", "20", *flags, verbosity=0)
    assert list(TOTPDevice.objects.filter(user=real).values_list("id", "key")) == [
        (device.id, device.key)
    ]
    assert not User.objects.filter(email="reparateur@demo.test").exists()


def test_every_garage_has_repairers_who_log_in(settings, rf):
    """A load test spreads its repairers over the garages: the seed gives each garage some."""
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "60", "--garages", "12", verbosity=0)
    garages = Garage.objects.all()
    assert garages.count() == 12
    for garage in garages:
        repairers = User.objects.filter(memberships__garage=garage, role=Role.REPAIRER)
        assert repairers.count() >= 2, garage
        assert garage.dossiers.exists(), garage
    generated = User.objects.get(email="atelier.g00012.1@demo.test")
    assert authenticate(rf.post("/"), username=generated.email, password=DEMO_PASSWORD)
    assert list(generated.garages.values_list("external_id", flat=True)) == ["G00012"]
    # A second run writes nothing, and the generated accounts are the demo's own.
    call_command("seed_demo", "--dossiers", "60", "--garages", "12", verbosity=0)
    assert User.objects.filter(email__startswith="atelier.g").count() == 2 * 9 + 2


def test_big_garage_holds_the_asked_dossiers(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "100", "--big-garage", "70", verbosity=0)
    big = Garage.objects.get(memberships__user__email="reparateur2@demo.test")
    assert big.dossiers.count() == 70
    assert Dossier.objects.exclude(garage=big).count() == 30


def test_a_stranger_account_still_blocks_the_seed(settings):
    settings.DEBUG = True
    User.objects.create_user("atelier.g00001.1@garage.fr", "x", role=Role.REPAIRER)
    with pytest.raises(CommandError, match="hors démonstration"):
        call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("seed", ["2026", "1"])
def test_every_tab_has_dossiers_for_each_demo_repairer(settings, seed):
    # The default demo (2026) left "Suivi VE en cours" empty for the first garage (issue 24).
    settings.DEBUG = True
    call_command("seed_demo", "--seed", seed, verbosity=0)
    for email in ("reparateur@demo.test", "reparateur2@demo.test", "reparateur3@demo.test"):
        mine = Dossier.objects.visible_to(User.objects.get(email=email))
        empty = [tab.label for tab in Tab if not mine.in_tab(tab).exists()]
        assert empty == [], email
