"""Mã số thương phẩm toàn cầu (GTIN) of a product: 8, 12, 13 or 14 digits with the GS1 check
digit, read and checked by ``biip`` (no hand-written GS1 rules), stored as GTIN-14."""

from __future__ import annotations

from biip import ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gtin import Gtin
from django.utils.translation import gettext as _

LENGTHS = (8, 12, 13, 14)


class GtinError(ValueError):
    """The text is not a valid GTIN; the message says why, in Vietnamese."""


def normalise_gtin(text: str) -> str:
    """``"893 5049 510864"`` → ``"08935049510864"``; ``""`` stays empty."""
    digits = "".join(text.split()).replace("-", "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) not in LENGTHS:
        raise GtinError(
            _("Mã GTIN “%(text)s” phải gồm 8, 12, 13 hoặc 14 chữ số (số in dưới mã vạch).")
            % {"text": text.strip()}
        )
    try:
        return str(Gtin.parse(digits).as_gtin_14())
    except ParseError:
        expected = gs1_standard_check_digit(digits[:-1])
        raise GtinError(
            _(
                "Mã GTIN “%(text)s” sai chữ số kiểm tra (chữ số cuối phải là %(digit)s): hãy "
                "đối chiếu lại với số in dưới mã vạch."
            )
            % {"text": text.strip(), "digit": expected}
        ) from None


def display_gtin(stored: str) -> str:
    """The GTIN as printed under the barcode: GTIN-13 for the common EAN-13 products."""
    if len(stored) == 14 and stored.startswith("0"):
        return stored[1:]
    return stored
