import re

import pytest
from django.core import mail
from django.urls import reverse

from connect.accounts.models import Membership, Role, User
from connect.staff.models import AuditAction, AuditEntry
from connect.testing import PASSWORD, login_as, run_tasks

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Mon-atelier-de-carrosserie"


def garage_url(world, name="staff:garage", **extra):
    return reverse(name, kwargs={"garage_id": world.garage_a.pk, **extra})


def test_expert_sees_their_own_garages_first_and_only_their_unit(client, world):
    from connect.accounts.models import Garage

    Garage.objects.create(external_id="G0", name="Aaa garage", unit=world.unit1)
    response = login_as(client, world.expert).get(reverse("staff:garages"))
    names = [g.name for g in response.context["garages"]]
    assert names == ["Garage A", "Garage B", "Aaa garage"]
    assert "Garage C" not in response.content.decode()


def test_a_garage_of_another_unit_is_a_404_for_every_action(client, world):
    login_as(client, world.other_expert)
    assert client.get(garage_url(world)).status_code == 404
    assert client.post(garage_url(world, "staff:account_create"), {}).status_code == 404
    assert client.post(garage_url(world, "staff:garage_edit"), {}).status_code == 404
    url = garage_url(world, "staff:account_active", user_id=world.repairer.pk)
    assert client.post(url, {"active": "0"}).status_code == 404
    world.repairer.refresh_from_db()
    assert world.repairer.is_active


def test_an_account_of_another_garage_is_a_404(client, world):
    url = garage_url(world, "staff:account_active", user_id=world.other_repairer.pk)
    assert login_as(client, world.expert).post(url, {"active": "0"}).status_code == 404
    world.other_repairer.refresh_from_db()
    assert world.other_repairer.is_active


def test_advisors_see_a_garage_but_cannot_manage_accounts(client, world):
    login_as(client, world.advisor)
    page = client.get(garage_url(world))
    assert page.status_code == 200 and "Créer un compte réparateur" not in page.content.decode()
    data = {"email": "x@garage-a.fr", "full_name": "X"}
    assert client.post(garage_url(world, "staff:account_create"), data).status_code == 404
    assert not User.objects.filter(email="x@garage-a.fr").exists()


def test_garage_page_lists_accounts_with_last_login(client, world, django_assert_max_num_queries):
    login_as(client, world.repairer)  # sets last_login
    login_as(client, world.manager)
    with django_assert_max_num_queries(12):
        page = client.get(garage_url(world))
    html = page.content.decode()
    assert "reparateur@test.fr" in html and "collegue@test.fr" in html
    assert "autre@test.fr" not in html
    world.repairer.refresh_from_db()
    assert world.repairer.last_login.astimezone().strftime("%d/%m/%Y") in html


