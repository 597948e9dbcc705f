"""PUT/GET /clients/{external_id}: the firm's clients, which dossiers name by external id."""

from ninja import Path, Router, Status

from connect.api.errors import not_found
from connect.api.responses import documented
from connect.api.schemas import ClientIn, ExternalId
from connect.clients.models import Client
from connect.clients.services import upsert_client

router = Router(tags=["Clients"])


def _client_out(client: Client) -> ClientIn:
    return ClientIn.model_validate({"name": client.name, "kind": client.kind})


@router.get("/clients/{external_id}", response=documented({200: ClientIn}))
def get_client(request, external_id: Path[ExternalId]):
    """Le client tel que le portail le connaît, dans la forme qu'accepte PUT."""
    if (client := Client.objects.filter(external_id=external_id).first()) is None:
        raise not_found("Client", "Client")
    return _client_out(client)


@router.put("/clients/{external_id}", response=documented({200: ClientIn, 201: ClientIn}))
def put_client(request, external_id: Path[ExternalId], payload: ClientIn):
    """Crée ou met à jour un client (assureur, loueur, gestionnaire de flotte…) : 201 à la
    création, 200 ensuite. Les dossiers le nomment ensuite par son identifiant (`client`)."""
    client, created = upsert_client(external_id=external_id, **payload.model_dump())
    return Status(201 if created else 200, _client_out(client))
