"""Dossier page with 200 documents (photos with thumbnails, PDFs, a replaced report), on
PostgreSQL, served by gunicorn (2 sync workers, sessions in Redis as in production: see
documents_setup.py): p50/p95/p99 server round trip, next to the bare baseline of a page that
renders a template without the database (/mentions-legales/).

    .venv/bin/python bench/dossier_page.py [--requests 300]

Budget (docs/architecture.md): p95 ≤ 50 ms.
Generated data: database bench_documents, /tmp/bench_documents.
"""

import argparse
import time
from datetime import timedelta

from documents_setup import Gunicorn, get, make_world, percentiles, setup_django

DOCUMENTS = 200


def seed(dossier) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from connect.documents import samples
    from connect.documents.models import Document, DocumentType, Origin
    from connect.documents.services import add_document
    from connect.documents.tasks import make_document_renditions
    from connect.dossiers.models import Step

    photo, report = samples.jpeg((1024, 768), orientation=6), samples.pdf("Rapport", 4)
    now = timezone.now()
    for index in range(DOCUMENTS):
        is_photo = index % 3 != 0
        add_document(
            dossier=dossier,
            file=ContentFile(photo if is_photo else report,
                             name=f"IMG_{index:04d}.jpg" if is_photo else f"doc {index}.pdf"),
            doc_type=DocumentType.PHOTO if is_photo else DocumentType.EXPERT_REPORT,
            origin=Origin.CORE_SYSTEM,
            occurred_at=now - timedelta(hours=index),
        )  # fmt: skip
    first_report = Document.objects.filter(doc_type=DocumentType.EXPERT_REPORT).last()
    Document.objects.filter(pk=Document.objects.order_by("-id").first().pk).update(
        replaces=first_report
    )
    for document in Document.objects.filter(content_type="image/jpeg"):
        make_document_renditions.call(document.pk)
    for day in range(12):
        Step.objects.create(dossier=dossier, label=f"Étape {day}", occurred_at=now - timedelta(day))


def measure(path: str, cookie: str, count: int) -> list[float]:
    for _ in range(20):  # warm-up: connections, template caches
        get(path, cookie)
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        get(path, cookie)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    setup_django()
    dossier, cookie = make_world()
    started = time.perf_counter()
    seed(dossier)
    print(f"seeded {DOCUMENTS} documents + thumbnails in {time.perf_counter() - started:.1f} s")
    page = f"/dossiers/{dossier.code}/"
    with Gunicorn(workers=2):
        body = get(page, cookie).decode()
        assert f"{DOCUMENTS}/{DOCUMENTS} documents" in body, "page did not render the documents"
        baseline = measure("/mentions-legales/", cookie, args.requests)
        dossier_page = measure(page, cookie, args.requests)
        photos = measure(page + "?genre=photos", cookie, args.requests // 2)
    print(f"baseline /mentions-legales/        {percentiles(baseline)}")
    print(f"dossier page, {DOCUMENTS} documents     {percentiles(dossier_page)}")
    print(f"dossier page, photos filter        {percentiles(photos)}")
    print("budget: dossier page p95 <= 50 ms (sequential requests, gunicorn 2 sync workers, PG)")


if __name__ == "__main__":
    main()
