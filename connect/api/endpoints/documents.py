"""Documents: upload to a dossier, download by code."""

from ninja import Router

router = Router(tags=["Documents"])
