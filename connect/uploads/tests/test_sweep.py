"""Unfinished and unused uploads expire and are swept, with their parts."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from connect.documents.samples import jpeg
from connect.uploads.models import Upload
from connect.uploads.services import sweep_expired
from connect.uploads.tests.helpers import create, patch, send, stored_parts


def test_the_sweep_removes_expired_uploads_and_their_parts(as_repairer, world):
    data = jpeg((320, 240))
    url = create(as_repairer, world.dossier_a, data)["Location"]
    patch(as_repairer, url, data[:1000], 0, len(data))
    kept = send(as_repairer, world.dossier_a, jpeg((64, 48)), "b.jpg")
    Upload.objects.exclude(code=kept).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("sweep_uploads", verbosity=0)
    assert list(Upload.objects.values_list("code", flat=True).order_by()) == [
        Upload.objects.get(code=kept).code
    ]
    assert all(name.startswith(f"uploads/{kept}/") for name in stored_parts())
    assert stored_parts() != []


def test_the_sweep_removes_parts_no_row_owns_once_old(world):
    default_storage.save("uploads/0b4c1a3e-0000-4000-8000-000000000000/0", ContentFile(b"x"))
    assert sweep_expired(now=timezone.now()) == 0  # too young: its row may be committing
    assert sweep_expired(now=timezone.now() + timedelta(hours=2)) == 1
    assert stored_parts() == []


def test_the_daily_scheduler_runs_the_sweep():
    from connect.ops.schedule import DAILY_JOBS

    assert "sweep_uploads" in {job.command for job in DAILY_JOBS}
