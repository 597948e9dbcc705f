"""Dossier page with 200 documents (photos with thumbnails, PDFs, a replaced report), on
PostgreSQL, served by gunicorn (2 sync workers, sessions in Redis as in production: see
bench/harness.py): p50/p95/p99 server round trip, next to the bare baseline of a page that
renders a template without the database (/mentions-legales/).

    .venv/bin/python bench/dossier_page.py [--requests 300]

Budget (docs/architecture.md): p95 ≤ 50 ms.
Generated data (the database dropped and recreated each run): database bench_dossier_page,
Redis db 6, folder /tmp/bench_dossier_page, a free port (`--database-url`, `--redis-url`,
`--work-dir`, `--port`).
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    Server,
    Session,
    add_arguments,
    bench_env,
    documents_world,
    fresh_database,
    load_average,
    measure_interleaved,
    parse,
    summary,
)

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
            file=ContentFile(
                photo if is_photo else report,
                name=f"IMG_{index:04d}.jpg" if is_photo else f"doc {index}.pdf",
            ),
            doc_type=DocumentType.PHOTO if is_photo else DocumentType.EXPERT_REPORT,
            origin=Origin.CORE_SYSTEM,
            occurred_at=now - timedelta(hours=index),
        )
    first_report = Document.objects.filter(doc_type=DocumentType.EXPERT_REPORT).last()
    Document.objects.filter(pk=Document.objects.order_by("-id").first().pk).update(
        replaces=first_report
    )
    for document in Document.objects.filter(content_type="image/jpeg"):
        make_document_renditions.call(document.pk)
    for day in range(12):
        Step.objects.create(dossier=dossier, label=f"Étape {day}", occurred_at=now - timedelta(day))


def measure(session: Session, path: str, count: int) -> list[float]:
    for _ in range(20):  # warm-up: connections, template caches
        session.get(path)
    return [session.get(path)[3] for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_dossier_page", redis_db=6, work="bench_dossier_page")
    parser.add_argument("--requests", type=int, default=300)
    args = parse(parser)
    env = bench_env(args)
    fresh_database(env)
    dossier, cookie = documents_world()
    started = time.perf_counter()
    seed(dossier)
    print(f"seeded {DOCUMENTS} documents + thumbnails in {time.perf_counter() - started:.1f} s")
    print(load_average())
    page = f"/dossiers/{dossier.code}/"
    with Server(env, args.port, workers=2):
        session = Session(f"http://127.0.0.1:{args.port}", cookie=cookie)
        body = session.get(page)[1].decode()
        assert f"{DOCUMENTS}/{DOCUMENTS} documents" in body, "page did not render the documents"
        # In turn (measure_interleaved): the machine's drifting load falls on all three.
        paths = ("/mentions-legales/", page, f"{page}?genre=photos")
        baseline, dossier_page, photos = measure_interleaved(
            [(session, path, None) for path in paths], args.requests
        )
    print(f"baseline /mentions-legales/        {summary(baseline['seconds'])}")
    print(f"dossier page, {DOCUMENTS} documents     {summary(dossier_page['seconds'])}")
    print(f"dossier page, photos filter        {summary(photos['seconds'])}")
    print("budget: dossier page p95 <= 50 ms (sequential requests, gunicorn 2 sync workers, PG)")
    print(load_average())


if __name__ == "__main__":
    main()
