"""Reading photos (connect/readings) on a generated corpus: exact reads, false accepts, CPU and
memory of one reading worker. Runs in this process, as one `db_worker --queue-name reading`
would: one engine, one onnxruntime thread, no database.

    .venv/bin/python bench/reading.py [--count 300] [--first-seed 0] [--show-misses] [--hard]

The corpus is connect/readings/corpus.py (plates, VINs, odometers in turn; perspective, blur,
darkness, glare, JPEG quality drawn from each seed). Printed: per kind the exact-read rate;
for plates the false-accept rate (a photo of another plate judged "conforme": must stay near
zero) and the false-reject rate (the dossier's own plate not judged conforming); CPU per image
p50/p95 (decode + OCR, process time) and the process's resident memory.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connect.lib.plates import plate_key  # noqa: E402
from connect.readings import corpus, engine, odometers, plates, vins  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def judge(sample: corpus.Sample, lines: list[str]) -> tuple[bool, str]:
    """(exact read, verdict) of one sample."""
    if sample.kind == "plate":
        verdict = plates.judge(lines, sample.expected)
        exact = plate_key(sample.truth) in [plate_key(c) for c in plates.find_plates(lines)]
        return exact or (sample.same_plate and verdict.verdict == "match"), verdict.verdict
    if sample.kind == "vin":
        found = vins.judge(lines)
        return found.read == sample.truth, found.verdict
    km = odometers.find_km(lines)
    return km == int(sample.truth), "read" if km is not None else "unreadable"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--hard", action="store_true", help="photos taken from further, worse")
    options = parser.parse_args()

    started = time.monotonic()
    rss_before = rss_mb()
    load = time.process_time()
    engine._engine()  # the models load once per worker process
    load_ms = (time.process_time() - load) * 1000
    cpu: list[float] = []
    exact: dict[str, list[bool]] = {kind: [] for kind in corpus.KINDS}
    accepts = {"other": 0, "other_accepted": 0, "same": 0, "same_rejected": 0}
    for seed in range(options.first_seed, options.first_seed + options.count):
        sample = corpus.sample(seed, hard=options.hard)
        result = engine.read_text(sample.data)
        cpu.append(result.cpu_ms)
        ok, verdict = judge(sample, result.texts)
        exact[sample.kind].append(ok)
        if sample.kind == "plate":
            key = "same" if sample.same_plate else "other"
            accepts[key] += 1
            if sample.same_plate and verdict != "match":
                accepts["same_rejected"] += 1
            if not sample.same_plate and verdict == "match":
                accepts["other_accepted"] += 1
                print(f"FALSE ACCEPT {seed}: {sample.truth} as {sample.expected}: {result.texts}")
        if options.show_misses and not ok:
            why = f"{sample.kind} {sample.truth!r} ({sample.difficulty})"
            print(f"miss {seed} {why}: {result.texts}")

    print(
        f"corpus: {options.count} {'hard ' if options.hard else ''}photos 1600x1000 "
        f"(seeds {options.first_seed}+), "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"engine: {engine.engine_name()}, models loaded in {load_ms:.0f} ms CPU")
    for kind, reads in exact.items():
        if reads:
            share = 100 * sum(reads) / len(reads)
            print(f"exact reads {kind:9}: {sum(reads)}/{len(reads)} = {share:.1f} %")
    for key, wrong, words in (
        ("other", "other_accepted", "false accepts (another plate judged conforming)"),
        ("same", "same_rejected", "false rejects (the dossier's own plate not conforming)"),
    ):
        if accepts[key]:
            rate = 100 * accepts[wrong] / accepts[key]
            print(f"{words}: {accepts[wrong]}/{accepts[key]} = {rate:.1f} %")
    p50, p95 = percentile(cpu, 0.5), percentile(cpu, 0.95)
    print(f"CPU per image: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(cpu):.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"worker memory: RSS {rss_mb():.0f} MB, peak {peak:.0f} MB (before: {rss_before:.0f} MB)")
    print(f"wall time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
