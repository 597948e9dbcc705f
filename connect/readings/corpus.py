"""A corpus of synthetic plate, VIN and odometer photos, made here (Pillow and Debian's DejaVu
fonts): what `bench/reading.py` measures and what the tests read a fixed few of.

Each sample is drawn from its seed alone: the same seed gives the same bytes. A photo is the
text on its support (a plate with its blue band, a VIN stamped on a grey plate, a dark
dashboard with a clock and a temperature beside the odometer), then put in perspective,
blurred, darkened, given a glare and JPEG-compressed by amounts drawn from the seed. Half the
plate samples come with another dossier plate, one sign away (or a look-alike turned into a
valid other plate), to measure false accepts.
"""

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SIV_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
VIN_SIGNS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
SIZE = (1600, 1000)
KINDS = ("plate", "vin", "odometer")


@dataclass(frozen=True)
class Sample:
    seed: int
    kind: str  # plate, vin, odometer
    truth: str  # what the photo shows: GG-010-MZ, a VIN, the kilometres as digits
    expected: str  # the dossier's plate (plates: the truth or another one), else ""
    data: bytes  # the JPEG
    difficulty: str  # the distortions drawn, for the report

    @property
    def same_plate(self) -> bool:
        return self.truth == self.expected


def sample(seed: int, kind: str | None = None, *, hard: bool = False) -> Sample:
    """The photo of `seed`; `hard`: taken from further (the text at 30–45 % of its size), more
    tilted, blurred, darker and compressed: what a hurried workshop photo looks like."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, no secret
    kind = kind or KINDS[seed % len(KINDS)]
    if kind == "plate":
        truth = _plate(rng)
        expected = truth if rng.random() < 0.5 else _near_miss(rng, truth)
        image = _plate_scene(rng, truth)
    elif kind == "vin":
        truth, expected = _vin(rng), ""
        image = _vin_scene(rng, truth)
    else:
        km = rng.choice(
            [rng.randint(0, 999), rng.randint(1000, 99999), rng.randint(10**5, 4 * 10**5)]
        )
        truth, expected = str(km), ""
        image = _odometer_scene(rng, km)
    if hard:
        image = _from_further(rng, image)
    image, difficulty = _distort(rng, image, hard=hard)
    buffer = io.BytesIO()
    quality = rng.choice([30, 40, 50] if hard else [45, 60, 75, 90])
    image.save(buffer, "JPEG", quality=quality)
    return Sample(seed, kind, truth, expected, buffer.getvalue(), f"{difficulty} q{quality}")


def text_photo(*lines: str, size=SIZE, blur=1.2, quality=70) -> bytes:
    """A plain photo of text: a grey scene with a white box of black text per line, blurred and
    JPEG-compressed as a phone's (the tests' and the demo's plate, VIN and odometer shots)."""
    image = Image.new("RGB", size, (90, 92, 100))
    draw = ImageDraw.Draw(image)
    font = _font(BOLD, 90)
    for index, text in enumerate(lines):
        top = 250 + index * 220
        width = draw.textlength(text, font=font)
        box = (300, top, 300 + width + 100, top + 150)
        draw.rectangle(box, fill="white", outline="black", width=6)
        draw.text((350, top + 20), text, font=font, fill="black")
    image = image.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def corpus(count: int, *, first_seed: int = 0, hard: bool = False) -> list[Sample]:
    return [sample(seed, hard=hard) for seed in range(first_seed, first_seed + count)]


def _plate(rng: random.Random) -> str:
    def pair() -> str:
        while (letters := "".join(rng.choices(SIV_LETTERS, k=2))) == "SS":
            pass
        return letters

    return f"{pair()}-{rng.randint(1, 999):03d}-{pair()}"


def _near_miss(rng: random.Random, plate: str) -> str:
    """Another valid plate, one sign away from `plate` (the hardest to tell apart)."""
    while True:
        position = rng.choice([0, 1, 3, 4, 5, 7, 8])
        pool = "0123456789" if 3 <= position <= 5 else SIV_LETTERS
        other = plate[:position] + rng.choice(pool) + plate[position + 1 :]
        if other != plate and "SS" not in (other[:2], other[7:]) and other[3:6] != "000":
            return other


def _vin(rng: random.Random) -> str:
    return "VF" + "".join(rng.choices(VIN_SIGNS, k=15))


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _background(rng: random.Random, base: tuple[int, int, int]) -> Image.Image:
    tone = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base)
    image = Image.new("RGB", SIZE, tone)
    draw = ImageDraw.Draw(image)
    for _ in range(12):  # a little clutter: edges the detector has to ignore
        x, y = rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])
        shade = tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in tone)
        draw.rectangle((x, y, x + rng.randint(40, 300), y + rng.randint(20, 200)), fill=shade)
    return image


