"""Vietnamese text helpers."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.http import QueryDict

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Accent- and case-insensitive form for search: ``"Sơn La"`` → ``"son la"``, Đ → d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def nfc(text: str) -> str:
    """Vietnamese text in one Unicode form (NFC): "ệ" typed as e + two combining marks (as some
    keyboards and PDFs produce) becomes one character, so equal names compare, sort and search
    equal. Applied on the way in: every form (``core.forms.BootstrapFormMixin``) and import."""
    return unicodedata.normalize("NFC", text)


def nfc_data(data: Any) -> Any:
    """A form's submitted data (QueryDict or dict) with every text value in NFC."""
    if isinstance(data, QueryDict):
        normalised = data.copy()
        for key, values in data.lists():
            normalised.setlist(key, [nfc(v) if isinstance(v, str) else v for v in values])
        return normalised
    if isinstance(data, dict):
        return {k: nfc(v) if isinstance(v, str) else v for k, v in data.items()}
    return data
