import pytest
from django.core.management import call_command
from django.test import override_settings

from connect.push.checks import vapid_configured
from connect.push.vapid import new_key_pair


def test_vapid_keys_prints_a_pair_the_check_accepts(capsys):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    with override_settings(
        VAPID_PUBLIC_KEY=lines["VAPID_PUBLIC_KEY"], VAPID_PRIVATE_KEY=lines["VAPID_PRIVATE_KEY"]
    ):
        assert vapid_configured(None) == []


@override_settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY="")
def test_unset_keys_are_a_warning():
    [warning] = vapid_configured(None)
    assert warning.id == "connect.W018"


@pytest.mark.parametrize("broken", ["mismatch", "garbage"])
def test_keys_that_do_not_match_are_an_error(broken):
    public, _ = new_key_pair()
    private = new_key_pair()[1] if broken == "mismatch" else "not-a-key"
    with override_settings(VAPID_PUBLIC_KEY=public, VAPID_PRIVATE_KEY=private):
        [error] = vapid_configured(None)
    assert error.id == "connect.E018"
