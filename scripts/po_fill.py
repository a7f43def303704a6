"""Fill the French catalogue from JSON files of {English msgid: French msgstr}.

Usage: python scripts/po_fill.py locale/fr/LC_MESSAGES/django.po translations/*.json
Plural entries take a list of two strings [singular, plural]. Entries already
translated are overwritten only when the JSON gives them; fuzzy flags are cleared for
the entries it fills. Prints what is still untranslated.
"""

from __future__ import annotations

import json
import sys

import polib


def main(po_path: str, *json_paths: str) -> int:
    po = polib.pofile(po_path)
    table: dict[str, object] = {}
    for path in json_paths:
        with open(path, encoding="utf-8") as f:
            table.update(json.load(f))
    for entry in po:
        if entry.msgid not in table:
            continue
        value = table[entry.msgid]
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, list) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "fr"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save(po_path)
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
