"""Photo quality checks of the guided capture: too dark, blurred, too small.

The phone runs the same measures in JS before sending (static/js/capture.js, which reads the
thresholds from the page: `thresholds()`); the server runs these on every shot photo of a
message and refuses the message with the first problem's message (nothing is stored).

Measures, on a grey copy downscaled to ANALYSIS_SIDE on its long side (the same work whatever
the camera's resolution, and the phone does the same on a canvas):
- luminance: the mean grey level (0–255, ITU-R 601 weights, as Pillow's "L");
- sharpness: the variance of a 3×3 Laplacian (edges): a blurred photo has few strong edges.
"""

from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageStat

# Thresholds, in one place (the page hands them to capture.js).
MIN_LONG_SIDE = 1024  # pixels: a VIN or odometer must stay readable when zoomed
MIN_SHORT_SIDE = 720
MIN_LUMINANCE = 50.0  # mean grey level out of 255
MIN_SHARPNESS = 20.0  # variance of the Laplacian, downscaled copy; low: a plain panel is smooth
ANALYSIS_SIDE = 512

DARK = "Photo trop sombre : reprenez-la avec plus de lumière."
BLURRED = "Photo floue : tenez le téléphone immobile et reprenez-la."
SMALL = (
    "Photo trop petite ({width} × {height} pixels, {min_long} × {min_short} au moins) : "
    "reprenez-la avec l'appareil photo du téléphone."
)
UNREADABLE = "Photo illisible : reprenez-la."

# Pillow's edge kernel, shifted by 128 so that negative edges survive in 8 bits; capture.js
# computes exactly this (same kernel, same clipping).
LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128)


@dataclass(frozen=True)
class Measures:
    width: int
    height: int
    luminance: float
    sharpness: float


@dataclass(frozen=True)
class Verdict:
    measures: Measures | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def thresholds() -> dict[str, object]:
    """What capture.js needs to give the phone's verdict in the server's words."""
    return {
        "minLongSide": MIN_LONG_SIDE,
        "minShortSide": MIN_SHORT_SIDE,
        "minLuminance": MIN_LUMINANCE,
        "minSharpness": MIN_SHARPNESS,
        "analysisSide": ANALYSIS_SIDE,
        "messages": {"dark": DARK, "blurred": BLURRED, "small": SMALL},
    }


def measure(image: Image.Image) -> Measures:
    width, height = image.size
    grey = image.convert("L")
    grey.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE), Image.Resampling.BILINEAR)
    luminance = ImageStat.Stat(grey).mean[0]
    # Borders are left out: Pillow's kernel copies them unfiltered, the JS skips them.
    edges = grey.filter(LAPLACIAN).crop((1, 1, grey.width - 1, grey.height - 1))
    sharpness = ImageStat.Stat(edges).var[0]
    return Measures(width, height, round(luminance, 1), round(sharpness, 1))


def problems_of(measures: Measures) -> tuple[str, ...]:
    found = []
    long_side, short_side = (
        max(measures.width, measures.height),
        min(measures.width, measures.height),
    )
    if long_side < MIN_LONG_SIDE or short_side < MIN_SHORT_SIDE:
        found.append(
            SMALL.format(
                width=measures.width,
                height=measures.height,
                min_long=MIN_LONG_SIDE,
                min_short=MIN_SHORT_SIDE,
            )
        )
    if measures.luminance < MIN_LUMINANCE:
        found.append(DARK)
    # A dark photo reads as flat too: say only what to fix first.
    elif measures.sharpness < MIN_SHARPNESS:
        found.append(BLURRED)
    return tuple(found)


def check_photo(file) -> Verdict:
    """The verdict on an uploaded photo (any format validation.check_upload accepted)."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            full = image.size
            # JPEG: decode at a reduced scale (far less time and memory); the size stays known.
            image.draft("RGB", (ANALYSIS_SIDE * 2, ANALYSIS_SIDE * 2))
            measured = measure(image)
    except (OSError, ValueError):
        return Verdict(None, (UNREADABLE,))
    finally:
        file.seek(0)
    measures = Measures(full[0], full[1], measured.luminance, measured.sharpness)
    return Verdict(measures, problems_of(measures))
