"""`kfor-bot ask`, run as a real process: plain text, JSON, one-line errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.process import ENV, kfor


def test_ask_prints_plain_text_when_piped() -> None:
    result = kfor("ask", "/kfor top 5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("KFOR — top 5 contingents\n")
    assert "1,258" in result.stdout
    assert "as of 2025-02" in result.stdout
    assert result.stderr == ""


def test_ask_json() -> None:
    """--json prints the briefing as JSON, with the name NATO writes today."""
    result = kfor("ask", "/kfor country Türkiye", "--json")
    data = json.loads(result.stdout)
    assert data["title"] == "🇹🇷 Türkiye in KFOR"
    assert data["summary"].startswith("**325 troops** — rank 4 of 29")


def test_ask_errors_are_one_line_on_stderr_with_nonzero_exit() -> None:
    for command, words in (
        ("/kfor country Slov", "Slovakia"),
        ("/kfor tpo", "top"),
        ("/kfor scenario US-900", "below"),
    ):
        result = kfor("ask", command)
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert words in result.stderr


def test_history_of_the_united_states_lists_2020_to_2025_each_with_its_source() -> None:
    """The acceptance check of issue #7: every dated figure, estimates marked, each with its source."""
    out = kfor("ask", "/kfor history US").stdout
    sources = _source_keys(out)
    for date, figure, source in (("2020-11", "est. 660", "CIA World Factbook"), ("2022-08", "635", "RFE/RL"),
                                 ("2023-10", "679", "defence-network.com"), ("2023-10", "593", "Republika.rs"),
                                 ("2024-01", "572", "Turkish Wikipedia"), ("2025-02", "602", "BILD")):  # fmt: skip
        assert any(date in line and figure in line and source in sources[line.split()[-1]]
                   for line in out.splitlines() if line.startswith(date)), (date, figure)  # fmt: skip


def _source_keys(out: str) -> dict[str, str]:
    """The publishers a history names under its table ("Src: A NATO; B ONU Italia."), by their keys."""
    (legend,) = [line for line in out.splitlines() if line.startswith("Src: ")]
    return dict(item.split(" ", 1) for item in legend.removeprefix("Src: ").removesuffix(".").split("; "))


def test_history_of_italy_goes_back_to_2015() -> None:
    out = kfor("ask", "/kfor history Italy").stdout
    sources = _source_keys(out)
    assert any(line.startswith("2015-08") and "550" in line and sources[line.split()[-1]] == "ONU Italia"
               for line in out.splitlines())  # fmt: skip


def test_compare_2024_01_with_2025_02() -> None:
    """Germany +170 and Portugal joining, between the two complete lists."""
    out = kfor("ask", "/kfor compare 2024-01 2025-02").stdout
    assert "🇩🇪 Germany 99 → 269 (+170, +171.7%)" in out and "Joined (1): 🇵🇹 Portugal 0 → 1 (+1, new)" in out


def test_a_ten_thousand_character_scenario_is_not_echoed_whole() -> None:
    """The answer repeats at most 200 characters of what was typed, cut visibly."""
    scenario = "; ".join(["US+0"] * 1660)
    assert len(scenario) > 9_900
    result = kfor("ask", f"/kfor scenario {scenario}")
    assert result.returncode == 0
    title = result.stdout.splitlines()[0]
    assert title.startswith("Scenario — US+0; US+0") and title.endswith("…") and len(title) < 220
    assert len(result.stdout) < 4_000


def test_ask_latest_lists_the_figures_newer_than_the_complete_list() -> None:
    """`/kfor latest` from the bundled history: Italy's April 2025 figure, its source, date and age."""
    result = kfor("ask", "/kfor latest")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("KFOR — newer than the complete list of 2025-02\n")
    assert "Italy" in result.stdout and "2025-04 · partial figures" in result.stdout and "Republika.rs" in result.stdout
    assert " ago · partial figures" in result.stdout.splitlines()[-1]


def test_ask_for_a_chart_writes_it_and_says_where(tmp_path) -> None:
    """`ask "/kfor chart history US"` exited 0 with no chart and no word why (#20): it writes the PNG and says so."""
    result = kfor("ask", "/kfor chart history US", env={**ENV, "KFOR_STATE_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("Chart: ") and line.endswith(".png")
    path = Path(line.removeprefix("Chart: "))
    assert path.parent == tmp_path / "charts" and path.read_bytes().startswith(b"\x89PNG")


def test_console_and_ask_name_what_works_in_discord_only_and_suggest_only_close_names() -> None:
    """`/kfor discuss` and `/kfor alerts` were "Unknown subcommand" though help lists them; "clear" suggested
    "scenario, chart" (#20)."""
    discuss = kfor("ask", "/kfor discuss Drawdown")
    assert discuss.returncode == 2 and discuss.stderr.startswith("kfor-bot: /kfor discuss works in Discord only")
    clear = kfor("ask", "clear")
    assert clear.returncode == 2 and "Did you mean" not in clear.stderr
    typo = kfor("ask", "/kfor hist Italy")
    assert typo.returncode == 2 and typo.stderr.rstrip().endswith("Did you mean: history?")
    assert "a placemat PDF, a web page" in kfor("ingest", "--help").stdout


async def test_ask_announcements_reads_the_store_and_creates_none(tmp_path) -> None:
    """``/kfor announcements`` lists what the feed cycle recorded; without a store it says there is none."""
    import datetime as dt

    from bot.core.claims import Claim
    from bot.store.announcements import ClaimSource
    from bot.store.database import Store
    from tests.process import ENV

    empty = kfor("ask", "/kfor announcements", env=ENV | {"KFOR_STATE_DIR": str(tmp_path / "none")})
    assert empty.returncode == 0 and "No announcements recorded" in empty.stdout
    assert not (tmp_path / "none" / "kfor.db").exists()
    now = dt.datetime(2025, 3, 10, tzinfo=dt.UTC)
    claim = Claim("Poland", "increase", 100, None, True, "2025-05", "https://x.test/a", now, "Poland sends 100.")
    async with Store.open(f"sqlite:///{tmp_path / 'kfor.db'}") as store:
        source = ClaimSource(claim, "MON", "official", 247, "2025-02")
        await store.announcements.record_entry("KFOR", "f", "i", [source], now)
    result = kfor("ask", "/kfor announcements", env=ENV | {"KFOR_STATE_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "1 open" in result.stdout and "≈ +100 troops from 2025-05" in result.stdout and "announced" in result.stdout
