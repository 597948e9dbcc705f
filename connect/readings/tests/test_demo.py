"""The demo's ESD photos show the dossier's plate, a VIN and an odometer: `make run`'s worker
reads them, and the expert sees "Plaque conforme" on the demo."""

import pytest
from django.core.management import call_command

from connect.readings.models import Kind, Reading, Verdict
from connect.testing import network_blocked, run_tasks


@pytest.mark.django_db
def test_the_demo_esd_photos_are_read(settings, monkeypatch):
    network_blocked(monkeypatch)
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "60", "--seed", "7", verbosity=0)
    assert Reading.objects.filter(verdict=Verdict.PENDING).count() == 6  # two ESD requests
    run_tasks("reading")
    plates = Reading.objects.filter(kind=Kind.PLATE)
    assert {r.verdict for r in plates} == {Verdict.MATCH}
    assert {r.value for r in Reading.objects.filter(kind=Kind.VIN)} == {"VF1RFB00X65123456"}
    assert {r.value for r in Reading.objects.filter(kind=Kind.ODOMETER)} == {"87654"}
