import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from connect.staff import second_factor as sf
from connect.testing import PASSWORD, login_as

pytestmark = pytest.mark.django_db
DEMO_SECRET = "JBSWY3DPEHPK3PXP"


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_staff_are_sent_to_enrolment_after_their_password(client, world):
    password_login(client, world.expert)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:second_factor"))
    assert client.get(response["Location"])["Location"] == reverse("staff:enrol")


def test_unverified_staff_reach_neither_workspace_nor_dossiers_nor_admin(client, world):
    password_login(client, world.admin)
    for url in (
        reverse("staff:home"),
        reverse("staff:garages"),
        reverse("dossier_detail", args=[world.dossier_a.code]),
        "/admin/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("staff:second_factor")), url


def test_repairers_have_no_second_factor_step(client, world):
    password_login(client, world.repairer)
    assert client.get(reverse("home")).status_code == 200


def test_enrolment_shows_a_qr_code_then_confirms_with_a_code_and_gives_recovery_codes(
    client, world
):
    password_login(client, world.expert)
    page = client.get(reverse("staff:enrol"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=world.expert, confirmed=False)
    # Reloading keeps the same secret until it is confirmed.
    assert client.get(reverse("staff:enrol")).context["secret"] == sf.hex_to_base32(device.key)

    wrong = client.post(reverse("staff:enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "Code incorrect" in wrong.content.decode()
    assert client.get(reverse("staff:home")).status_code == 302

    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # repeated failures slow down
    device.throttle_reset()
    response = client.post(reverse("staff:enrol"), {"code": sf_code(device)})
    assert response["Location"] == reverse("staff:recovery_codes")
    codes = client.get(response["Location"]).context["codes"]
    assert len(codes) == 10
    # Shown once only.
    assert client.get(reverse("staff:recovery_codes")).context["codes"] is None
    assert client.get(reverse("staff:home")).status_code == 200


def sf_code(device):
    from django_otp.oath import TOTP

    counter = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{counter.token():06d}"


def enrolled(user):
    device = sf.enrol_with_secret(user, DEMO_SECRET)
    codes = sf.replace_recovery_codes(user=user)
    return device, codes


def test_a_right_code_opens_the_workspace_and_a_wrong_one_is_refused(client, world):
    device, _ = enrolled(world.expert)
    password_login(client, world.expert)
    wrong = client.post(reverse("staff:second_factor"), {"code": "123456"})
    assert wrong.status_code == 200 and "Code incorrect" in wrong.content.decode()
    assert client.get(reverse("staff:home")).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    before = client.session.session_key
    response = client.post(reverse("staff:second_factor"), {"code": sf_code(device), "next": "/"})
    assert response["Location"] == reverse("staff:home")
    assert client.session.session_key != before
    assert client.get(reverse("staff:home")).status_code == 200


def test_a_code_cannot_be_replayed(client, world):
    device, _ = enrolled(world.expert)
    code = sf_code(device)
    password_login(client, world.expert)
    assert client.post(reverse("staff:second_factor"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_login(client, world.expert)
    replay = client.post(reverse("staff:second_factor"), {"code": code})
    assert replay.status_code == 200


def test_a_recovery_code_works_once(client, world):
    _, codes = enrolled(world.manager)
    password_login(client, world.manager)
    response = client.post(reverse("staff:second_factor"), {"code": codes[0]})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=world.manager).count() == 9
    client.post(reverse("logout"))
    password_login(client, world.manager)
    again = client.post(reverse("staff:second_factor"), {"code": codes[0]})
    assert again.status_code == 200 and "Code incorrect" in again.content.decode()


def test_the_step_returns_to_the_page_asked_for_but_never_off_site(client, world):
    device, _ = enrolled(world.expert)
    password_login(client, world.expert)
    url = reverse("staff:garages")
    asked = client.get(url)["Location"]
    form = client.get(asked)
    assert form.context["next"] == url
    response = client.post(asked, {"code": sf_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:home")


def test_admin_requires_the_second_factor_too(client, world):
    device, _ = enrolled(world.admin)
    password_login(client, world.admin)
    assert client.get("/admin/")["Location"].startswith(reverse("staff:second_factor"))
    client.post(reverse("staff:second_factor"), {"code": sf_code(device)})
    assert client.get("/admin/").status_code == 200


def test_demo_secret_is_stored_as_hex_and_matches_authenticator_apps(world):
    device = sf.enrol_with_secret(world.expert, DEMO_SECRET)
    assert device.key == "48656c6c6f21deadbeef"
    assert sf.hex_to_base32(device.key) == DEMO_SECRET


def test_logout_stays_reachable_before_the_step(client, world):
    password_login(client, world.expert)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_login_as_marks_staff_verified_for_tests(client, world):
    login_as(client, world.advisor)
    assert client.get(reverse("staff:home")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, world):
    _, old_codes = enrolled(world.expert)
    login_as(client, world.expert)
    response = client.post(reverse("staff:recovery_codes"))
    new_codes = client.get(response["Location"]).context["codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert sf.verify(world.expert, new_codes[0]) is not None
    assert sf.verify(world.expert, old_codes[0]) is None


def test_an_htmx_request_of_an_unverified_staff_member_redirects_the_whole_page(client, world):
    password_login(client, world.expert)
    response = client.get(reverse("staff:inbox"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("staff:second_factor"))


def test_the_service_updates_window_waits_until_after_the_step(client, world):
    from connect.updates.models import ServiceUpdate

    ServiceUpdate.objects.create(version="1.0", title="Nouveauté", body="x", is_published=True)
    device, _ = enrolled(world.expert)
    password_login(client, world.expert)
    step = client.get(reverse("staff:second_factor"))
    assert "service-updates" not in step.content.decode()
    client.post(reverse("staff:second_factor"), {"code": sf_code(device)})
    assert "service-updates" in client.get(reverse("staff:home")).content.decode()


def test_the_token_api_answers_for_itself_even_with_an_unverified_staff_cookie(client, world):
    password_login(client, world.expert)
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
