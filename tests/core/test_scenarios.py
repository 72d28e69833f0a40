"""The scenario language and its outcomes on the seed snapshot."""

from __future__ import annotations

import re

import pytest

from bot.core.errors import ScenarioError
from bot.core.scenarios import run_scenario


def test_us_withdrawal(seed_snapshot, registry) -> None:
    """Without the U.S.: 4,084 troops (−602, −12.8 %), Hungary moves to 2nd, 602 to backfill."""
    outcome = run_scenario(seed_snapshot, "withdraw US", registry)
    diff = outcome.diff
    assert (diff.total_before, diff.total_after, diff.total_delta) == (4686, 4084, -602)
    assert round(diff.total_percent, 1) == -12.8
    assert [c.nation for c in diff.left] == ["United States"]
    assert ("Hungary", 3, 2) in {(m.nation, m.rank_before, m.rank_after) for m in diff.rank_moves}
    assert outcome.lead_before.nation == outcome.lead_after.nation == "Italy"
    assert outcome.lead_after.share == pytest.approx(100 * 1258 / 4084)
    assert outcome.split_before.nato_troops - outcome.split_after.nato_troops == 602
    assert outcome.split_after.partner_troops == outcome.split_before.partner_troops
    assert outcome.hhi_after > outcome.hhi_before
    assert outcome.gap == 602
    assert sum(outcome.backfill.values()) == 602
    assert "United States" not in outcome.backfill
    assert max(outcome.backfill, key=outcome.backfill.get) == "Italy"


@pytest.mark.parametrize("expression", ["withdraw US", "US withdraws", "United States=0", "US-100%", "remove USA"])
def test_spellings_of_a_withdrawal_agree(seed_snapshot, registry, expression: str) -> None:
    assert run_scenario(seed_snapshot, expression, registry).after.get("United States") is None


def test_relative_absolute_and_combined_changes(seed_snapshot, registry) -> None:
    """US-50% → 301; Germany+200 → 469; UK-20 → 27; several joined by ',' or ';' with thousands separators."""
    outcome = run_scenario(seed_snapshot, "US-50%; Germany+1,000, UK-20", registry)
    assert outcome.after["United States"] == 301
    assert outcome.after["Germany"] == 1269
    assert outcome.after["United Kingdom"] == 27
    assert outcome.lead_after.nation == "Germany"
    assert outcome.gap == 0
    assert outcome.backfill == {}


def test_groups(seed_snapshot, registry) -> None:
    """'partners' removes the five non-NATO nations; 'top 3' the three largest."""
    partners = run_scenario(seed_snapshot, "withdraw partners", registry)
    assert {c.nation for c in partners.diff.left} == {"Switzerland", "Austria", "Armenia", "Moldova", "Ireland"}
    assert partners.split_after.partner_troops == 0
    top3 = run_scenario(seed_snapshot, "withdraw top 3", registry)
    assert {c.nation for c in top3.diff.left} == {"Italy", "United States", "Hungary"}
    assert top3.lead_after.nation == "Turkey"


def test_a_new_contributor_can_join(seed_snapshot, registry) -> None:
    outcome = run_scenario(seed_snapshot, "Norway+50", registry)
    assert [c.nation for c in outcome.diff.joined] == ["Norway"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("US-700", "below zero"),
        ("US-150%", "below zero"),
        ("withdraw Norway", "nothing to withdraw"),
        ("Atlantis+5", "In 'Atlantis+5'"),
        ("US+5, blah", "Cannot read 'blah'"),
        ("", "empty"),
        ("US+5,,UK-1", "Empty change"),
        ("US-12.5", "whole number"),
        ("Norway+0; Norway=0", "Norway has no troops in KFOR as of 2025-02; nothing to withdraw"),
    ],
)
def test_errors_name_the_bad_part(seed_snapshot, registry, expression: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        run_scenario(seed_snapshot, expression, registry)


def test_everyone_is_a_group_but_a_mention_is_not(seed_snapshot, registry) -> None:
    """'everyone' is every nation; '@everyone' and '<@&123>' are Discord markup, refused with a reason."""
    assert run_scenario(seed_snapshot, "everyone+1", registry).diff.total_delta == len(seed_snapshot.contingents)
    for expression in ("@everyone+5", "withdraw @here", "<@&123>-10"):
        with pytest.raises(ScenarioError, match="is a Discord mention, not a nation or a group"):
            run_scenario(seed_snapshot, expression, registry)


def test_typo_tolerant_nation_names(seed_snapshot, registry) -> None:
    assert run_scenario(seed_snapshot, "Germny-100", registry).after["Germany"] == 169


def test_a_repeated_withdrawal_names_the_repeat(seed_snapshot, registry) -> None:
    """'withdraw US, withdraw US' says the second part repeats the first, not that the US has no troops."""
    with pytest.raises(ScenarioError, match="'withdraw US' repeats 'withdraw US': United States is already withdrawn"):
        run_scenario(seed_snapshot, "withdraw US, withdraw US", registry)
    with pytest.raises(ScenarioError, match="'US leaves' repeats 'US=0'"):
        run_scenario(seed_snapshot, "US=0; US leaves", registry)
