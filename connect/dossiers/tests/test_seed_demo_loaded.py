"""The loaded demo, what it holds and what seeding it again does: the demo (120 dossiers, the
costly part) is seeded once for the module; each test runs in a savepoint rolled back after it."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from connect.accounts.models import Garage, Role, User
from connect.dossiers.management.commands.seed_demo import DEMO_PASSWORD
from connect.dossiers.models import Dossier, Step, Tab
from connect.testing import private_storages

pytestmark = pytest.mark.django_db
FIXED_LOGINS = {
    "reparateur@demo.test": Role.REPAIRER,
    "reparateur2@demo.test": Role.REPAIRER,
    "expert@demo.test": Role.EXPERT,
    "conseiller@demo.test": Role.ADVISOR,
    "manager@demo.test": Role.MANAGER,
    "expert2@demo.test": Role.EXPERT,
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded in a transaction of the module's own, rolled back once its tests are done (each
    test's own transaction is a savepoint inside it); its files in a folder of its own."""
    storages = private_storages(tmp_path_factory.mktemp("demo"))
    demo = override_settings(DEBUG=True, STORAGES=storages)
    with django_db_blocker.unblock(), demo, transaction.atomic():
        call_command("seed_demo", "--dossiers", "120", "--seed", "7", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_fixed_demo_accounts_log_in(seeded, rf):
    for email, role in FIXED_LOGINS.items():
        user = authenticate(rf.post("/"), username=email, password=DEMO_PASSWORD)
        assert user is not None and user.role == role, email


def test_demo_staff_and_garages_are_wired_as_documented(seeded):
    expert = User.objects.get(email="expert@demo.test")
    repairer_garage = Garage.objects.get(memberships__user__email="reparateur@demo.test")
    other_garage = Garage.objects.get(memberships__user__email="reparateur2@demo.test")
    assert repairer_garage != other_garage
    assert repairer_garage.expert == expert == other_garage.expert
    assert repairer_garage.visit_days and other_garage.visit_days
    for email in ("conseiller@demo.test", "manager@demo.test"):
        assert User.objects.get(email=email).unit == expert.unit
    assert User.objects.get(email="expert2@demo.test").unit != expert.unit
    assert Garage.objects.count() >= 3


def test_demo_dossiers_fill_every_tab_and_have_steps(seeded):
    user = User.objects.get(email="reparateur@demo.test")
    mine = Dossier.objects.visible_to(user)
    for tab in Tab:
        assert mine.in_tab(tab).exists(), tab
    assert mine.filter(archived=True).exists()
    plates = list(Dossier.objects.values_list("plate", flat=True))
    assert any(p.count("-") == 2 for p in plates) and any(" " in p for p in plates)
    assert Step.objects.filter(dossier__in=mine).count() >= 2 * mine.count()
    assert all(d.plate_key and d.search_text for d in mine)


def test_it_is_deterministic_and_does_not_load_twice(seeded):
    first = list(Dossier.objects.order_by("reference").values_list("plate", "insured_name"))
    call_command("seed_demo", "--dossiers", "120", "--seed", "7", verbosity=0)
    assert Dossier.objects.count() == 120
    Dossier.objects.all().delete()
    Step.objects.all().delete()
    User.objects.all().delete()
    Garage.objects.all().delete()
    from connect.accounts.models import Unit

    Unit.objects.all().delete()
    call_command("seed_demo", "--dossiers", "120", "--seed", "7", verbosity=0)
    again = list(Dossier.objects.order_by("reference").values_list("plate", "insured_name"))
    assert again == first


def test_it_prints_the_demo_logins_even_when_already_loaded(seeded):
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "déjà présentes" in text and DEMO_PASSWORD in text
    assert all(email in text for email in FIXED_LOGINS)


def test_once_loaded_it_writes_nothing_even_beside_accounts_added_since(seeded, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from connect.staff.second_factor import enrol_with_secret

    added = User.objects.create_user(
        "experte@cabinet.fr", "Un-mot-de-passe-2026!", role=Role.EXPERT
    )
    device = enrol_with_secret(added, "KRSXG5CTMVRXEZLU")
    counts = {model: model.objects.count() for model in (User, TOTPDevice)}
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "rien à faire" in out.getvalue()
    assert {model: model.objects.count() for model in counts} == counts
    assert list(TOTPDevice.objects.filter(user=added).values_list("id", "key")) == [
        (device.id, device.key)
    ]


def test_it_enrols_the_demo_staff_and_only_them(seeded):
    from connect.accounts.models import SECOND_FACTOR_ROLES
    from connect.staff.demo import DEMO_TOTP_SECRET
    from connect.staff.second_factor import base32_to_hex, confirmed_app

    staff = User.objects.filter(role__in=SECOND_FACTOR_ROLES)
    assert staff.count() == 7  # five staff, the admin and the demo client's user
    for user in staff:
        assert confirmed_app(user).key == base32_to_hex(DEMO_TOTP_SECRET), user.email
    for user in User.objects.exclude(role__in=SECOND_FACTOR_ROLES):
        assert confirmed_app(user) is None, user.email


def test_demo_novelty_comes_from_real_documents_and_messages(seeded):
    from connect.documents.models import NOVELTY_ORIGINS, Document
    from connect.dossiers.novelty import is_novelty, with_novelty
    from connect.messaging.models import Message, Side

    with_documents = Dossier.objects.filter(last_document_at__isnull=False)
    with_messages = Dossier.objects.filter(last_message_at__isnull=False)
    assert with_documents.exists() and with_messages.exists()
    from_firm = Document.objects.filter(origin__in=NOVELTY_ORIGINS)
    assert set(with_documents.values_list("pk", flat=True)) == set(
        from_firm.values_list("dossier", flat=True)
    )
    firm_messages = Message.objects.filter(side=Side.FIRM)
    assert set(with_messages.values_list("pk", flat=True)) == set(
        firm_messages.values_list("thread__dossier", flat=True)
    )
    # A few novelties stand out for the demo repairer, each backed by a document or a message.
    user = User.objects.get(email="reparateur@demo.test")
    novel = with_novelty(Dossier.objects.visible_to(user), user).filter(is_novelty())
    assert novel.exists()
    assert novel.count() < with_documents.filter(garage__memberships__user=user).count()
