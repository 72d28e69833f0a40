"""The fast path of `kfor-bot check`: taken only when it is certainly equivalent to a full cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.alerts.probe import _setting, fast_unchanged_check
from bot.cli.check import run_check
from bot.settings import Settings
from bot.store.repository import Store
from tests.conftest import SEED_FIGURES, snapshot_of


@pytest.fixture
def setup(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env here
    report = tmp_path / "r.json"
    report.write_text(snapshot_of(SEED_FIGURES, "2025-02").to_json())
    db = f"sqlite:///{tmp_path / 'k.db'}"
    return report, db, Settings(_env_file=None, state_dir=tmp_path)


async def test_unchanged_source_takes_the_fast_path_and_records_the_check(setup) -> None:
    report, db, settings = setup
    assert fast_unchanged_check(str(report), db, None) is None  # no store yet: full cycle
    await run_check(str(report), db, None, settings)  # baseline
    before = dt.datetime.now(dt.UTC)
    assert fast_unchanged_check(str(report), db, None) == 0
    async with Store.open(db) as store:
        health = await store.source_health(str(report))
    assert health.last_check_at >= before - dt.timedelta(seconds=1)
    assert health.last_check_at.tzinfo is not None and health.consecutive_failures == 0


async def test_any_doubt_means_the_full_cycle(setup) -> None:
    report, db, settings = setup
    await run_check(str(report), db, None, settings)
    assert fast_unchanged_check(str(report), db, "http://127.0.0.1:9/hook") is None  # webhook not yet subscribed
    assert fast_unchanged_check(str(report), "postgresql://x@127.0.0.1/db", None) is None
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
    assert fast_unchanged_check(str(report), db, None) is None  # new content
    await run_check(str(report), db, None, settings)
    assert fast_unchanged_check(str(report), db, None) == 0
    async with Store.open(db) as store:
        claim = await store.claim(["change:KFOR:9"], "console", "elsewhere", dt.datetime.now(dt.UTC))
        assert claim is not None
    assert fast_unchanged_check(str(report), db, None) is None  # a delivery in flight
    async with Store.open(db) as store:
        await store.release(claim)
    report.write_text("not a report")
    await run_check(str(report), db, None, settings)  # a problem now
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
    assert fast_unchanged_check(str(report), db, None) is None  # the last check had a problem


def test_settings_resolution_matches_pydantic_settings(monkeypatch) -> None:
    """The probe reads source and mission as bot.settings does: environment over config/kfor.toml."""
    for name in ("source", "mission"):
        monkeypatch.delenv(f"KFOR_{name.upper()}", raising=False)
        assert _setting(name, "?") == str(getattr(Settings(_env_file=None), name))
        monkeypatch.setenv(f"KFOR_{name.upper()}", "from-env")
        assert _setting(name, "?") == getattr(Settings(_env_file=None), name) == "from-env"
