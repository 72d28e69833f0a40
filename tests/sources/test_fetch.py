"""Sources: files, and HTTP against a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import aiohttp
import pytest

from bot.core.errors import UserError
from bot.sources.fetch import USER_AGENT, FileSource, HttpSource, SourceError, Validators, open_source
from tests.report_server import serve_report


async def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


async def test_200_then_304_with_etag(session) -> None:
    """The second fetch sends If-None-Match and gets 304 (no body); a new body gets a new ETag."""
    async with serve_report() as server:
        source = HttpSource(server.url, session)
        first = await source.fetch(Validators())
        assert first.content == server.body and first.validators.etag
        second = await source.fetch(first.validators)
        assert second.content is None and second.validators == first.validators
        assert server.requests[1]["If-None-Match"] == first.validators.etag
        assert server.requests[0]["User-Agent"] == USER_AGENT
        server.body = b"nation,troops\nItaly,1000\n"
        third = await source.fetch(second.validators)
        assert third.content == server.body and third.validators.etag != first.validators.etag
        assert third.content_hash != first.content_hash


async def test_5xx_is_retried_with_backoff(session) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async with serve_report() as server:
        server.failures_before_success = 2
        fetched = await HttpSource(server.url, session, backoff=1.0, sleep=record).fetch(Validators())
        assert fetched.content == server.body
        assert len(server.requests) == 3
        assert 1.0 <= waits[0] <= 1.25 and 2.0 <= waits[1] <= 2.5  # exponential, with jitter


async def test_persistent_500_is_a_source_error(session) -> None:
    async with serve_report() as server:
        server.status = 503
        with pytest.raises(SourceError, match=r"HTTP 503.*after 3 attempts"):
            await HttpSource(server.url, session, sleep=_no_sleep).fetch(Validators())
        assert len(server.requests) == 3


async def test_404_is_not_retried(session) -> None:
    async with serve_report() as server:
        server.status = 404
        with pytest.raises(SourceError, match="HTTP 404"):
            await HttpSource(server.url, session, sleep=_no_sleep).fetch(Validators())
        assert len(server.requests) == 1


async def test_timeouts_are_retried_then_reported(session) -> None:
    async with serve_report() as server:
        server.delay = 0.5
        with pytest.raises(SourceError, match="Timeout"):
            await HttpSource(server.url, session, timeout=0.05, attempts=2, sleep=_no_sleep).fetch(Validators())
        assert len(server.requests) == 2


@pytest.mark.parametrize("declare_length", [True, False])
async def test_oversized_bodies_are_refused(session, declare_length: bool) -> None:
    """Over the cap with or without a Content-Length header: an error, never a half-read report."""
    async with serve_report() as server:
        server.body = b"x" * 300_000
        server.declare_length = declare_length
        with pytest.raises(SourceError, match="cap"):
            await HttpSource(server.url, session, max_bytes=100_000).fetch(Validators())


async def test_garbage_bytes_are_a_source_error(session) -> None:
    async with serve_report() as server:
        server.body = b"\xff\xfe\x00garbage\x80"
        fetched = await HttpSource(server.url, session).fetch(Validators())
        with pytest.raises(SourceError, match="not UTF-8"):
            fetched.text()


async def test_unreachable_host_is_a_source_error(session) -> None:
    with pytest.raises(SourceError, match="after 2 attempts"):
        await HttpSource("http://127.0.0.1:9/report.csv", session, attempts=2, sleep=_no_sleep).fetch(Validators())


async def test_file_source(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("nation,troops\nItaly,5\n")
    fetched = await FileSource(path).fetch(Validators())
    assert fetched.text().startswith("nation") and fetched.name == "r.csv"
    with pytest.raises(SourceError, match="cannot read"):
        await FileSource(tmp_path / "missing.csv").fetch(Validators())


def test_only_http_https_and_files(tmp_path) -> None:
    assert isinstance(open_source("data/x.json", None, base=tmp_path), FileSource)
    assert open_source("data/x.json", None, base=tmp_path).key == str(tmp_path / "data/x.json")
    for location in ("ftp://example.org/x.csv", "gopher://x", "javascript:alert(1)"):
        with pytest.raises(UserError, match="only http"):
            open_source(location, None)


async def test_the_content_type_travels_with_the_body(session) -> None:
    """HTTP hands on the server's Content-Type (a format hint for ingest_document) and asks for pages and PDFs too."""
    async with serve_report() as server:
        server.content_type = "application/pdf"
        fetched = await HttpSource(server.url, session).fetch(Validators())
        assert fetched.content_type == "application/pdf"
        assert "application/pdf" in server.requests[0]["Accept"]
        assert "text/html" in server.requests[0]["Accept"]
