from pathlib import Path

from babel.messages.pofile import read_po
from django.core.management import call_command

APP_ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = APP_ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: As in the translators' workflow (docs/architecture.md): tests and allauth's own templates
#: and catalogue are not ours to translate.
IGNORED = ["tests/*", "templates/allauth/*", "locale_allauth/*"]


def _untranslated() -> list[str]:
    with CATALOGUE.open("rb") as fh:
        catalog = read_po(fh)
    return [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]


def test_english_catalogue_is_complete():
    assert _untranslated() == []


def test_every_string_marked_in_the_code_is_in_the_catalogue(monkeypatch):
    """Extract the strings again (gettext's xgettext, as makemessages does): a string added to
    the code or a template without its English translation fails here, not in front of a user."""
    original = CATALOGUE.read_bytes()
    monkeypatch.chdir(APP_ROOT)
    try:
        call_command("makemessages", locale=["en"], ignore_patterns=IGNORED, verbosity=0)
        missing = _untranslated()
    finally:
        CATALOGUE.write_bytes(original)
    assert missing == []
