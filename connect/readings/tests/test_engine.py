"""The real OCR engine reads a synthetic plate and a VIN with the network blocked: its models
come with the wheel, nothing is fetched (a connection anywhere but loopback raises)."""

import socket

import pytest

from connect.readings import engine
from connect.readings.tests.photos import photo
from connect.testing import NetworkBlocked, network_blocked


@pytest.fixture
def no_network(monkeypatch):
    network_blocked(monkeypatch)


def test_the_guard_blocks_the_network(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("pypi.org", 443), timeout=1)
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("203.0.113.5", 443))


def test_a_plate_and_a_vin_are_read_offline(no_network):
    engine._engine.cache_clear()  # the models load under the guard too
    result = engine.read_text(photo("GG-010-MZ", "VF1RFB00X65123456"))
    assert result.texts == ["GG-010-MZ", "VF1RFB00X65123456"]
    assert result.confidence is not None and result.confidence > 0.9
    assert result.cpu_ms > 0


def test_an_image_without_text_reads_nothing(no_network):
    assert engine.read_text(photo()).texts == []


def test_the_engine_names_its_versions():
    assert engine.engine_name() == "rapidocr 3.10.0 / onnxruntime 1.32.0"
