"""The clients and their users: created by the core system (the client) and by the firm's
account manager (the client and its users)."""

from django.db import transaction

from connect.clients.models import Client


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
