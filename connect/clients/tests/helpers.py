"""Clients and their users for the tests: a second client, a region-limited user."""

from connect.accounts.models import Role, User
from connect.clients.models import Client, ClientKind, ClientMember
from connect.testing import PASSWORD


def client_user(email: str, client: Client, *, region: str = "") -> User:
    user = User.objects.create_user(
        email, PASSWORD, full_name=email.split("@")[0], role=Role.CLIENT
    )
    ClientMember.objects.create(user=user, client=client, region=region)
    return user


def other_client(external_id: str = "CLB", name: str = "Loueur B") -> Client:
    return Client.objects.create(external_id=external_id, name=name, kind=ClientKind.LESSOR)


def totp_code(device) -> str:
    from django_otp.oath import TOTP

    counter = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{counter.token():06d}"
