"""The data in data/: the stored snapshot is exactly what the parser makes of the cited report."""

from __future__ import annotations

import json
import runpy
import shutil
import tomllib
from pathlib import Path

import pytest

from bot.core.nations import NationRegistry
from bot.sources.datafiles import (
    LOCALIZED_NAMES,
    DataError,
    ingest_file,
    load_dataset,
    load_iso_countries,
    load_presets,
    load_registry,
)
from tests.conftest import CONFIG, DATA, ROOT, SEED_COPY
from tests.documents import contributions_page, placemat_pdf


def test_stored_snapshot_equals_the_parse_of_the_raw_report(registry) -> None:
    """data/snapshots/kfor/2025-02.json is the parser's output for the verbatim report and its meta."""
    stored = (DATA / "snapshots" / "kfor" / "2025-02.json").read_text(encoding="utf-8")
    result = ingest_file(SEED_COPY, registry)
    assert result.snapshot is not None
    assert result.snapshot.to_json() == stored


def test_stored_snapshot_cites_its_source(seed_snapshot) -> None:
    """The snapshot names its publisher, its date and the verbatim copy kept in data/."""
    assert seed_snapshot.as_of == "2025-02"
    assert "BILD" in seed_snapshot.source.publisher
    assert (DATA.parent / seed_snapshot.source.document).read_bytes() == SEED_COPY.read_bytes()


def test_presets_cover_the_required_scenarios() -> None:
    presets = load_presets(CONFIG)
    assert {"us-withdrawal", "us-halves", "partners-leave", "top3-leave"} <= set(presets)


def test_a_broken_stored_snapshot_fails_loudly(tmp_path: Path) -> None:
    """A hand edit that breaks a stored snapshot stops start-up with the file and the problem."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "snapshots" / "kfor" / "2025-02.json"
    content = json.loads(path.read_text())
    content["contingents"][0]["nation"] = "Atlantis"
    path.write_text(json.dumps(content))
    with pytest.raises(DataError, match=r"2025-02\.json.*Atlantis"):
        load_dataset(data, CONFIG)


def _localized_names_script() -> dict:
    return runpy.run_path(str(ROOT / "scripts" / "localized_names.py"), run_name="localized_names")


def test_localized_names_file_is_what_cldr_gives_now() -> None:
    """data/localized_names.json equals a fresh run of scripts/localized_names.py over nations.toml and CLDR."""
    script = _localized_names_script()
    records = tomllib.loads((DATA / "nations.toml").read_text(encoding="utf-8"))["nation"]
    expected = script["render"](script["localized_names"](records))
    assert (DATA / LOCALIZED_NAMES).read_text(encoding="utf-8") == expected, (
        "data/localized_names.json is out of date: run python scripts/localized_names.py"
    )
    assert script["main"](["--check"]) == 0


def test_localized_names_that_would_name_two_nations_are_dropped_and_listed() -> None:
    """A CLDR name equal to another nation's alias, or shared by two nations, is left out with its reason."""
    script = _localized_names_script()
    records = [
        {"name": "Iceland", "alpha2": "IS"},
        {"name": "Ireland", "alpha2": "IE", "aliases": ["Island"]},
        {"name": "Italy", "alpha2": "IT"},
    ]
    territories = {
        "de": {"IS": "Island", "IE": "Irland", "IT": "Italien"},
        "xx": {"IS": "Eire", "IE": "Eire", "IT": "Italia"},
    }
    content = script["localized_names"](records, territories)
    assert content["names"] == {"IE": {"de": "Irland"}, "IS": {}, "IT": {"de": "Italien", "xx": "Italia"}}
    assert {(d["nation"], d["language"], d["reason"]) for d in content["dropped"]} == {
        ("IS", "de", "names Ireland in data/nations.toml"),
        ("IS", "xx", "also CLDR's name for IE"),
        ("IE", "xx", "also CLDR's name for IS"),
    }
    localized = {code: names.values() for code, names in content["names"].items()}
    registry = NationRegistry.from_records(records, localized, countries=load_iso_countries(DATA))
    assert registry.exact("Island").name == "Ireland"
    assert registry.exact("Eire") is None


def test_the_registry_reads_the_localized_names(tmp_path: Path) -> None:
    """load_registry hands the generated names to the registry: without the file, no "Italien"."""
    assert load_registry(DATA).exact("Italien").name == "Italy"
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / LOCALIZED_NAMES).write_text('{"names": {}}', encoding="utf-8")
    assert load_registry(data).exact("Italien") is None


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("placemat.pdf", placemat_pdf(), "pdf"),
        ("kfor.html", contributions_page().encode(), "html"),
        ("report.txt", "Türkiye: 325\nItaly: 1,258\n".encode("utf-16"), "text"),
        ("report.csv", "nation;troops\nTürkiye;325\n".encode("cp1252"), "csv"),
    ],
)
def test_ingest_file_reads_every_format_from_its_bytes(tmp_path: Path, registry, name: str, content: bytes, fmt: str):
    """ingest_file (behind `kfor-bot ingest`) goes through the bytes entry point: PDF, HTML, UTF-16, cp1252."""
    path = tmp_path / name
    path.write_bytes(content)
    result = ingest_file(path, registry)
    assert result.format == fmt
    assert result.ok
    assert result.snapshot.troops_by_nation["Turkey"] == 325


def test_a_broken_meta_sidecar_is_named_with_its_problem(tmp_path: Path, registry) -> None:
    """A sidecar with a typo'd key or a bad value stops the ingest with the file and field, not a traceback."""
    report = tmp_path / "report.csv"
    report.write_text("nation,troops\nItaly,1000\n")
    sidecar = tmp_path / "report.meta.toml"
    sidecar.write_text('as_of = "2025-02"\ncoverge = "partial"\n[source]\ntitle = "t"\npublisher = "p"\n')
    with pytest.raises(DataError, match=r"report\.meta\.toml: coverge: unknown field"):
        ingest_file(report, registry)
    sidecar.write_text('as_of = "Feb 2025"\n[source]\ntitle = "t"\npublisher = "p"\n')
    with pytest.raises(DataError, match=r"report\.meta\.toml: as_of: must be YYYY-MM or YYYY-MM-DD, not 'Feb 2025'"):
        ingest_file(report, registry)
    sidecar.write_bytes(b'[source]\ntitle = "Caf\xe9"\npublisher = "p"\n')  # saved as Windows-1252: TOML is UTF-8
    with pytest.raises(DataError, match=r"report\.meta\.toml: 'utf-8' codec can't decode"):
        ingest_file(report, registry)


def test_iso_countries_file_is_what_pycountry_gives_now() -> None:
    """data/iso_countries.json equals a fresh run of scripts/iso_countries.py (pycountry is pinned)."""
    script = runpy.run_path(str(ROOT / "scripts" / "iso_countries.py"), run_name="iso_countries")
    stored = (DATA / "iso_countries.json").read_text(encoding="utf-8")
    assert stored == script["render"](script["iso_countries"]()), "run scripts/iso_countries.py"
    assert script["main"](["--check"]) == 0


def test_a_real_country_without_troops_is_recognised_from_the_iso_file(registry) -> None:
    """Names, official names and codes of ISO countries that send no troops say so; lower-case codes do not."""
    from bot.core.errors import NoContingentError

    for query in ("Serbia", "Republic of Serbia", "SRB", "RS", "🇷🇸", "Kosovo"):
        with pytest.raises(NoContingentError):
            registry.resolve(query)
    assert registry.countries.find("rs") is None and registry.countries.find("688") is None
    assert len(registry.countries) == 249
