"""Feeds read from a real aiohttp server on 127.0.0.1: RSS and Atom, 304s, and what is not a feed."""

from __future__ import annotations

import datetime as dt
import gzip

import aiohttp
import pytest
from aiohttp import web

from bot.sources.feeds import entry_key, open_feed, parse_feed, read_feed
from bot.sources.fetch import HttpSource, SourceError, Validators
from tests.feed_fixtures import ATOM_ENTRIES, RSS_ITEMS, atom, rss
from tests.local_server import serve
from tests.report_server import ReportServer, serve_report


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


async def test_an_rss_feed_is_read_once_and_then_costs_a_304(session) -> None:
    """The entries come with title, text, link and date; the next poll sends the ETag and parses nothing."""
    async with serve_report(ReportServer(body=rss(), content_type="application/rss+xml")) as server:
        source = HttpSource(server.bare_url, session)
        first = await read_feed(source, Validators())
        assert first.entries is not None
        assert [e.title for e in first.entries] == [item[2] for item in RSS_ITEMS]
        entry = first.entries[0]
        assert entry.link == RSS_ITEMS[0][0] and "zweihundertzwanzig" in entry.summary
        assert entry.published == dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
        second = await read_feed(source, first.validators)
        assert second.entries is None
        assert server.requests[1]["If-None-Match"] == first.validators.etag


async def test_an_atom_feed_is_read_with_its_html_summary(session) -> None:
    """Atom entries give their link, updated date and summary (markup is the claims' to strip)."""
    async with serve_report(ReportServer(body=atom(), content_type="application/atom+xml")) as server:
        read = await read_feed(open_feed(server.bare_url, session), Validators())
    assert read.entries is not None
    assert [(e.link, e.title) for e in read.entries] == [(link, title) for link, _, title, _, _ in ATOM_ENTRIES]
    assert "<b>200 more troops</b>" in read.entries[0].summary
    assert read.entries[0].published == dt.datetime(2025, 3, 11, 8, 0, tzinfo=dt.UTC)


def test_a_feed_on_disk_is_a_source_too(tmp_path) -> None:
    """A path is read as a file source, within the same cap."""
    (tmp_path / "feed.xml").write_bytes(atom())
    source = open_feed("feed.xml", None, tmp_path)
    assert source.key == str(tmp_path / "feed.xml")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "the feed is empty"),
        (b"<!doctype html><html><body><h1>News</h1><p>Not a feed</p></body></html>", "not an RSS or Atom feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut', "the feed is broken"),
    ],
)
async def test_what_is_not_a_feed_is_a_source_problem(session, body: bytes, problem: str) -> None:
    """An empty body, a page of HTML, XML cut off before its first entry: a problem, and no entry."""
    async with serve_report(ReportServer(body=body, content_type="text/html")) as server:
        with pytest.raises(SourceError, match=problem):
            await read_feed(HttpSource(server.bare_url, session, attempts=1), Validators())


async def test_a_gzip_bomb_stops_at_the_size_cap(session) -> None:
    """A small compressed body that inflates past the cap is refused while it is read."""
    bomb = gzip.compress(b"<rss>" + b" " * 5_000_000)

    async def handle(_request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})

    app = web.Application()
    app.router.add_get("/feed", handle)
    async with serve(app) as base:
        with pytest.raises(SourceError, match="over the"):
            await read_feed(HttpSource(f"{base}/feed", session, max_bytes=1_000_000, attempts=1), Validators())


def test_an_entry_reissued_with_a_new_guid_or_tracking_parameters_keeps_its_key() -> None:
    """The key is the story's address, not the feed's GUID: a re-issue is the same entry."""
    first = parse_feed(rss())[0]
    reissued = parse_feed(rss([("https://bmvg.example/kfor-verstaerkung/#top", "bmvg-99", "Bundeswehr verstärkt "
                                "die KFOR", "Neu formuliert.", "Tue, 11 Mar 2025 09:00:00 GMT")]))[0]  # fmt: skip
    assert reissued.key == first.key
    assert entry_key(None, "tag:1", "A") != entry_key(None, "tag:2", "A")
    assert entry_key(None, None, "Same  Title") == entry_key(None, None, "same title")
