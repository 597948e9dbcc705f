"""The dossier de preuves for the core system: the same signed ZIP as the staff's."""

from django.http import FileResponse
from ninja import Path, Router

from connect.api.endpoints.dossiers import dossier_by_reference
from connect.api.responses import documented
from connect.api.schemas import Reference
from connect.documents.responses import protect
from connect.evidence.pack import build, file_name

router = Router(tags=["Dossier de preuves"])


@router.get(
    "/dossiers/{reference}/evidence",
    response=documented({200: None}),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Le ZIP signé (application/zip).",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_evidence_pack(request, reference: Path[Reference]):
    """Le dossier de preuves : chaque fichier du dossier, un manifeste (empreintes SHA-256,
    provenance constatée par le portail et déclarée par l'appareil, lectures, événements du
    dossier chaînés par empreinte) et la signature Ed25519 du portail sur le manifeste.
    Le même dossier donne les mêmes octets. Vérification hors ligne : `verify_evidence.py`
    (dans le ZIP, voir son README.txt) avec les clés publiées à
    `/.well-known/connect-evidence-keys.json`."""
    dossier = dossier_by_reference(reference)
    response = FileResponse(
        build(dossier),
        as_attachment=True,
        filename=file_name(dossier),
        content_type="application/zip",
    )
    return protect(response)
