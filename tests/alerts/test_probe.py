"""The fast path of `kfor-bot check`: taken only when it is certainly equivalent to a full cycle."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.alerts.probe import fast_unchanged_check
from bot.cli.check import run_check
from bot.settings import Settings
from bot.sources.links import LinkedState, linked_key
from bot.store.database import Store
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.placemat_server import PAGE_PATH, PlacematServer, serve_placemats

PATTERN = r"(?i)placemat.*\.json$"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env here
    report = tmp_path / "r.json"
    report.write_text(snapshot_of(SEED_FIGURES, "2025-02").to_json())
    db = f"sqlite:///{tmp_path / 'k.db'}"
    return report, db, Settings(_env_file=None, state_dir=tmp_path)


async def test_unchanged_source_takes_the_fast_path_and_records_the_check(setup) -> None:
    report, db, settings = setup
    assert fast_unchanged_check(str(report), db, None, None, settings) is None  # no store yet: full cycle
    await run_check(str(report), db, None, settings)  # baseline
    before = dt.datetime.now(dt.UTC)
    assert fast_unchanged_check(str(report), db, None, None, settings) == 0
    async with Store.open(db) as store:
        health = await store.health.get(str(report))
    assert health.last_check_at >= before - dt.timedelta(seconds=1)
    assert health.last_check_at.tzinfo is not None and health.consecutive_failures == 0


async def test_any_doubt_means_the_full_cycle(setup) -> None:
    report, db, settings = setup
    await run_check(str(report), db, None, settings)
    assert (
        fast_unchanged_check(str(report), db, "http://127.0.0.1:9/hook", None, settings) is None
    )  # webhook not yet subscribed
    assert fast_unchanged_check(str(report), "postgresql://x@127.0.0.1/db", None, None, settings) is None
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
    assert fast_unchanged_check(str(report), db, None, None, settings) is None  # new content
    await run_check(str(report), db, None, settings)
    assert fast_unchanged_check(str(report), db, None, None, settings) == 0
    async with Store.open(db) as store:
        claim = await store.ledger.claim(["change:KFOR:9"], "console", "elsewhere", dt.datetime.now(dt.UTC))
        assert claim is not None
    assert fast_unchanged_check(str(report), db, None, None, settings) is None  # a delivery in flight
    async with Store.open(db) as store:
        await store.ledger.release(claim)
    report.write_text("not a report")
    await run_check(str(report), db, None, settings)  # a problem now
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
    assert fast_unchanged_check(str(report), db, None, None, settings) is None  # the last check had a problem


# -- a linked source: a page and a link pattern ----------------------------------------------------


def _edition(server: PlacematServer, path: str, figures: dict[str, int], as_of: str) -> None:
    """Publish ``path`` as the newest edition, listed first above an older one."""
    server.documents[path] = snapshot_of(figures, as_of).to_json().encode()
    server.publish(f'<a href="{path}">Placemat</a> <a href="/files/placemat-2020-01.json">Placemat 2020</a>')


async def _probe(source: str | None, db: str, webhook: str | None, link: str | None = None) -> int | None:
    """The probe blocks on http.client: off the event loop that serves its requests. Settings are read
    at each call, as each cron run reads them."""
    settings = Settings(_env_file=None)
    return await asyncio.to_thread(fast_unchanged_check, source, db, webhook, link, settings)


async def test_unchanged_linked_source_takes_the_fast_path_with_two_304s(setup, monkeypatch) -> None:
    """Page and document answer 304: the quick check says so, records it and downloads nothing."""
    _, db, settings = setup
    async with serve_placemats() as server:
        _edition(server, "/files/placemat-2025-02.json", SEED_FIGURES, "2025-02")
        assert await run_check(server.page_url, db, None, settings, PATTERN) == 0  # baseline
        assert await _probe(server.page_url, db, None, PATTERN) == 0
        assert [(r.path, r.status) for r in server.requests[-2:]] == [
            (PAGE_PATH, 304), ("/files/placemat-2025-02.json", 304)
        ]  # fmt: skip
        server.publish(server.page + " <a href='/about'>About</a>")  # a new page, the same newest link
        assert await _probe(server.page_url, db, None, PATTERN) == 0
        assert [r.status for r in server.requests[-2:]] == [200, 304]
        monkeypatch.setenv("KFOR_SOURCE", server.page_url)  # the configured source and link, as cron runs it
        monkeypatch.setenv("KFOR_SOURCE_LINK", PATTERN)
        assert await _probe(None, db, None) == 0
        async with Store.open(db) as store:
            health = await store.health.get(linked_key(server.page_url, PATTERN))
        state = LinkedState.decode(health.etag)
        assert state.document_url == f"{server.base}/files/placemat-2025-02.json" and state.page_last_modified
        assert len(server.served("/files/placemat-2025-02.json", 200)) == 1  # downloaded once, by the baseline


async def test_a_new_edition_or_a_replaced_document_means_the_full_cycle(setup) -> None:
    """The probe never says "unchanged" when the newest link moved or its document changed in place."""
    _, db, settings = setup
    async with serve_placemats() as server:
        _edition(server, "/files/placemat-2025-02.json", SEED_FIGURES, "2025-02")
        await run_check(server.page_url, db, None, settings, PATTERN)
        assert await _probe(server.page_url, db, None) is None  # the page itself is another source
        _edition(server, "/files/placemat-2025-06.json", dict(SEED_FIGURES, Germany=300), "2025-06")
        assert await _probe(server.page_url, db, None, PATTERN) is None
        assert not server.served("/files/placemat-2025-06.json")  # left to the full cycle
        assert await run_check(server.page_url, db, None, settings, PATTERN) == 0
        async with Store.open(db) as store:
            assert (await store.snapshots.latest("KFOR")).snapshot.as_of == "2025-06"
        assert await _probe(server.page_url, db, None, PATTERN) == 0
        server.documents["/files/placemat-2025-06.json"] = snapshot_of(SEED_FIGURES, "2025-07").to_json().encode()
        assert await _probe(server.page_url, db, None, PATTERN) is None
