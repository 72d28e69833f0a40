"""Every watcher (bot, console, check) is built the same way, with all the settings' limits."""

from __future__ import annotations

import datetime as dt
import tomllib

import aiohttp
import pytest

from bot.alerts.setup import make_watcher
from bot.settings import CONFIG_FILE, Settings, SettingsError
from bot.sources.fetch import FileSource, HttpSource, LinkedSource
from bot.store.database import Store
from tests.alerts.conftest import Inbox, RecordingDestination
from tests.conftest import SEED_FIGURES
from tests.placemat_server import PAGE_PATH, serve_placemats

PATTERN = r"(?i)placemat.*\.csv$"


async def test_http_sources_get_the_configured_limits(tmp_path, registry) -> None:
    settings = Settings(_env_file=None, state_dir=tmp_path, http_timeout_seconds=3, http_max_bytes=4000,
                        max_total_drop=0.2, notify_after_failures=5,
                        source="data/snapshots/kfor/2025-02.json")  # fmt: skip
    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store, aiohttp.ClientSession() as session:
        watcher = make_watcher(
            settings, store, registry, lambda _s: None, session, location="https://example.org/r.csv"
        )
        assert isinstance(watcher.source, HttpSource)
        assert (watcher.source.timeout, watcher.source.max_bytes) == (3, 4000)
        assert watcher.plausibility.max_total_drop == 0.2 and watcher.notify_after_failures == 5
        assert watcher.meta.source.publisher == "example.org"
        default = make_watcher(settings, store, registry, lambda _s: None, None)
        assert isinstance(default.source, FileSource) and default.source.key.endswith(settings.source)


def _csv(figures: dict[str, int]) -> bytes:
    return ("nation,troops\n" + "".join(f"{nation},{troops}\n" for nation, troops in figures.items())).encode()


def _page(*hrefs: str) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">KFOR placemat</a></li>' for href in hrefs) + "</ul>"


async def test_a_configured_source_link_watches_the_newest_edition_end_to_end(tmp_path, registry) -> None:
    """Page + pattern through make_watcher: baseline, 304s, one digest per new edition, a problem naming the pattern."""
    async with serve_placemats() as server, aiohttp.ClientSession() as session:
        server.documents["/files/placemat-2025-02.csv"] = _csv(SEED_FIGURES)
        server.publish(_page("/files/placemat-2025-02.csv", "/files/placemat-2024-11.csv"))
        settings = Settings(_env_file=None, state_dir=tmp_path, source=server.page_url, source_link=PATTERN,
                            http_max_bytes=50_000)  # fmt: skip
        async with Store.open(settings.store_url) as store:
            inbox = Inbox()
            channel = RecordingDestination("channel:1", inbox)
            watcher = make_watcher(settings, store, registry, lambda s: channel, session)
            assert isinstance(watcher.source, LinkedSource) and watcher.source.max_bytes == 50_000
            await store.subscriptions.subscribe(
                destination_key="channel:1", mission="KFOR", now=dt.datetime.now(dt.UTC)
            )
            assert (await watcher.run_cycle()).status == "baseline"
            assert (await watcher.run_cycle()).status == "unchanged"
            assert [r.status for r in server.requests[-2:]] == [304, 304]  # page and document: nothing downloaded
            server.documents["/files/placemat-2025-06.csv"] = _csv(dict(SEED_FIGURES, **{"United States": 320}))
            server.publish(_page("/files/placemat-2024-11.csv", "/files/placemat-2025-06.csv"))
            result = await watcher.run_cycle()
            assert (result.status, result.sent) == ("changed", 1)
            for _ in range(2):
                assert (await watcher.run_cycle()).status == "unchanged"
            (post,) = inbox.posts
            assert post.head.summary.startswith("KFOR: 4,686 → 4,404 troops (−282")
            server.publish(_page("/files/placemat-2025-06.pdf"))
            result = await watcher.run_cycle()
            assert result.status == "problem" and f"matches the source link '{PATTERN}'" in result.problem
            assert len(inbox.posts) == 1 and (await store.snapshots.latest("KFOR")).position == 1
            health = await store.health.get(watcher.source.key)
            assert health.problem == result.problem and health.last_change_at is not None
            assert watcher.source.key == f"{server.page_url} (newest link matching {PATTERN})"
            assert server.served(PAGE_PATH)  # the page was read, the archived edition never
            assert not server.served("/files/placemat-2024-11.csv")


