"""The OCR engine: rapidocr on onnxruntime, whose wheel ships its models (PP-OCRv6 small,
Apache-2.0). Nothing is downloaded and nothing is sent: the models load from the installed
package (readings/tests/test_engine.py reads with the network blocked).

One engine per worker process, made at the first reading (about a second), one inference
thread: the reading queue's workers bound the CPU spent, not onnxruntime's thread pool.
"""

import io
import logging
import time
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from PIL import Image, ImageOps

# The long side the photo is brought to before reading: a plate or a VIN fills a good part of
# a guided shot, and the detector works at up to 2000 px anyway.
MAX_SIDE = 1600
MIN_SCORE = 0.5


@dataclass(frozen=True)
class OcrLine:
    text: str
    score: float


@dataclass(frozen=True)
class OcrResult:
    lines: list[OcrLine]
    cpu_ms: int

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def confidence(self) -> float | None:
        return min((line.score for line in self.lines), default=None)


def engine_name() -> str:
    return f"rapidocr {version('rapidocr')} / onnxruntime {version('onnxruntime')}"


@cache
def _engine():
    from rapidocr import RapidOCR

    ocr = RapidOCR(
        params={
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )
    # Its own handler prints to stderr; "no text detected" is a verdict here, not a warning.
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return ocr


def prepared(data: bytes) -> Image.Image:
    """The photo upright, in RGB, its long side at most MAX_SIDE (JPEG decoded at scale)."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    return upright


def read_text(data: bytes) -> OcrResult:
    """The lines of text in the image `data` (any format Pillow opens here), best first."""
    started = time.process_time()
    image = prepared(data)
    output = _engine()(image)
    texts = output.txts or ()
    scores = output.scores or ()
    lines = [
        OcrLine(str(text), float(score))
        for text, score in zip(texts, scores, strict=True)
        if float(score) >= MIN_SCORE
    ]
    return OcrResult(lines, int((time.process_time() - started) * 1000))
