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
    with pytest.raises(DataError, match=r"report\.meta\.toml: coverge: unknown key; did you mean coverage\?"):
        ingest_file(report, registry)
    sidecar.write_text('as_of = "Feb 2025"\n[source]\ntitle = "t"\npublisher = "p"\n')
    with pytest.raises(DataError, match=r"report\.meta\.toml: as_of: must be YYYY-MM or YYYY-MM-DD, not 'Feb 2025'"):
        ingest_file(report, registry)
    sidecar.write_bytes(b'[source]\ntitle = "Caf\xe9"\npublisher = "p"\n')  # saved as Windows-1252: TOML is UTF-8
    with pytest.raises(DataError, match=r"report\.meta\.toml: not UTF-8 text: 'utf-8' codec can't decode"):
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


@pytest.fixture
def edited(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """Copies of data/ and config/ that a test edits by hand, as the settings point the bot at them."""
    data, config = tmp_path / "data", tmp_path / "config"
    shutil.copytree(DATA, data)
    shutil.copytree(CONFIG, config)
    for name, path in (("KFOR_DATA_DIR", data), ("KFOR_CONFIG_DIR", config)):
        monkeypatch.setenv(name, str(path))
    return data, config


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NATIONS_EDITS = [  # the code review's and the adversarial trial's cases, each once a traceback or a wrong answer
    (
        'alpha2 = "AL"\nnato = 2009',
        'alpha2 = "AL"\nnato = "2009"',
        "nation 'Albania': nato: must be a whole number, not '2009'",
    ),
    (
        'alpha2 = "AL"\nnato = 2009',
        'alpha2 = "AL"\nnat0 = 2009',  # a member silently turned partner
        "nation 'Albania': nat0: unknown key; did you mean nato?",
    ),
    ('alpha2 = "AR"', 'alpha2 = "XX"', "nation 'Argentina': alpha2: 'XX' is not an ISO 3166-1 alpha-2 code"),
    ('name = "Argentina"\n', "", "nation #2: name: missing"),
    ('name = "Argentina"', 'name = "Albania"', "nation: Albania and Albania have the same name 'Albania'"),
    ('alpha2 = "AR"', 'alpha2 = "AL"', "nation: Albania and Argentina have the same alpha2 'AL'"),
    (
        'local_names = ["Shqipëria"]',
        'local_names = "Shqipëria"',  # each letter would have named Albania
        "nation 'Albania': local_names: must be a list, not 'Shqipëria'",
    ),
    ('name = "Argentina"', "name = 7", "nation #2: name: must be text, not 7"),
    (
        'alpha2 = "AT"\neu = 1995',
        'alpha2 = "AT"\neu = 1995\neu_left = 1990',
        "nation 'Austria': eu_left: must be a year after eu, the year of joining",
    ),
]


@pytest.mark.parametrize(("old", "new", "problem"), NATIONS_EDITS)
def test_a_wrong_nations_file_stops_every_command_naming_the_nation_and_key(edited, capsys, old, new, problem) -> None:
    """Not even ``/kfor top 1`` answers from a wrong nations file: exit 2, one line per problem, no traceback."""
    from bot.app import main

    _edit(edited[0] / "nations.toml", old, new)
    for command in (["ask", "/kfor top 1"], ["ask", "/kfor country Albania"], ["console"]):
        assert main(command) == 2
        assert capsys.readouterr().err == f"kfor-bot: {edited[0] / 'nations.toml'}: {problem}\n"


def test_the_discord_bot_refuses_to_start_on_a_wrong_data_file(edited, capsys, monkeypatch) -> None:
    """With a token set, the bot stops before it logs in, with the same line, rather than answer wrongly."""
    import discord

    from bot.app import main

    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    # The bot's logging would keep this test's captured stderr as the root handler's stream for later tests.
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **_: None)
    _edit(edited[0] / "nations.toml", 'alpha2 = "AL"\nnato = 2009', 'alpha2 = "AL"\nnat0 = 2009')
    assert main([]) == 2
    assert capsys.readouterr().err.endswith(
        f"kfor-bot: {edited[0] / 'nations.toml'}: nation 'Albania': nat0: unknown key; did you mean nato?\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title = "United States withdraws"\n', "", "[us-withdrawal]: title: missing"),
        ('change = "withdraw United States"', "change = 5", "[us-withdrawal]: change: must be text, not 5"),
        (
            'title = "United States withdraws"',
            'titel = "x"',
            "[us-withdrawal]: title: missing\n[us-withdrawal]: titel: unknown key; did you mean title?",
        ),
    ],
)
def test_a_wrong_scenario_preset_stops_every_command_naming_the_preset_and_key(edited, capsys, old, new,
                                                                               problem) -> None:  # fmt: skip
    from bot.app import main

    _edit(edited[1] / "scenarios.toml", old, new)
    assert main(["ask", "/kfor top 1"]) == 2
    expected = "".join(f"kfor-bot: {edited[1] / 'scenarios.toml'}: {line}\n" for line in problem.splitlines())
    assert capsys.readouterr().err == expected


def test_a_hand_edited_snapshot_is_named_with_its_key(edited, capsys) -> None:
    """A stored snapshot is a file a person may edit: its problems are named as a report's are."""
    from bot.app import main

    stored = edited[0] / "snapshots" / "kfor" / "2025-02.json"
    _edit(stored, '"troops": 1258', '"troops": "1258"')
    assert main(["ask", "/kfor top 1"]) == 2
    assert capsys.readouterr().err == f"kfor-bot: {stored}: contingents.0.troops: must be a whole number, not '1258'\n"
