"""Loading the project's reference data, presets and stored snapshots from disk.

The only module of the briefing path that reads files; the core receives what it returns.
A stored snapshot is re-validated on load with the same checks as any report, so a hand edit
that breaks it fails loudly at start-up instead of showing wrong figures.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from bot.core.catalog import SnapshotCatalog
from bot.core.dataset import Dataset
from bot.core.fields import InvalidRecord
from bot.core.models import Source
from bot.core.nations import IsoCountries, NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta, ingest_report
from bot.core.scenarios import Preset


class DataError(RuntimeError):
    """Stored data that cannot be used; the message names the file and the problem."""


#: Nation names in other languages, generated from CLDR by scripts/localized_names.py.
LOCALIZED_NAMES = "localized_names.json"
#: ISO 3166-1's codes and names, generated from pycountry by scripts/iso_countries.py.
ISO_COUNTRIES = "iso_countries.json"


def load_registry(data_dir: Path) -> NationRegistry:
    """The curated nations with their localized names (a JSON file, so start-up pays no CLDR load)."""
    with (data_dir / "nations.toml").open("rb") as handle:
        table = tomllib.load(handle)
    records = table["nation"]
    generated = json.loads((data_dir / LOCALIZED_NAMES).read_text(encoding="utf-8"))
    localized = {alpha2: list(by_language.values()) for alpha2, by_language in generated["names"].items()}
    return NationRegistry.from_records(records, localized, mission=table.get("mission", "the mission"),
                                       countries=load_iso_countries(data_dir))  # fmt: skip


def load_iso_countries(data_dir: Path) -> IsoCountries:
    """ISO 3166-1's countries, generated from pycountry by scripts/iso_countries.py."""
    return IsoCountries.from_entries(json.loads((data_dir / ISO_COUNTRIES).read_text(encoding="utf-8"))["countries"])


def load_presets(config_dir: Path) -> dict[str, Preset]:
    path = config_dir / "scenarios.toml"
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    return {
        key: Preset(key=key, title=entry["title"], change=entry["change"], description=entry.get("description", ""))
        for key, entry in table.items()
    }


def read_meta(path: Path) -> ReportMeta | None:
    """The sidecar ``NAME.meta.toml`` of a report (mission, as-of date, source), if there is one."""
    sidecar = path.with_name(path.stem + ".meta.toml")
    if not sidecar.exists():
        return None
    try:
        with sidecar.open("rb") as handle:
            return ReportMeta.from_dict(tomllib.load(handle))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, InvalidRecord) as exc:
        raise DataError(f"{sidecar.name}: {exc}") from None


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
            problems = "; ".join(issue.describe() for issue in result.errors)
            raise DataError(f"{path}: {problems}")
        snapshots.append(result.snapshot)
    return Dataset(registry, SnapshotCatalog.of(mission, snapshots), load_presets(config_dir))
