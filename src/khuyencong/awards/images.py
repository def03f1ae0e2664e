"""Ảnh màu của sản phẩm: checked from their content by Pillow, thumbnails made by Pillow.

A photo is accepted when Pillow reads it as a JPEG or PNG (whatever its name says), it is not
larger than :data:`MAX_BYTES` nor than :data:`MAX_PIXELS` (a decompression bomb is refused
before it is decoded), it is in colour (not grey: DOMAIN.md §6 asks for colour photos) and it
is large enough to print at 10×15 cm (``legal.PHOTO_MIN_CM``) at :data:`PRINT_DPI`. Pure: reads
bytes, returns bytes and facts.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

from khuyencong.core.formatting import format_number
from khuyencong.core.uploads import PRODUCT_PHOTO

from . import legal

MAX_BYTES = PRODUCT_PHOTO.max_bytes
MAX_PIXELS = 40_000_000
#: Printing resolution the minimum pixel size is computed for (a common photo-lab minimum).
PRINT_DPI = 150
THUMBNAIL_SIDE = 480
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
#: A mean saturation (0-255) below this means a grey (black-and-white) picture.
GREY_SATURATION = 8


class PhotoRefused(Exception):
    """The file is not accepted as a product photo; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedPhoto:
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes


def _megabytes(size: int) -> str:
    return f"{format_number((Decimal(size) / (1024 * 1024)).quantize(Decimal('0.1')))} MB"


def minimum_pixels() -> tuple[int, int]:
    """The smaller and larger side, in pixels, of a 10×15 cm print at :data:`PRINT_DPI`."""
    short_cm, long_cm = legal.PHOTO_MIN_CM
    return (
        round(short_cm / Decimal("2.54") * PRINT_DPI),
        round(long_cm / Decimal("2.54") * PRINT_DPI),
    )


def _is_grey(image: Image.Image) -> bool:
    """A picture whose colours are (almost) all grey: its mean saturation is close to 0."""
    small = image.convert("RGB").resize((64, 64)).convert("HSV")
    return ImageStat.Stat(small.getchannel("S")).mean[0] < GREY_SATURATION


def check_photo(content: bytes, *, name: str) -> CheckedPhoto:
    """Check a product photo and make its thumbnail, or raise :class:`PhotoRefused`."""
    if not content:
        raise PhotoRefused(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if len(content) > MAX_BYTES:
        raise PhotoRefused(
            _(
                "Ảnh “%(name)s” có dung lượng %(size)s, vượt giới hạn %(limit)s: hãy giảm dung "
                "lượng (lưu lại dạng JPEG) rồi tải lên lại."
            )
            % {"name": name, "size": _megabytes(len(content)), "limit": _megabytes(MAX_BYTES)}
        )
    not_a_photo = _(
        "Tệp “%(name)s” không phải ảnh JPEG hoặc PNG (hệ thống đọc nội dung tệp, không dựa vào "
        "phần mở rộng của tên tệp): hãy chụp hoặc lưu ảnh dạng JPEG rồi tải lên lại."
    ) % {"name": name}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                kind = probe.format
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise PhotoRefused(
                        _(
                            "Ảnh “%(name)s” quá lớn (%(w)s×%(h)s điểm ảnh, tối đa %(max)s triệu "
                            "điểm ảnh): hãy thu nhỏ ảnh rồi tải lên lại."
                        )
                        % {"name": name, "w": width, "h": height, "max": MAX_PIXELS // 1_000_000}
                    )
                probe.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                oriented = ImageOps.exif_transpose(image)
                grey = image.mode in ("1", "L", "LA", "I", "I;16", "F") or _is_grey(image)
                thumbnail = _thumbnail(oriented)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(not_a_photo) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoRefused(not_a_photo) from None
    if kind not in FORMATS:
        raise PhotoRefused(not_a_photo)
    short_side, long_side = minimum_pixels()
    if min(width, height) < short_side or max(width, height) < long_side:
        raise PhotoRefused(
            _(
                "Ảnh “%(name)s” chỉ có %(w)s×%(h)s điểm ảnh: ảnh sản phẩm cần in được khổ 10×15 "
                "cm, tức ít nhất %(s)s×%(l)s điểm ảnh. Hãy chụp lại với độ phân giải cao hơn."
            )
            % {"name": name, "w": width, "h": height, "s": short_side, "l": long_side}
        )
    if grey:
        raise PhotoRefused(
            _("Ảnh “%(name)s” là ảnh đen trắng: hồ sơ cần ảnh màu của sản phẩm.") % {"name": name}
        )
    content_type, extension = FORMATS[kind]
    return CheckedPhoto(content_type, extension, width, height, thumbnail)


def _thumbnail(image: Image.Image) -> bytes:
    copy = image.convert("RGB")
    copy.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()
