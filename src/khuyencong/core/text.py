"""Vietnamese text helpers."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Accent- and case-insensitive form for search: ``"Sơn La"`` → ``"son la"``, Đ → d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())
