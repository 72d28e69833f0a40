"""Writing a data file that a script generates from a pinned library, or checking that it is current.

``scripts/localized_names.py`` (CLDR via Babel) and ``scripts/iso_countries.py`` (ISO 3166 via pycountry)
turn a library into JSON the bot reads at start-up; with ``--check`` they only say whether the file
still equals a fresh run, as the tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool, script: str) -> int:
    """Write ``text`` to ``path`` (exit status 0), or with ``check`` return 1, saying so, if it differs."""
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date: run python {script}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0
