"""The demo's balls: derived like any other, once every app's facts are in (recompute)."""

from connect.deadlines.services import recompute
from connect.dossiers.models import Dossier

BATCH = 2000


def seed(ctx) -> None:
    """Nothing of its own: the service levels come with the migrations."""


def finish(ctx) -> None:
    ids = list(Dossier.objects.filter(archived=False).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        recompute(ids[start : start + BATCH])
    ctx.write(f"À qui la main : calculé pour {len(ids)} dossiers en cours.")
