"""Write the settings' reference table into docs/configuration.md from the settings model (``--check``: only compare).

The table lists each setting's variable, type, bounds, default and meaning, as ``bot/settings/model.py``
declares them; a test runs this with ``--check`` so the documentation cannot drift from the model.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings.reference import with_table
from scripts.generated import write_or_check

PAGE = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    text = with_table(PAGE.read_text(encoding="utf-8"))
    return write_or_check(PAGE, text, check=check, script="scripts/settings_table.py")


if __name__ == "__main__":
    raise SystemExit(main())
