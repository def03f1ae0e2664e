from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_english_catalogue_is_complete():
    with (LOCALE / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]
    assert missing == []
