"""Synthetic photos of text, as a phone would send them (Pillow and Debian's DejaVu font)."""

import io

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def photo(*lines: str, size=(1600, 1000), blur=1.2, quality=70) -> bytes:
    """A grey scene with a white box of black text per line, blurred, JPEG-compressed."""
    image = Image.new("RGB", size, (90, 92, 100))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 90)
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