def _plate_scene(rng: random.Random, plate: str) -> Image.Image:
    image = _background(rng, (110, 110, 120))
    draw = ImageDraw.Draw(image)
    font = _font(BOLD, rng.randint(80, 110))
    width = int(draw.textlength(plate, font=font))
    left, top = rng.randint(150, max(151, SIZE[0] - width - 350)), rng.randint(250, 600)
    right, bottom = left + width + 190, top + font.size + 70
    draw.rectangle((left, top, right, bottom), fill="white", outline="black", width=6)
    draw.rectangle((left, top, left + 90, bottom), fill=(0, 51, 153))  # the blue band
    draw.text((left + 30, bottom - 60), "F", font=_font(BOLD, 40), fill="white")
    draw.rectangle((right - 70, top, right, bottom), fill=(0, 51, 153))
    draw.text(
        (right - 55, bottom - 60), f"{rng.randint(1, 95):02d}", font=_font(BOLD, 30), fill="white"
    )
    draw.text((left + 120, top + 30), plate, font=font, fill="black")
    return image


def _vin_scene(rng: random.Random, vin: str) -> Image.Image:
    image = _background(rng, (70, 70, 75))
    draw = ImageDraw.Draw(image)
    font = _font(MONO, rng.randint(56, 72))
    width = int(draw.textlength(vin, font=font))
    left, top = rng.randint(80, max(81, SIZE[0] - width - 160)), rng.randint(250, 650)
    draw.rectangle((left, top, left + width + 80, top + font.size + 60), fill=(200, 200, 195))
    if rng.random() < 0.3:
        draw.text((left + 40, top - 50), "VIN", font=_font(BOLD, 36), fill=(220, 220, 220))
    draw.text((left + 40, top + 30), vin, font=font, fill=(25, 25, 25))
    return image


def _odometer_scene(rng: random.Random, km: int) -> Image.Image:
    image = _background(rng, (20, 22, 28))
    draw = ImageDraw.Draw(image)
    big, small = _font(BOLD, rng.randint(80, 100)), _font(BOLD, 48)
    left, top = rng.randint(200, 500), rng.randint(300, 550)
    spaced = f"{km:,}".replace(",", " ") if rng.random() < 0.5 else str(km)
    draw.text((left, top), f"{spaced} km", font=big, fill=(240, 240, 240))
    draw.text(
        (left, top - 150),
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        font=small,
        fill=(200, 200, 200),
    )
    draw.text((left + 600, top - 150), f"{rng.randint(-5, 35)}°C", font=small, fill=(200, 200, 200))
    if rng.random() < 0.5:
        draw.text(
            (left, top + 150),
            f"TRIP {rng.randint(0, 999)}.{rng.randint(0, 9)} km",
            font=small,
            fill=(200, 200, 200),
        )
    return image


def _from_further(rng: random.Random, image: Image.Image) -> Image.Image:
    scale = rng.uniform(0.3, 0.45)
    small = image.resize((int(SIZE[0] * scale), int(SIZE[1] * scale)), Image.Resampling.LANCZOS)
    scene = _background(rng, image.getpixel((0, 0)))  # type: ignore[arg-type]
    scene.paste(
        small, (rng.randint(0, SIZE[0] - small.width), rng.randint(0, SIZE[1] - small.height))
    )
    return scene


def _distort(
    rng: random.Random, image: Image.Image, *, hard: bool = False
) -> tuple[Image.Image, str]:
    tilt = rng.uniform(0, 0.25 if hard else 0.12)
    width, height = image.size
    dx, dy = width * tilt, height * tilt * 0.5
    # Where each corner of the output comes from (upper left, lower left, lower right, upper
    # right, as Pillow's QUAD wants them): a camera not quite facing the text.
    corners = [
        (rng.uniform(0, dx), rng.uniform(0, dy)),
        (rng.uniform(0, dx), height - rng.uniform(0, dy)),
        (width - rng.uniform(0, dx), height - rng.uniform(0, dy)),
        (width - rng.uniform(0, dx), rng.uniform(0, dy)),
    ]
    image = image.transform(
        image.size,
        Image.Transform.QUAD,
        [c for corner in corners for c in corner],
        Image.Resampling.BICUBIC,
    )
    blur = rng.choice([1.0, 1.8, 2.6] if hard else [0, 0.8, 1.5, 2.5])
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    darkness = rng.choice([0.8, 0.5, 0.3] if hard else [1.0, 1.0, 0.7, 0.45])
    if darkness < 1:
        image = ImageEnhance.Brightness(image).enhance(darkness)
    glare = rng.random() < 0.25
    if glare:
        overlay = Image.new("L", image.size, 0)
        x, y, r = (
            rng.randint(200, width - 200),
            rng.randint(200, height - 200),
            rng.randint(120, 260),
        )
        ImageDraw.Draw(overlay).ellipse((x - r, y - r, x + r, y + r), fill=200)
        image = Image.composite(
            Image.new("RGB", image.size, "white"),
            image,
            overlay.filter(ImageFilter.GaussianBlur(60)),
        )
    return image, f"tilt {tilt:.2f} blur {blur} light {darkness}{' glare' if glare else ''}"
