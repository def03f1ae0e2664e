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


# Vietnamese alphabetical order (thứ tự chữ cái tiếng Việt): a ă â b c d đ e ê g h i k l m n o ô ơ
# p q r s t u ư v x y, then the tones — none, huyền, hỏi, ngã, sắc, nặng — only to break ties.
# Binary or accent-folded order puts "Đắk Lắk" after "Yên Bái" or among the D's.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def collation_key(text: str) -> tuple[tuple[tuple[str, int], ...], tuple[int, ...], str]:
    """Sort key for Vietnamese names: ``sorted(names, key=collation_key)`` gives "An Giang,
    Bắc Ninh, Cà Mau, …, Đà Nẵng, Đắk Lắk, Điện Biên, Đồng Nai, …" as a dictionary would."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _LETTER_MARKS and letters:
            base, _mark = letters[-1]
            letters[-1] = (base, _LETTER_MARKS[char])
        elif char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif unicodedata.category(char) == "Mn":
            continue
        else:
            letters.append(("d", 9) if char == "đ" else (char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones), text


#: Length of a stored sort key (:func:`sort_key`): names that agree this far tie, and the
#: list's next column (the primary key) decides.
SORT_KEY_LENGTH = 400


def sort_key(text: str) -> str:
    """:func:`collation_key` as a string of ``0-9a-z`` that sorts the same in any database
    collation (bytewise in SQLite, "C", ICU or glibc locales in PostgreSQL): the indexed sort
    column of a long table (``Establishment.name_sort``), so "Đ…" follows every "D…".

    Each letter is three characters — its class (space and punctuation, digit, letter, other),
    the character, its letter mark (ă â ơ…; đ is d with the highest mark) — then ``0`` ends
    the letters (a shorter name first: any class is above ``0``), then one digit per tone."""
    letters, tones, _text = collation_key(text)
    parts = []
    for char, mark in letters:
        if char.isspace() or (not char.isalnum()):
            parts.append("100")
        elif "0" <= char <= "9":
            parts.append(f"2{char}0")
        elif "a" <= char <= "z":
            parts.append(f"3{char}{mark}")
        else:
            parts.append("400")
    return ("".join(parts) + "0" + "".join(map(str, tones)))[:SORT_KEY_LENGTH]


def sorted_by_name(items: Any, name: Any = lambda item: item.name) -> list[Any]:
    """``items`` in Vietnamese order of ``name(item)`` (for the short lists shown to people:
    provinces, the communes of a province; long tables sort by an index in the database)."""
    return sorted(items, key=lambda item: collation_key(str(name(item))))
