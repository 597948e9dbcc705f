"""A demo client (an insurer) whose portfolio is every other dossier, its user, and the
demo expert as the firm's account manager."""

from connect.accounts import access_codes
from connect.accounts.models import Role, User
from connect.clients.models import Client, ClientKind, ClientMember
from connect.dossiers.models import Dossier

CLIENT_EMAIL = "client@demo.test"
ACCOUNT_MANAGER = "expert@demo.test"


def seed(ctx) -> None:
    # Kept by a demo reloaded after its accounts and dossiers were deleted: taken again.
    client, _ = Client.objects.update_or_create(
        external_id="HORIZON",
        defaults={"name": "Assurances Horizon", "kind": ClientKind.INSURER},
    )
    ids = list(Dossier.objects.order_by("id").values_list("id", flat=True))
    Dossier.objects.filter(id__in=ids[0::4]).update(client=client, client_region="Nord")
    Dossier.objects.filter(id__in=ids[2::4]).update(client=client, client_region="Sud")
    user = User.objects.create_user(
        CLIENT_EMAIL, ctx.password, full_name="Claire Horizon", role=Role.CLIENT
    )
    ClientMember.objects.create(user=user, client=client)
    code = access_codes.issue(user)
    ctx.objects["client_users"] = [user]  # enrolled in the second factor by staff/demo.py
    User.objects.filter(email=ACCOUNT_MANAGER).update(is_account_manager=True)
    ctx.objects["logins"] = sorted([*ctx.objects.get("logins", []), CLIENT_EMAIL])
    ctx.write(
        f"Client de démonstration « {client.name} » : {CLIENT_EMAIL}, code d'accès {code} "
        "(second facteur : la clé TOTP de démonstration des comptes du cabinet). "
        f"{ACCOUNT_MANAGER} est gestionnaire de compte."
    )
