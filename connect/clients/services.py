"""The clients and their users: created by the core system (the client) and by the firm's
account manager (the client and its users)."""

from django.db import transaction

from connect.accounts import access_codes
from connect.accounts.models import Role, User
from connect.accounts.services import send_invitation
from connect.clients.models import Client, ClientMember


@transaction.atomic
def upsert_client(*, external_id: str, name: str, kind: str) -> tuple[Client, bool]:
    """Create or update a client from the core system (as garages are)."""
    client, created = Client.objects.select_for_update().get_or_create(
        external_id=external_id, defaults={"name": name, "kind": kind}
    )
    if not created and (client.name, client.kind) != (name, kind):
        client.name, client.kind = name, kind
        client.save(update_fields=["name", "kind", "updated_at"])
    return client, created


@transaction.atomic
def create_client(*, external_id: str, name: str, kind: str) -> Client:
    """A client the account manager creates before the core system names it."""
    return Client.objects.create(external_id=external_id, name=name, kind=kind)


@transaction.atomic
def invite_client_user(
    *, client: Client, email: str, full_name: str, region: str = ""
) -> tuple[User, str]:
    """A new user of `client` (role CLIENT), its access code, and its invitation to choose a
    password (sent once the transaction commits). The caller checked that the e-mail is free."""
    user = User.objects.create_user(email, None, full_name=full_name, role=Role.CLIENT)
    ClientMember.objects.create(user=user, client=client, region=region)
    code = access_codes.issue(user)
    send_invitation(user, client_name=client.name, access_code=code)
    return user, code


@transaction.atomic
def set_region(*, member: ClientMember, region: str) -> None:
    member.region = region
    member.save(update_fields=["region"])
