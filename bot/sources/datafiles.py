"""Loading the project's reference data, presets and stored snapshots from disk.

The only module of the briefing path that reads files; the core receives what it returns.
A stored snapshot is re-validated on load with the same checks as any report, so a hand edit
that breaks it fails loudly at start-up instead of showing wrong figures.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.core.catalog import SnapshotCatalog
from bot.core.dataset import Dataset
from bot.core.models import Source
from bot.core.nation_records import ISO_CODES, NationsFile
from bot.core.nations import IsoCountries, NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta, ingest_report
from bot.core.scenarios import Preset
from bot.core.validation import Location, dotted, problems_of
from bot.settings.lookup import shown


class DataError(RuntimeError):
    """Data files that cannot be used; ``problems`` are one line each, naming the file, entry and key.

    The bot refuses to start on one (exit status 2) rather than answer from wrong data.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


#: Nation names in other languages, generated from CLDR by scripts/localized_names.py.
LOCALIZED_NAMES = "localized_names.json"
#: ISO 3166-1's codes and names, generated from pycountry by scripts/iso_countries.py.
ISO_COUNTRIES = "iso_countries.json"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; a broken one is a :class:`DataError` naming the file, not a traceback."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"{shown(path)}: not valid TOML: {exc}"]) from None
    except UnicodeDecodeError as exc:
        raise DataError([f"{shown(path)}: not UTF-8 text: {exc}"]) from None


def _invalid(path: Path, exc: ValidationError, model: type[BaseModel], place: Callable[[Location], str]) -> DataError:
    return DataError([f"{shown(path)}: {problem.line(place)}" for problem in problems_of(exc, model)])


def load_registry(data_dir: Path) -> NationRegistry:
    """The curated nations with their localized names (a JSON file, so start-up pays no CLDR load)."""
    path = data_dir / "nations.toml"
    table = read_toml(path)
    countries = load_iso_countries(data_dir)
    codes = {country.alpha2 for country in countries}
    try:
        nations = NationsFile.model_validate(table, context={ISO_CODES: codes})
    except ValidationError as exc:
        listed = table.get("nation")
        entries: list[Any] = listed if isinstance(listed, list) else []

        def place(loc: Location) -> str:  # ("nation", 0, "nato") → nation 'Albania'.nato
            if len(loc) >= 2 and loc[0] == "nation" and isinstance(loc[1], int):
                entry = entries[loc[1]] if loc[1] < len(entries) else None
                name = entry.get("name") if isinstance(entry, dict) else None
                label = f"nation {name!r}" if isinstance(name, str) and name else f"nation #{loc[1] + 1}"
                return ": ".join([label, dotted(loc[2:])]) if loc[2:] else label
            return dotted(loc)

        raise _invalid(path, exc, NationsFile, place) from None
    generated = json.loads((data_dir / LOCALIZED_NAMES).read_text(encoding="utf-8"))
    localized = {alpha2: list(by_language.values()) for alpha2, by_language in generated["names"].items()}
    try:
        return NationRegistry.from_records(nations.nation, localized, mission=nations.mission, countries=countries)
    except ValueError as exc:  # one name given to two nations (an alias, a local name): say which
        raise DataError([f"{shown(path)}: {exc}"]) from None


def load_iso_countries(data_dir: Path) -> IsoCountries:
    """ISO 3166-1's countries, generated from pycountry by scripts/iso_countries.py."""
    return IsoCountries.from_entries(json.loads((data_dir / ISO_COUNTRIES).read_text(encoding="utf-8"))["countries"])


def load_presets(config_dir: Path) -> dict[str, Preset]:
    """The named scenarios of ``config/scenarios.toml``, one table each, every key checked."""
    path = config_dir / "scenarios.toml"
    table = read_toml(path)
    presets, problems = {}, []
    for key, entry in table.items():
        if not isinstance(entry, dict):
            problems.append(f"{shown(path)}: {key}: must be a table ([{key}]) with title and change")
            continue
        try:
            presets[key] = Preset.model_validate({**entry, "key": key})
        except ValidationError as exc:
            problems.extend(_invalid(path, exc, Preset, partial(_in_table, key)).problems)
    if problems:
        raise DataError(problems)
    return presets


def _in_table(key: str, loc: Location) -> str:
    """``[us-withdrawal].title``: a problem's place in a TOML table, as the file writes the table."""
    return f"[{key}]: {dotted(loc)}" if loc else f"[{key}]"


def read_meta(path: Path) -> ReportMeta | None:
    """The sidecar ``NAME.meta.toml`` of a report (mission, as-of date, source), if there is one."""
    sidecar = path.with_name(path.stem + ".meta.toml")
    if not sidecar.exists():
        return None
    table = read_toml(sidecar)
    try:
        return ReportMeta.model_validate(table)
    except ValidationError as exc:
        raise _invalid(sidecar, exc, ReportMeta, dotted) from None


def default_meta(path: Path) -> ReportMeta:
    """Meta for a report that has no sidecar: the file is its own (unpublished) source."""
    return ReportMeta(source=Source(title=path.name, publisher="unspecified source"))


def ingest_file(path: Path, registry: NationRegistry, meta: ReportMeta | None = None) -> IngestResult:
    """Read a report file of any supported format (PDF, HTML, JSON, CSV, text; any usual encoding)."""
    from bot.sources.documents import ingest_document  # its format sniffing and parsers: only for a report

    return ingest_document(path.read_bytes(), meta or read_meta(path) or default_meta(path), registry, name=path.name)


def load_dataset(data_dir: Path, config_dir: Path, mission: str = "KFOR") -> Dataset:
    registry = load_registry(data_dir)
    snapshots = []
    for path in sorted((data_dir / "snapshots" / mission.lower()).glob("*.json")):
        result = ingest_report(path.read_text(encoding="utf-8"), default_meta(path), registry, fmt=ReportFormat.JSON)
        if result.snapshot is None:
            raise DataError([f"{shown(path)}: {issue.describe()}" for issue in result.errors])
        snapshots.append(result.snapshot)
    return Dataset(registry, SnapshotCatalog.of(mission, snapshots), load_presets(config_dir))
