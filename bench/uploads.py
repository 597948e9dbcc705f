"""20 files × 5 MB sent the phone's way (connect/uploads): 1 MiB chunks with their checksums,
then one message naming the 20 uploads; chunk latency, throughput and the worker's memory.

    .venv/bin/python bench/uploads.py [--files 20] [--megabytes 5]

Budget (docs/architecture.md): upload of 20 × 5 MB, memory growth ≤ 64 MB. Generated data (the
database dropped and recreated each run): database bench_uploads, Redis db 9, files under
/tmp/bench_uploads (never the repo), a free port (`--database-url`, `--redis-url`,
`--work-dir`, `--port`).
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    Server,
    add_arguments,
    bench_env,
    documents_world,
    fresh_database,
    load_average,
    parse,
    summary,
)
from bench.zip import PeakRss, rss_kb  # noqa: E402

CHUNK = 1024 * 1024


class Phone:
    """One HTTP connection with the session and CSRF cookies, as the browser's fetch sends."""

    def __init__(self, port: int, cookie: str, compose: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = cookie
        status, headers, body = self.call("GET", compose)
        assert status == 200, (status, headers)
        csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        self.cookie += f"; csrftoken={csrf}"
        self.token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def call(self, method, path, body=b"", headers=None):
        headers = {"Cookie": self.cookie, **(headers or {})}
        if hasattr(self, "token"):
            headers["X-CSRFToken"] = self.token.decode()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        headers = dict(response.getheaders())
        headers["Set-Cookie"] = "; ".join(response.msg.get_all("Set-Cookie") or [])
        return response.status, headers, response.read()

    def form(self, path, fields):
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.call("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def send(phone: Phone, dossier, data: bytes, name: str, latencies: list) -> str:
    status, headers, body = phone.form(
        "/televersements/",
        {
            "dossier": str(dossier.code),
            "name": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    assert status == 201, body
    location = headers["Location"]
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        began = time.perf_counter()
        status, _, body = phone.call(
            "PATCH",
            location,
            chunk,
            {
                "Content-Type": "application/offset+octet-stream",
                "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(data)}",
                "Upload-Checksum": f"sha256 {checksum}",
            },
        )
        latencies.append(time.perf_counter() - began)
        assert status == 200, body
    assert json.loads(body)["state"] == "complete", body
    return json.loads(body)["code"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser, database="bench_uploads", redis_db=9, work="bench_uploads")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--megabytes", type=float, default=5)
    args = parse(parser)
    env = bench_env(args, MAX_UPLOAD_MESSAGE_MB=str(int(args.files * args.megabytes) + 1))
    fresh_database(env)
    dossier, cookie = documents_world()
    size = int(args.megabytes * 1024 * 1024)
    files = [b"%PDF-1.4\n" + os.urandom(size - 16) + b"\n%%EOF\n" for _ in range(args.files)]
    print(load_average())
    compose = f"/dossiers/{dossier.code}/messages/nouveau/?objet=expert"
    with Server(env, args.port, workers=1) as server:
        (worker,) = server.worker_pids()
        phone = Phone(args.port, cookie, compose)
        before = rss_kb(worker)
        sampler = PeakRss(worker)
        sampler.start()
        latencies: list[float] = []
        began = time.perf_counter()
        codes = [
            send(phone, dossier, data, f"devis {i}.pdf", latencies) for i, data in enumerate(files)
        ]
        sent = time.perf_counter() - began
        began = time.perf_counter()
        status, headers, body = phone.form(
            compose.split("?")[0],
            {
                "objet": "expert",
                "body": "Les devis.",
                "token": str(uuid.uuid4()),
                "upload": codes,
                "types": ["devis"] * len(codes),
            },
        )
        message = time.perf_counter() - began
        sampler.running = False
        sampler.join()
        assert status == 302, body[:2000]
    total = len(files) * size / 1024 / 1024
    print(f"{len(files)} files × {args.megabytes} MB in {len(latencies)} chunks of 1 MiB")
    print(f"chunk PATCH: {summary(latencies)}")
    print(f"chunks: {sent:.1f} s, {total / sent:.0f} MB/s over the loopback")
    print(f"message naming the {len(codes)} uploads (assembly, checks, storage): {message:.2f} s")
    print(
        f"worker RSS: before {before / 1024:.1f} MB · peak {sampler.peak / 1024:.1f} MB · "
        f"peak growth {(sampler.peak - before) / 1024:.1f} MB (budget 64 MB)"
    )
    print(load_average())


if __name__ == "__main__":
    main()
