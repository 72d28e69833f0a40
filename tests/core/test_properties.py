"""Property-based tests (hypothesis) for the parser, apportionment and the scenario engine."""

from __future__ import annotations

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.apportion import apportion
from bot.core.errors import ScenarioError
from bot.core.reports import ReportFormat, ReportMeta, ingest_report, render_csv
from bot.core.reports.figures import parse_figure
from bot.core.scenarios import run_scenario
from bot.sources.datafiles import load_registry
from tests.conftest import DATA, TEST_SOURCE, snapshot_of

NATION_NAMES = [
    "Italy", "United States", "Hungary", "Turkey", "Germany", "Poland", "Switzerland", "Austria",
    "Armenia", "Norway", "Spain", "Czech Republic", "North Macedonia", "United Kingdom", "Moldova",
]  # fmt: skip
META = ReportMeta(as_of="2025-06", source=TEST_SOURCE)
REGISTRY = load_registry(DATA)  # module-level: hypothesis re-runs tests, fixtures would be shared anyway
HYPOTHESIS = settings(max_examples=150, deadline=None)

troop_maps = st.dictionaries(st.sampled_from(NATION_NAMES), st.integers(min_value=1, max_value=20_000), min_size=1)


@HYPOTHESIS
@given(troop_maps)
def test_rendered_csv_parses_back_to_the_same_snapshot(troops) -> None:
    snapshot = snapshot_of(troops)
    result = ingest_report(render_csv(snapshot), META, REGISTRY, fmt=ReportFormat.CSV)
    assert result.snapshot is not None and result.snapshot.replace(read_as=None) == snapshot


@HYPOTHESIS
@given(troop_maps, st.sampled_from([": {}", " – {}", " ({})", "\t{}", " {}"]),
       st.sampled_from([",", ".", " ", ""]))  # fmt: skip
def test_text_list_in_any_style_parses_to_the_same_figures(troops, style, separator) -> None:
    """A list written in any supported style and thousands grouping gives back the figures."""
    lines = [name + style.format(f"{count:,}".replace(",", separator)) for name, count in troops.items()]
    result = ingest_report("\n".join(lines), META, REGISTRY, fmt=ReportFormat.TEXT)
    assert result.snapshot is not None, [i.describe() for i in result.issues]
    assert result.snapshot.troops_by_nation == troops


@given(st.integers(min_value=0, max_value=10**9))
def test_figures_round_trip_with_any_grouping(value: int) -> None:
    for separator in (",", ".", " ", "\u202f"):
        assert parse_figure(f"{value:,}".replace(",", separator)) == value


@given(st.text(alphabet=string.printable, max_size=80))
def test_the_text_parser_never_crashes(text: str) -> None:
    """Arbitrary text yields a result (a snapshot or issues), never an exception."""
    result = ingest_report(text, META, REGISTRY, fmt=ReportFormat.TEXT)
    assert result.ok or result.errors


@given(
    st.integers(min_value=0, max_value=100_000),
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=1, max_value=5_000), min_size=1),
)
def test_backfill_parts_sum_to_the_gap(gap: int, weights: dict[str, int]) -> None:
    parts = apportion(gap, weights)
    assert sum(parts.values()) == gap
    assert all(part >= 0 for part in parts.values())
    total = sum(weights.values())
    for key, part in parts.items():  # each part is within one troop of its exact quota
        assert abs(part - gap * weights[key] / total) < 1


changes = st.lists(
    st.tuples(st.sampled_from(NATION_NAMES), st.sampled_from(["+", "-", "="]), st.integers(0, 3_000),
              st.booleans()),
    min_size=1, max_size=4,
)  # fmt: skip


@HYPOTHESIS
@given(troop_maps, changes)
@example({"Italy": 1258}, [("Norway", "+", 0, False), ("Norway", "=", 0, False)])  # never withdrawn: no "already"
def test_a_scenario_never_yields_a_negative_contingent(troops, ops) -> None:
    """Whatever the expression, the outcome has no negative figure and its backfill restores the total."""
    expression = "; ".join(f"{n}{op}{amount}{'%' if pct else ''}" for n, op, amount, pct in ops)
    try:
        outcome = run_scenario(snapshot_of(troops), expression, REGISTRY)
    except ScenarioError as exc:
        refusals = ("below zero", "nothing to withdraw", "can plausibly have", "repeats")  # the only refusals
        assert any(reason in str(exc) for reason in refusals)  # noqa: PT017
        return
    assert all(count > 0 for count in outcome.after.values())
    assert outcome.diff.total_after == sum(outcome.after.values())
    if outcome.gap and outcome.after:
        assert sum(outcome.backfill.values()) == outcome.gap
        assert outcome.diff.total_after + sum(outcome.backfill.values()) == outcome.diff.total_before
