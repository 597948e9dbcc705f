"""The core claims system's API: /api/v1/, documented at /api/v1/docs (OpenAPI 3)."""

from ninja import NinjaAPI, Swagger

from connect.api import errors
from connect.api.auth import BearerToken
from connect.api.endpoints import (
    clients,
    documents,
    dossiers,
    events,
    evidence,
    garages,
    invoices,
)
from connect.api.parser import StrictJsonParser

api = NinjaAPI(
    title="Connect Réparateurs — API du système de gestion",
    version="1.0.0",
    urls_namespace="api",
    description=(
        "Le système de gestion du cabinet pousse garages, comptes, dossiers, étapes et "
        "documents, et collecte ce que les réparateurs envoient (`/events`).\n\n"
        "Authentification : `Authorization: Bearer <jeton>` (jeton créé par "
        "`manage.py create_api_token`). Les PUT sont idempotents ; un POST portant un en-tête "
        "`Idempotency-Key` rejoue sa première réponse. Erreurs : JSON `{code, message: {fr, en}, "
        "errors: [...]}`. Limites : 4 Mo par requête JSON, 1 000 dossiers par lot, un débit "
        "par jeton (429 avec `Retry-After`).\n\n"
        "Lots de dossiers (`POST /dossiers/batch`) : jusqu'à 100 dossiers, le lot est appliqué "
        "pendant la requête (200 avec ses nombres, ou 422 avec une erreur par élément) ; "
        "au-delà, ou avec `Prefer: respond-async`, il est accepté en **202** et appliqué en "
        "tâche de fond : la réponse (et l'en-tête `Location`) donne `status_url`, que l'on "
        "interroge par GET (`queued`, puis `done` avec ses nombres ou `failed` avec les erreurs "
        "par élément, rien d'enregistré), et le flux `/events` porte `batch.done` ou "
        "`batch.failed`. Une erreur de forme (champ invalide, lot vide ou de plus de 1 000) "
        "reste un 422 immédiat. Avec `Idempotency-Key`, le même lot renvoyé rejoue le même 202 "
        "(le même `job`) : il n'est appliqué qu'une fois.\n\n"
        "Entrées strictes : un corps JSON doit porter `Content-Type: application/json` (sinon "
        "415) ; une clé en double ou un champ inconnu est refusé en 422, l'erreur nommant la "
        "clé (`duplicate_key`, `extra_forbidden`). Rattacher à un autre garage un compte "
        "réparateur existant doit être demandé (`add_to_garage: true`), sinon 409 "
        "`already_in_another_garage`. Un dossier nomme son client par `client` (identifiant "
        "externe d'un client créé par `PUT /clients/{external_id}`, sinon 422 `unknown_client`) "
        "et peut porter la région ou l'agence du client (`client_region`).\n\n"
        "Avis de nouveaux événements (optionnel) : un jeton créé avec `--webhook-url` reçoit un "
        "POST JSON `{type: events.available}` signé par l'en-tête `X-Connect-Signature: "
        't=<horodatage>,v1=<HMAC-SHA256 hex de "<t>.<corps>">` avec le secret du jeton, '
        "réessayé avec un délai croissant (30 s à 1 h, 8 essais). L'avis ne contient aucune "
        "donnée : lisez ensuite `/events`, qui reste la référence."
    ),
    auth=BearerToken(),
    parser=StrictJsonParser(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", garages.router)
api.add_router("", clients.router)
api.add_router("", dossiers.router)
api.add_router("", documents.router)
api.add_router("", invoices.router)
api.add_router("", events.router)
api.add_router("", evidence.router)