async def test_a_location_given_without_a_link_is_watched_as_it_is(tmp_path, registry) -> None:
    """`check --source FILE` is that file even when the configured source is a page with a pattern."""
    settings = Settings(_env_file=None, state_dir=tmp_path, source="https://example.org/", source_link=PATTERN)
    async with Store.open(settings.store_url) as store, aiohttp.ClientSession() as session:
        explicit = make_watcher(settings, store, registry, lambda _s: None, session, location="data/x.csv")
        assert isinstance(explicit.source, FileSource)
        linked = make_watcher(settings, store, registry, lambda _s: None, session, location="https://x.org/", link="p")
        assert isinstance(linked.source, LinkedSource) and linked.source.pattern == "p"
        configured = make_watcher(settings, store, registry, lambda _s: None, session)
        assert isinstance(configured.source, LinkedSource) and configured.source.pattern == PATTERN


def test_the_source_link_setting_is_checked_at_start_up(monkeypatch) -> None:
    """KFOR_SOURCE_LINK is read from the environment; empty means none; a broken pattern fails at start, named."""
    monkeypatch.setenv("KFOR_SOURCE_LINK", PATTERN)
    assert Settings(_env_file=None).source_link == PATTERN
    monkeypatch.setenv("KFOR_SOURCE_LINK", "")  # empty: unset here, so the config file's pattern applies
    assert Settings(_env_file=None).source_link == tomllib.loads(CONFIG_FILE.read_text())["source_link"]
    monkeypatch.setenv("KFOR_SOURCE_LINK", "placemat(")
    with pytest.raises(SettingsError, match=r"KFOR_SOURCE_LINK: 'placemat\(' is not a regular expression"):
        Settings(_env_file=None)


def _contributing_nations_page(*placemats: str) -> str:
    """KFOR's contributing-nations page as its structure reads (a reconstruction: this machine has no network):
    the site's menu, the text, the placemat editions among other documents, the footer."""
    editions = "".join(f'<li><a href="{href}" target="_blank">KFOR Placemat</a></li>' for href in placemats)
    return f"""<!DOCTYPE html><html lang="en-gb"><head><title>Contributing Nations</title></head><body>
<nav><ul><li><a href="/kfor/">Home</a></li><li><a href="/kfor/about-us">About us</a></li>
<li><a href="/kfor/media-center/factsheets/KFOR-Factsheet.pdf">Factsheet</a></li></ul></nav>
<main><h1>Contributing Nations</h1>
<p>KFOR is made up of troops from NATO Allies and partner countries. The KFOR placemat shows how many
troops each nation contributes.</p><ul>{editions}</ul>
<p><a href="/kfor/images/media-center/brochure/kfor-brochure.pdf">KFOR brochure (PDF)</a></p></main>
<footer><a href="https://www.nato.int/">NATO</a></footer></body></html>"""


async def test_the_configured_publication_is_the_newest_placemat_on_the_page(tmp_path, registry, monkeypatch) -> None:
    """config/kfor.toml as shipped, its page served on 127.0.0.1: the newest placemat PDF is the report, not the
    factsheet, the brochure or an older edition; NATO's placemat is read as a complete list."""
    from bot.settings import lookup
    from tests.documents import placemat_pdf

    async with serve_placemats() as server, aiohttp.ClientSession() as session:
        config = tmp_path / "kfor.toml"
        shipped = CONFIG_FILE.read_text(encoding="utf-8")
        page = tomllib.loads(shipped)["source"]
        config.write_text(shipped.replace(page, server.page_url), encoding="utf-8")
        monkeypatch.setattr(lookup, "CONFIG_FILE", config)
        settings = Settings(_env_file=None, state_dir=tmp_path)
        assert (settings.source, settings.source_complete_lists) == (server.page_url, True)
        newest = "/kfor/images/placemat/2025/KFOR-Placemat-May-2025.pdf"
        server.documents[newest] = placemat_pdf()
        server.documents["/kfor/images/placemat/2024/KFOR-Placemat-Oct-2024.pdf"] = b"%PDF-1.4 never read"
        server.publish(_contributing_nations_page("/kfor/images/placemat/2024/KFOR-Placemat-Oct-2024.pdf", newest))
        async with Store.open(settings.store_url) as store:
            watcher = make_watcher(settings, store, registry, lambda _key: None, session)
            assert watcher.publishes_complete is True
            result = await watcher.run_cycle()
            assert result.status == "baseline", result.message
        assert server.served(newest) and not server.served("/kfor/images/placemat/2024/KFOR-Placemat-Oct-2024.pdf")
        assert not server.served("/kfor/media-center/factsheets/KFOR-Factsheet.pdf")
