"""Shared fixtures: the real reference data, the seed report and a small snapshot factory."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from bot.briefings.service import BriefingService
from bot.core.catalog import SnapshotCatalog
from bot.core.models import Contingent, Snapshot, Source
from bot.core.nations import NationRegistry
from bot.sources.datafiles import Dataset, load_dataset, load_presets, load_registry

# Hypothesis: no per-example deadline (a loaded CI machine is not a failure) and no example database:
# what an earlier run found on this machine must not decide whether this run passes (the cases it
# found are kept as @example in the tests instead). In CI the same examples every run, so that a red
# build is reproducible; elsewhere new ones, each failure printed with its blob to reproduce it.
settings.register_profile("dev", deadline=None, database=None, print_blob=True)
settings.register_profile("ci", deadline=None, database=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CONFIG = ROOT / "config"
SEED_COPY = DATA / "sources" / "kfor-2025-02-news-report.txt"
SEED_ORIGINAL = ROOT.parent / "shared" / "seed" / "000_f9051b5c42341201.txt"

#: The seed report's figures, typed from the report for the tests to check the parser against.
SEED_FIGURES = {
    "Italy": 1258, "United States": 602, "Hungary": 365, "Turkey": 325, "Germany": 269, "Poland": 247,
    "Switzerland": 211, "Romania": 182, "Croatia": 152, "Latvia": 140, "Bulgaria": 127, "Greece": 121,
    "Slovenia": 109, "Austria": 105, "Albania": 90, "Finland": 70, "North Macedonia": 67, "Armenia": 57,
    "United Kingdom": 47, "Moldova": 44, "Czech Republic": 35, "Denmark": 35, "Ireland": 13, "Canada": 5,
    "Sweden": 3, "France": 3, "Montenegro": 2, "Lithuania": 1, "Portugal": 1,
}  # fmt: skip

TEST_SOURCE = Source(title="Test figures", publisher="kfor-bot tests")


@pytest.fixture(scope="session")
def registry() -> NationRegistry:
    return load_registry(DATA)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DATA, CONFIG)


@pytest.fixture(scope="session")
def seed_snapshot(dataset: Dataset) -> Snapshot:
    return dataset.catalog.latest


@pytest.fixture(scope="session")
def service(dataset: Dataset) -> BriefingService:
    return BriefingService(dataset)


def snapshot_of(troops: Mapping[str, int], as_of: str = "2025-06", mission: str = "KFOR") -> Snapshot:
    """A snapshot of made-up test figures (never stored in data/)."""
    contingents = sorted(
        (Contingent(nation=n, troops=t) for n, t in troops.items()), key=lambda c: (-c.troops, c.nation)
    )
    return Snapshot(mission=mission, as_of=as_of, source=TEST_SOURCE, contingents=tuple(contingents))


@pytest.fixture
def make_snapshot() -> Callable[..., Snapshot]:
    return snapshot_of


@pytest.fixture
def seed_service(seed_snapshot: Snapshot, registry: NationRegistry) -> BriefingService:
    """The seed report alone: how the bot answers before any second snapshot exists."""
    return BriefingService(Dataset(registry, SnapshotCatalog.of("KFOR", [seed_snapshot]), load_presets(CONFIG)))


@pytest.fixture
def two_snapshot_service(seed_snapshot: Snapshot, registry: NationRegistry) -> BriefingService:
    """The seed plus a later test snapshot: US −282, Germany +31, Norway joins, Portugal leaves."""
    later = dict(SEED_FIGURES)
    later.update({"United States": 320, "Germany": 300, "Norway": 12})
    del later["Portugal"]
    catalog = SnapshotCatalog.of("KFOR", [seed_snapshot, snapshot_of(later, "2025-06")])
    return BriefingService(Dataset(registry, catalog, load_presets(CONFIG)))


@pytest.fixture
def bot_settings(tmp_path: Path):
    from bot.settings import Settings

    report = tmp_path / "watched.json"
    report.write_text((DATA / "snapshots" / "kfor" / "2025-02.json").read_text())
    return Settings(_env_file=None, state_dir=tmp_path / "state", discord_token=None, dev_guild_id=None,
                    chart_cooldown_seconds=10.0, source=str(report), database_url=None,
                    scheduler_enabled=False)  # fmt: skip


@pytest.fixture
async def simcord_bot(bot_settings):
    """The bot SimCord's plugin starts for the simcord_env fixture (its store and session closed after)."""
    from bot.app import create_bot

    bot = create_bot(bot_settings)
    yield bot
    if bot.alerts is not None:  # SimCord detaches the bot without calling close()
        await bot.alerts.stop()


@asynccontextmanager
async def simulated(bot, **options):
    """``simcord.run`` for a bot built in the test, closing what the bot opened in setup_hook."""
    import simcord

    try:
        async with simcord.run(bot, **options) as env:
            yield env
    finally:
        if bot.alerts is not None:
            await bot.alerts.stop()


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for the whole session (started here, stopped after)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """Each store test runs against a fresh SQLite file and a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kfor.db'}"
    import asyncio

    from tests.postgres import fresh_database

    name = f"t_{abs(hash(request.node.nodeid)) % 10**12}"
    return asyncio.run(fresh_database(request.getfixturevalue("postgres_url"), name))
