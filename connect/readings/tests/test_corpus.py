"""The generated corpus is reproducible, and a fixed few of its photos (both plate cases, VINs,
odometers beside a clock and a temperature) are read exactly by the real engine, network
blocked; bench/reading.py measures the whole corpus."""

import pytest

from connect.lib.plates import is_valid_plate, plate_key
from connect.readings import corpus, engine, odometers, plates, vins
from connect.readings.plates import PlateVerdict
from connect.testing import network_blocked

# Seeds 0–5: a plate of its dossier, a VIN, an odometer, a near-miss other plate (one sign
# away, darkened), another VIN, another odometer.
FIXED = range(6)


def test_the_same_seed_gives_the_same_photo():
    assert corpus.sample(3).data == corpus.sample(3).data
    assert corpus.sample(3).data != corpus.sample(4).data
    assert [corpus.sample(seed).kind for seed in range(3)] == ["plate", "vin", "odometer"]


def test_half_the_plates_come_with_another_plate_one_sign_away():
    samples = [corpus.sample(seed, "plate") for seed in range(40)]
    others = [s for s in samples if not s.same_plate]
    assert 10 < len(others) < 30
    for other in others:
        assert sum(a != b for a, b in zip(other.truth, other.expected, strict=True)) == 1
        assert is_valid_plate(other.expected)


@pytest.mark.parametrize("seed", FIXED)
def test_a_fixed_subset_is_read_exactly(seed, monkeypatch):
    network_blocked(monkeypatch)
    sample = corpus.sample(seed)
    lines = engine.read_text(sample.data).texts
    if sample.kind == "plate":
        judged = plates.judge(lines, sample.expected)
        expected = PlateVerdict.MATCH if sample.same_plate else PlateVerdict.MISMATCH
        assert judged.verdict == expected, (sample.truth, sample.expected, lines)
        assert plate_key(sample.truth) in [plate_key(c) for c in plates.find_plates(lines)]
    elif sample.kind == "vin":
        assert vins.judge(lines).read == sample.truth, lines
    else:
        assert odometers.find_km(lines) == int(sample.truth), lines
