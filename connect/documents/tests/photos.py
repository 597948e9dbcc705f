"""Photos built with Pillow for the quality checks and the guided capture: a good one, and the
same scene too dark, blurred, too small. A "scene" is a few hundred coloured rectangles: the
edges of a real photo, with no file in the repository."""

import io
import random
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

GOOD_SIZE = (1600, 1200)


def scene(size=GOOD_SIZE, seed=1) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", size, (150, 160, 170))
    draw = ImageDraw.Draw(image)
    for _ in range(160):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(20, size[0] // 5), rng.randrange(20, size[1] // 4)
        draw.rectangle((x, y, x + w, y + h), fill=tuple(rng.randrange(60, 256) for _ in range(3)))
    return image


def encode(image: Image.Image, *, taken: datetime | None = None, fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    image.save(buffer, fmt, quality=90, exif=exif)
    return buffer.getvalue()


def good(seed=1, **kwargs) -> bytes:
    return encode(scene(seed=seed), **kwargs)


def dark(seed=1) -> bytes:
    return encode(ImageEnhance.Brightness(scene(seed=seed)).enhance(0.15))


def blurred(seed=1) -> bytes:
    return encode(scene(seed=seed).filter(ImageFilter.GaussianBlur(8)))


def small(seed=1) -> bytes:
    return encode(scene(seed=seed).resize((640, 480)))


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")
