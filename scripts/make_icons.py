"""Draw the installable app's icons from the favicon's design (connect/static/img/favicon.svg),
once; the PNGs are committed. Run: .venv/bin/python scripts/make_icons.py"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE, WHITE = (11, 79, 138, 255), (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "connect" / "static" / "img" / "icons"
SCALE = 4  # drawn larger, then reduced: smooth edges without an SVG renderer


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # The favicon's 32-unit grid; a maskable icon keeps the car inside the 80 % safe zone.
    unit = big / 32 * (0.72 if maskable else 1)
    shift = (big - 32 * unit) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return shift + x * unit, shift + y * unit

    if not maskable:
        pen.rounded_rectangle([at(0, 0), at(32, 32)], radius=6 * unit, fill=BLUE)
    pen.polygon([at(7, 20), at(25, 20), at(23, 14), at(9, 14)], fill=WHITE)
    for cx in (11, 21):
        pen.ellipse([at(cx - 2.5, 18.5), at(cx + 2.5, 23.5)], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)
    # iOS draws its own rounded corners and shows transparency as black: full bleed.
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
