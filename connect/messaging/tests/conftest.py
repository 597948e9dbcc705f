import pytest


@pytest.fixture
def dossier(world):
    """Garage A's dossier, under the VE procedure so that every subject is offered."""
    world.dossier_a.ve_procedure = True
    world.dossier_a.save(update_fields=["ve_procedure"])
    return world.dossier_a
