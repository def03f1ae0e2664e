"""Sample files for the selection tests (made by Pillow, never read from disk)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def colour_jpeg(
    width: int = 1200, height: int = 900, colour: tuple[int, int, int] = (40, 120, 60)
) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(200, 160, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def grey_jpeg() -> bytes:
    image = Image.new("RGB", (1200, 900), (128, 128, 128))
    ImageDraw.Draw(image).rectangle((100, 100, 600, 600), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 1200), (180, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def upload(
    content: bytes, name: str = "anh.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
