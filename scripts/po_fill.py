"""Merge Indonesian translations from a JSON file into translations/id/LC_MESSAGES/messages.po.

Usage: python scripts/po_fill.py translations/pending/<area>.json [--compile]

The JSON maps English msgids to Indonesian text. Msgids not yet in the catalog are added, so
this works before `make i18n-update`; existing entries get the JSON's text. The catalog file is
locked while it is rewritten, so several people (or helpers) can run this at the same time.
With --compile the .mo is rebuilt afterwards. Prints the msgids that still lack a translation.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "translations/id/LC_MESSAGES/messages.po"


def merge(json_path: Path, compile_mo: bool) -> list[str]:
    updates: dict[str, str] = json.loads(json_path.read_text(encoding="utf-8"))
    with PO.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with PO.open("rb") as fh:
            catalog = read_po(fh, locale="id")
        for msgid, text in updates.items():
            message = catalog.get(msgid)
            if message is None:
                catalog.add(msgid, text)
            else:
                message.string = text
                message.flags.discard("fuzzy")
        tmp = PO.with_suffix(".po.tmp")
        with tmp.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
        tmp.replace(PO)
        if compile_mo:
            mo = PO.with_suffix(".mo")
            tmp_mo = PO.with_suffix(".mo.tmp")
            with tmp_mo.open("wb") as fh:
                write_mo(fh, catalog)
            tmp_mo.replace(mo)
    return [str(m.id) for m in catalog if m.id and not m.string]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        print(__doc__)
        return 2
    missing: list[str] = []
    for path in paths:
        missing = merge(path, "--compile" in argv)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
