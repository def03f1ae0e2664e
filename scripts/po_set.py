"""Set translations in a .po file from a JSON object {msgid: msgstr}; clears fuzzy flags.

Usage: python scripts/po_set.py PO_FILE JSON_FILE   (a maintenance helper for translators)
"""

import json
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, json_path: str) -> None:
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, abort_invalid=True)
    with open(json_path, encoding="utf-8") as fh:
        translations = json.load(fh)
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            message.previous_id = []
    with open(po_path, "wb") as fh:
        write_po(fh, catalog, width=100, include_previous=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
