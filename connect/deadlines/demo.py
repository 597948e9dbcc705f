"""The demo's balls: derived like any other, through the touch path once every app's facts
are in."""

from connect.dossiers.models import Dossier
from connect.dossiers.touch import touch_dossiers

BATCH = 2000


def seed(ctx) -> None:
    """Nothing of its own: the service levels come with the migrations."""


def finish(ctx) -> None:
    ids = list(Dossier.objects.filter(archived=False).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        touch_dossiers(ids[start : start + BATCH])
    ctx.write(f"À qui la main : calculé pour {len(ids)} dossiers en cours.")
