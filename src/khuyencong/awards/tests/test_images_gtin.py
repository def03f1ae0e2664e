"""Product photos checked by content (Pillow) and GTINs checked by biip — pure, no database."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from khuyencong.awards import gtin, images

from .samples import colour_jpeg, grey_jpeg, png_bytes


def test_a_colour_jpeg_large_enough_is_accepted_with_a_thumbnail():
    checked = images.check_photo(colour_jpeg(), name="mat-truoc.jpg")
    assert (checked.content_type, checked.extension) == ("image/jpeg", ".jpg")
    assert (checked.width, checked.height) == (1200, 900)
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) == images.THUMBNAIL_SIDE


def test_a_png_is_accepted_whatever_its_name():
    checked = images.check_photo(png_bytes(), name="anh.jpg")
    assert checked.content_type == "image/png"


def test_the_minimum_size_is_a_10x15_cm_print():
    assert images.minimum_pixels() == (591, 886)
    with pytest.raises(images.PhotoRefused, match=r"chỉ có 800×500 điểm ảnh.*591×886"):
        images.check_photo(colour_jpeg(800, 500), name="nho.jpg")


def test_a_grey_photo_is_refused():
    with pytest.raises(images.PhotoRefused, match="ảnh đen trắng"):
        images.check_photo(grey_jpeg(), name="den-trang.jpg")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n1 0 obj\n", b"MZ\x90\x00not a picture", b"\xff\xd8\xff\xe0broken jpeg"],
)
def test_what_is_not_a_photo_is_refused_by_its_content(content):
    with pytest.raises(images.PhotoRefused, match="không phải ảnh JPEG hoặc PNG"):
        images.check_photo(content, name="anh.jpg")


def test_too_many_bytes_and_empty_files_are_refused():
    with pytest.raises(images.PhotoRefused, match="vượt giới hạn 10 MB"):
        images.check_photo(b"\xff" * (images.MAX_BYTES + 1), name="lon.jpg")
    with pytest.raises(images.PhotoRefused, match="rỗng"):
        images.check_photo(b"", name="rong.jpg")


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = io.BytesIO()
    Image.new("1", (8000, 8000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 1_000_000
    with pytest.raises(images.PhotoRefused, match="quá lớn"):
        images.check_photo(bomb.getvalue(), name="bom.png")


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("8935049510864", "08935049510864"),
        ("893 5049 510864", "08935049510864"),
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
        ("08935049510864", "08935049510864"),
        ("", ""),
    ],
)
def test_gtins_are_stored_as_14_digits(text, stored):
    assert gtin.normalise_gtin(text) == stored


def test_a_wrong_check_digit_says_which_digit_is_right():
    with pytest.raises(gtin.GtinError, match="chữ số cuối phải là 4"):
        gtin.normalise_gtin("8935049510865")


@pytest.mark.parametrize("text", ["12345", "89350495108641234", "8935O49510864"])
def test_a_gtin_of_the_wrong_shape_is_refused(text):
    with pytest.raises(gtin.GtinError, match="8, 12, 13 hoặc 14 chữ số"):
        gtin.normalise_gtin(text)


def test_display_shows_the_ean_13_printed_under_the_barcode():
    assert gtin.display_gtin("08935049510864") == "8935049510864"
    assert gtin.display_gtin("18935049510861") == "18935049510861"
