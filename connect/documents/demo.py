"""Demo documents: real files made in code (PDFs, JPEG photos with EXIF rotation, one HEIC).

Only the first dossiers of the first two garages get files, to keep `seed_demo` fast; with a
benchmark-sized seed (over 10,000 dossiers) no file is written at all (benchmarks add their own).
"""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from connect.accounts.models import User
from connect.documents import samples
from connect.documents.models import DocumentType, Origin
from connect.documents.services import add_document
from connect.dossiers.demo import BENCHMARK_SEED
from connect.dossiers.models import Dossier

DOSSIERS_PER_GARAGE = 30
MAX_DOSSIERS_FOR_FILES = BENCHMARK_SEED
PAPERS = [
    (DocumentType.MISSION_ORDER, "Ordre de mission", 2),
    (DocumentType.COVERAGE_AGREEMENT, "Prise en charge", 1),
    (DocumentType.QUOTE, "Devis réparateur", 3),
]


def seed(ctx) -> None:
    if ctx.dossier_count > MAX_DOSSIERS_FOR_FILES:
        return
    photos = _photo_variants()
    count = 0
    for garage in ctx.objects["garages"][:2]:
        repairer = User.objects.filter(memberships__garage=garage).order_by("id").first()
        dossiers = Dossier.objects.filter(garage=garage).order_by("id")[:DOSSIERS_PER_GARAGE]
        for index, dossier in enumerate(dossiers):
            count += _seed_dossier(ctx.rng, dossier, index, photos, repairer)
    ctx.write(f"Documents de démonstration : {count} fichiers.")


def _photo_variants() -> list[tuple[str, bytes]]:
    """A few photos, some taken sideways (EXIF orientation 6 or 8) as phones do."""
    return [
        ("IMG_20250312_101502.jpg", samples.jpeg((1024, 768), label="Face avant")),
        ("IMG_20250312_101533.jpg", samples.jpeg((1024, 768), orientation=6, label="Aile")),
        ("IMG_20250312_101610.jpg", samples.jpeg((1024, 768), orientation=8, label="Porte")),
        ("IMG_20250312_101702.jpg", samples.jpeg((1024, 768), label="Pare-chocs")),
        ("Capture compteur.png", samples.png((800, 600))),
    ]


def _seed_dossier(rng, dossier, index, photos, repairer) -> int:
    start = _start(dossier)
    added = 0

    def add(data, name, doc_type, days, origin=Origin.CORE_SYSTEM, **extra):
        nonlocal added
        added += 1
        return add_document(
            dossier=dossier,
            file=ContentFile(data, name=name),
            doc_type=doc_type,
            origin=origin,
            occurred_at=start + timedelta(days=days, hours=rng.randint(0, 8)),
            **extra,
        )

    for doc_type, title, pages in PAPERS[: 1 + index % 3]:
        add(
            samples.pdf(f"{title} - dossier {dossier.reference}", pages),
            f"{title}.pdf",
            doc_type,
            0,
        )
    for number in range(2 + index % 4):
        name, data = photos[(index + number) % len(photos)]
        author = repairer if number % 2 else None
        origin = Origin.REPAIRER_MESSAGE if author else Origin.CORE_SYSTEM
        add(data, name, DocumentType.PHOTO, 1 + number, origin, author=author)
    if index == 0:
        add(samples.heic((1024, 768)), "IMG_0421.HEIC", DocumentType.PHOTO, 2)
    if index % 2 == 0:
        report = add(_report(dossier, 1), "Rapport d'expertise.pdf", DocumentType.EXPERT_REPORT, 6)
        if index % 4 == 0:
            add(
                _report(dossier, 2),
                "Rapport d'expertise v2.pdf",
                DocumentType.EXPERT_REPORT,
                8,
                replaces=report,
                title="Rapport d'expertise (annule et remplace)",
            )
    if dossier.awaiting_invoice or dossier.archived:
        add(
            samples.pdf(f"Note d'honoraires {dossier.reference}", 1),
            "Note d'honoraires.pdf",
            DocumentType.FEE_NOTE,
            10,
        )
    return added


def _report(dossier, version: int) -> bytes:
    return samples.pdf(
        f"Rapport d'expertise - dossier {dossier.reference} - version {version}",
        pages=4,
        lines=(f"Véhicule : {dossier.vehicle}", f"Immatriculation : {dossier.plate}"),
    )


def _start(dossier):
    day = dossier.mission_received_on or timezone.localdate()
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
