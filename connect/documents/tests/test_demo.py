import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from connect.documents import demo
from connect.documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db


def seed(settings, dossiers=20):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", str(dossiers), "--seed", "3", verbosity=0)


def test_demo_dossiers_get_real_files(settings):
    seed(settings)
    assert Document.objects.filter(content_type="application/pdf").exists()
    assert Document.objects.filter(content_type="image/heic").count() >= 1
    assert Document.objects.filter(content_type="image/jpeg").exists()
    replacement = Document.objects.exclude(replaces=None).first()
    assert replacement.doc_type == replacement.replaces.doc_type == DocumentType.EXPERT_REPORT
    for document in Document.objects.all():
        assert document.file.size == document.size


def test_a_benchmark_sized_seed_writes_no_file(world, monkeypatch):
    added = []
    monkeypatch.setattr(demo, "add_document", lambda **kwargs: added.append(kwargs))
    ctx = SimpleNamespace(
        dossier_count=demo.MAX_DOSSIERS_FOR_FILES + 1,
        rng=random.Random(1),
        objects={"garages": [world.garage_a]},
        write=print,
    )
    demo.seed(ctx)
    assert added == []
    ctx.dossier_count = 10
    demo.seed(ctx)
    assert added  # the same call with a small seed does write files
