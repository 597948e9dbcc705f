"""ZIP of ~100 MB (40 documents) streamed by gunicorn: time to first byte, throughput against
reading the same files straight from disk, and peak memory growth of the serving worker.

    .venv/bin/python bench/zip.py [--files 40] [--megabytes 2.5]

Budget (docs/architecture.md): streamed from the first byte; worker memory growth ≤ 32 MB.
Generated data: database bench_documents, files under /tmp/bench_documents (never the repo).
"""

import argparse
import http.client
import os
import threading
import time

from documents_setup import PORT, Gunicorn, get, make_world, rss_kb, setup_django

CHUNK = 256 * 1024


def seed(dossier, files: int, size: int) -> list:
    """`files` PDFs of `size` bytes of incompressible content (as photos and scans are)."""
    from django.core.files.base import ContentFile

    from connect.documents.models import DocumentType, Origin
    from connect.documents.services import add_document

    documents = []
    for index in range(files):
        data = b"%PDF-1.4\n" + os.urandom(size - 16) + b"\n%%EOF\n"
        document = add_document(
            dossier=dossier,
            file=ContentFile(data, name=f"scan {index}.pdf"),
            doc_type=DocumentType.EXPERT_REPORT,
            origin=Origin.CORE_SYSTEM,
        )
        documents.append(document)
    return documents


def read_from_disk(paths: list[str]) -> tuple[float, int]:
    start, total = time.perf_counter(), 0
    for path in paths:
        with open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                total += len(chunk)
    return time.perf_counter() - start, total


def download(path: str, cookie: str) -> tuple[float, float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    assert response.status == 200, response.status
    first = response.read(1)
    first_byte = time.perf_counter() - start
    total = len(first)
    while chunk := response.read(CHUNK):
        total += len(chunk)
    connection.close()
    return first_byte, time.perf_counter() - start, total


class PeakRss(threading.Thread):
    """Samples the worker's resident memory every 5 ms while the download runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, rss_kb(pid), True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kb(self.pid))
            time.sleep(0.005)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--megabytes", type=float, default=2.5)
    args = parser.parse_args()
    setup_django()
    dossier, cookie = make_world()
    documents = seed(dossier, args.files, int(args.megabytes * 1024 * 1024))
    url = f"/dossiers/{dossier.code}/documents.zip"
    with Gunicorn(workers=1) as server:
        (worker,) = server.worker_pids()
        get(f"/dossiers/{dossier.code}/", cookie)  # warm the worker: imports, connections
        download(f"{url}?document={documents[0].code}", cookie)  # a one-file ZIP
        small_ttfb, _, _ = download("/mentions-legales/", cookie)
        before = rss_kb(worker)
        sampler = PeakRss(worker)
        sampler.start()
        ttfb, elapsed, size = download(url, cookie)
        sampler.running = False
        sampler.join()
        after = rss_kb(worker)
    disk_time, disk_bytes = read_from_disk([document.file.path for document in documents])
    megabytes = size / 1024 / 1024
    print(f"archive: {args.files} files, {megabytes:.1f} MB")
    print(f"baseline /mentions-legales/ first byte: {small_ttfb * 1000:.1f} ms")
    print(f"ZIP time to first byte: {ttfb * 1000:.1f} ms · total {elapsed:.2f} s")
    disk_rate = disk_bytes / 1024 / 1024 / disk_time
    rate = megabytes / elapsed
    print(f"ZIP throughput: {rate:.0f} MB/s · same files from disk: {disk_rate:.0f} MB/s")
    print(f"worker RSS: before {before / 1024:.1f} MB · peak {sampler.peak / 1024:.1f} MB · "
          f"after {after / 1024:.1f} MB · peak growth {(sampler.peak - before) / 1024:.1f} MB "
          "(budget 32 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
