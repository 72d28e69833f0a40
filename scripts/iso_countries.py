"""Write data/iso_countries.json: ISO 3166-1's countries (codes and names), from pycountry.

    .venv/bin/python scripts/iso_countries.py           # rewrite the file
    .venv/bin/python scripts/iso_countries.py --check   # exit 1, saying why, if it is out of date

Why a generated file and not pycountry at run time: importing pycountry costs about 30 ms (it
reads its own package metadata), and the registry is built at the start of every command
(`kfor-bot ask` answers in about 0.12 s); reading this JSON takes under a millisecond. The bot
uses it for alpha-3 codes and ISO names of the contributors, and to recognise a real country that
has no contingent ("Serbia has no contingent in KFOR"). Run it after upgrading pycountry, which
pyproject.toml pins; tests/sources/test_datafiles.py fails while the file is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.generated import write_or_check  # noqa: E402 - after the path is set

TARGET = ROOT / "data" / "iso_countries.json"


def iso_countries() -> dict[str, Any]:
    """The file's content: every country's alpha-2 and alpha-3 code and its ISO names."""
    countries = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        entry = {"alpha2": country.alpha_2, "alpha3": country.alpha_3, "name": country.name}
        for extra in ("common_name", "official_name"):
            if getattr(country, extra, None):
                entry[extra] = getattr(country, extra)
        countries.append(entry)
    return {"source": f"ISO 3166-1, from pycountry {version('pycountry')}", "countries": countries}


def render(content: dict[str, Any]) -> str:
    return json.dumps(content, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    return write_or_check(TARGET, render(iso_countries()), check=args.check, script="scripts/iso_countries.py")


if __name__ == "__main__":
    raise SystemExit(main())