def test_manager_creates_an_account_the_repairer_is_invited_and_logs_in(client, world):
    login_as(client, world.manager)
    data = {"email": "Nouveau@Garage-A.fr", "full_name": "Jean Nouveau", "phone": "0601020304"}
    response = client.post(garage_url(world, "staff:account_create"), data)
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@garage-a.fr")
    assert user.role == Role.REPAIRER and user.phone == "0601020304"
    assert Membership.objects.filter(user=user, garage=world.garage_a).exists()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.garage, entry.target_user) == (
        world.manager,
        AuditAction.ACCOUNT_CREATED,
        world.garage_a,
        user,
    )
    page = client.get(garage_url(world)).content.decode()
    assert "Compte créé" in page and "Invitation en attente" in page

    run_tasks()
    (message,) = mail.outbox
    path = re.search(r"https?://\S+", message.body).group(0).split("8000", 1)[-1]
    client.post(reverse("logout"))
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    login = client.post(reverse("login"), {"username": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_bad_account_input_stores_nothing(client, world):
    login_as(client, world.expert)
    url = garage_url(world, "staff:account_create")
    response = client.post(url, {"email": "pas-un-email", "full_name": ""})
    assert response.status_code == 400
    response = client.post(url, {"email": world.advisor.email, "full_name": "Conseiller"})
    assert response.status_code == 400 and "compte du cabinet" in response.content.decode()
    response = client.post(url, {"email": world.colleague.email, "full_name": "Collègue"})
    assert response.status_code == 400 and "déjà" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_resending_an_invitation_sends_a_new_link_and_is_recorded(client, world):
    pending = User.objects.create_user("attente@garage-a.fr", None, role=Role.REPAIRER)
    Membership.objects.create(user=pending, garage=world.garage_a)
    login_as(client, world.expert)
    url = garage_url(world, "staff:account_invite", user_id=pending.pk)
    assert client.post(url).status_code == 302
    run_tasks()
    assert [m.to for m in mail.outbox] == [["attente@garage-a.fr"]]
    assert AuditEntry.objects.get().action == AuditAction.INVITATION_SENT


def test_disabling_an_account_ends_its_live_sessions_and_reenabling_restores_login(
    client, world, django_user_model
):
    from django.test import Client

    repairer_browser = Client()
    repairer_browser.post(
        reverse("login"), {"username": world.repairer.email, "password": PASSWORD}
    )
    assert repairer_browser.get(reverse("home")).status_code == 200

    login_as(client, world.expert)
    url = garage_url(world, "staff:account_active", user_id=world.repairer.pk)
    assert client.post(url, {"active": "0"}).status_code == 302
    response = repairer_browser.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    refused = repairer_browser.post(
        reverse("login"), {"username": world.repairer.email, "password": PASSWORD}
    )
    assert refused.status_code == 200

    client.post(url, {"active": "1"})
    again = repairer_browser.post(
        reverse("login"), {"username": world.repairer.email, "password": PASSWORD}
    )
    assert again.status_code == 302
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.ACCOUNT_DISABLED, AuditAction.ACCOUNT_ENABLED]
    page = client.get(garage_url(world)).content.decode()
    assert "Compte désactivé" in page and "Compte réactivé" in page


def test_editing_visit_days_and_expert_is_recorded_on_the_garage_page(client, world):
    second_expert = User.objects.create_user(
        "expert3@test.fr", PASSWORD, full_name="Expert Trois", role=Role.EXPERT, unit=world.unit1
    )
    login_as(client, world.manager)
    url = garage_url(world, "staff:garage_edit")
    response = client.post(url, {"visit_days": ["1", "4"], "expert": second_expert.pk})
    assert response.status_code == 302
    world.garage_a.refresh_from_db()
    assert world.garage_a.visit_days == [1, 4] and world.garage_a.expert == second_expert
    entry = AuditEntry.objects.get()
    assert entry.details["before"] == {"visit_days": ["Lundi", "Jeudi"], "expert": "Expert"}
    assert entry.details["after"] == {"visit_days": ["Mardi", "Vendredi"], "expert": "Expert Trois"}
    page = client.get(garage_url(world)).content.decode()
    assert "Garage modifié" in page and "Mardi, Vendredi" in page


def test_an_expert_of_another_unit_cannot_be_assigned(client, world):
    login_as(client, world.manager)
    url = garage_url(world, "staff:garage_edit")
    response = client.post(url, {"visit_days": ["1"], "expert": world.other_expert.pk})
    assert response.status_code == 400
    response = client.post(url, {"visit_days": ["9"]})
    assert response.status_code == 400
    world.garage_a.refresh_from_db()
    assert world.garage_a.visit_days == [0, 3] and world.garage_a.expert == world.expert
    assert not AuditEntry.objects.exists()


def test_staff_remove_one_membership_and_the_account_keeps_its_other_garage(client, world):
    Membership.objects.create(user=world.other_repairer, garage=world.garage_a)
    login_as(client, world.expert)
    page = client.get(garage_url(world)).content.decode()
    assert "Aussi dans 1 autre garage" in page and "Retirer de ce garage" in page
    url = garage_url(world, "staff:account_remove", user_id=world.other_repairer.pk)
    assert client.post(url).status_code == 302
    world.other_repairer.refresh_from_db()
    assert world.other_repairer.is_active
    assert list(world.other_repairer.garages.all()) == [world.garage_b]
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_REMOVED)
    assert (entry.garage, entry.target_user, entry.actor) == (
        world.garage_a,
        world.other_repairer,
        world.expert,
    )
    from connect.dossiers.models import Dossier

    assert not Dossier.objects.visible_to(world.other_repairer).filter(garage=world.garage_a)


def test_removing_a_membership_needs_the_garage_and_the_right_to_manage(client, world):
    url = garage_url(world, "staff:account_remove", user_id=world.repairer.pk)
    assert login_as(client, world.other_expert).post(url).status_code == 404
    assert login_as(client, world.advisor).post(url).status_code == 404
    assert login_as(client, world.expert).get(url).status_code == 405
    assert Membership.objects.filter(user=world.repairer, garage=world.garage_a).exists()
