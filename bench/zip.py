"""ZIP of ~100 MB (40 documents) streamed by gunicorn: time to first byte, throughput against
reading the same files straight from disk, and peak memory growth of the serving worker.

    .venv/bin/python bench/zip.py [--files 40] [--megabytes 2.5]

Budget (docs/architecture.md): streamed from the first byte; worker memory growth ≤ 32 MB.
Generated data (the database dropped and recreated each run): database bench_zip, Redis db 8,
files under /tmp/bench_zip (never the repo), a free port (`--database-url`, `--redis-url`,
`--work-dir`, `--port`).
"""

import argparse
import http.client
import os
import re
import sys
import threading
import time
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
    parse,
)

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


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))


def download(port: int, path: str, cookie: str) -> tuple[float, float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_zip", redis_db=8, work="bench_zip")
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--megabytes", type=float, default=2.5)
    args = parse(parser)
    env = bench_env(args)
    fresh_database(env)
    dossier, cookie = documents_world()
    documents = seed(dossier, args.files, int(args.megabytes * 1024 * 1024))
    print(load_average())
    url = f"/dossiers/{dossier.code}/documents.zip"
    with Server(env, args.port, workers=1) as server:
        (worker,) = server.worker_pids()
        session = Session(f"http://127.0.0.1:{args.port}", cookie=cookie)
        session.get(f"/dossiers/{dossier.code}/")  # warm the worker: imports, connections
        download(args.port, f"{url}?document={documents[0].code}", cookie)  # a one-file ZIP
        small_ttfb, _, _ = download(args.port, "/mentions-legales/", cookie)
        before = rss_kb(worker)
        sampler = PeakRss(worker)
        sampler.start()
        ttfb, elapsed, size = download(args.port, url, cookie)
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
    print(
        f"worker RSS: before {before / 1024:.1f} MB · peak {sampler.peak / 1024:.1f} MB · "
        f"after {after / 1024:.1f} MB · peak growth {(sampler.peak - before) / 1024:.1f} MB "
        "(budget 32 MB)"
    )
    print(load_average())


if __name__ == "__main__":
    main()
