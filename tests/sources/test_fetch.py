"""Sources: files, HTTP and linked pages, against real aiohttp servers on 127.0.0.1."""

from __future__ import annotations

import aiohttp
import pytest

from bot.core.errors import UserError
from bot.sources.fetch import (
    USER_AGENT,
    FileSource,
    HttpSource,
    LinkedSource,
    SourceError,
    Validators,
    open_source,
)
from tests.placemat_server import PAGE_PATH, PlacematServer, serve_placemats
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


async def test_a_hanging_source_is_a_problem_within_the_timeout_not_attempts_times_it(session) -> None:
    """One deadline for the whole fetch: a server that never answers in time gets one request, not three."""
    async with serve_report() as server:
        server.delay = 0.5
        with pytest.raises(SourceError, match=r"no answer within 0.1 s \(after 1 attempt\)"):
            await HttpSource(server.url, session, timeout=0.1, attempts=3, sleep=_no_sleep).fetch(Validators())
        assert len(server.requests) == 1


@pytest.mark.parametrize("declare_length", [True, False])
async def test_oversized_bodies_are_refused(session, declare_length: bool) -> None:
    """Over the cap with or without a Content-Length header: an error, never a half-read report."""
    async with serve_report() as server:
        server.body = b"x" * 300_000
        server.declare_length = declare_length
        with pytest.raises(SourceError, match="cap"):
            await HttpSource(server.url, session, max_bytes=100_000).fetch(Validators())


async def test_garbage_bytes_arrive_as_they_are_and_are_refused_as_no_report(session, registry) -> None:
    """The source hands on bytes untouched; reading them (documents.py) says they are not a text report."""
    from bot.sources.documents import ingest_document
    from tests.alerts.conftest import META

    async with serve_report() as server:
        server.body = b"\xff\xfe\x00garbage\x80"
        fetched = await HttpSource(server.url, session).fetch(Validators())
        assert fetched.content == server.body
        result = ingest_document(fetched.content, META, registry, fetched.name, fetched.content_type)
        assert result.snapshot is None and "not a text report" in result.errors[0].message


async def test_unreachable_host_is_a_source_error(session) -> None:
    with pytest.raises(SourceError, match="after 2 attempts"):
        await HttpSource("http://127.0.0.1:9/report.csv", session, attempts=2, sleep=_no_sleep).fetch(Validators())


async def test_file_source(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("nation,troops\nItaly,5\n")
    fetched = await FileSource(path).fetch(Validators())
    assert fetched.content == b"nation,troops\nItaly,5\n" and fetched.name == "r.csv"
    with pytest.raises(SourceError, match="cannot read"):
        await FileSource(tmp_path / "missing.csv").fetch(Validators())


def test_only_http_https_and_files(tmp_path) -> None:
    assert isinstance(open_source("data/x.json", None, base=tmp_path), FileSource)
    assert open_source("data/x.json", None, base=tmp_path).key == str(tmp_path / "data/x.json")
    for location in ("ftp://example.org/x.csv", "gopher://x", "javascript:alert(1)"):
        with pytest.raises(UserError, match="only http"):
            open_source(location, None)


# -- linked sources: a page and a link pattern ------------------------------------------------------

PATTERN = r"(?i)placemat.*\.csv$"


def _placemat(troops: int) -> bytes:
    return f"nation,troops\nItaly,{troops}\nGermany,269\n".encode()


def _listing(server: PlacematServer, *newer: str) -> str:
    """The page: ``newer`` links first, then every kind of link a real page holds, in mixed date styles."""
    return (
        "<html><body><h1>KFOR placemat</h1><ul>"
        + "".join(newer)
        + f"""
        <li><a href="javascript:open('/files/placemat.csv')">placemat-2099-12-31.csv</a></li>
        <li><a href="file:///srv/placemat-2099-12-31.csv">Placemat (local copy)</a></li>
        <li><a href="/files/placemat-current.csv">KFOR placemat (current)</a></li>
        <li><a href="files/placemat_2024_10.csv">October 2024</a></li>
        <li><a href="{server.base}/files/placemat-2025-02-25.csv">Placemat</a></li>
        <li><a href="/files/kfor-placemat.csv">Placemat, November 2024</a></li>
        <li><a href="/news/troops-2026-01-01.csv">Troop news, 1 January 2026</a></li>
    </ul></body></html>"""
    )


@pytest.fixture
async def placemats():
    async with serve_placemats() as server:
        server.documents = {
            "/files/placemat-current.csv": _placemat(1),
            "/kfor/placemat/files/placemat_2024_10.csv": _placemat(2),
            "/files/placemat-2025-02-25.csv": _placemat(1258),
            "/files/kfor-placemat.csv": _placemat(3),
            "/news/troops-2026-01-01.csv": _placemat(4),
        }
        server.publish(_listing(server))
        yield server


async def test_linked_source_fetches_the_newest_matching_link(session, placemats) -> None:
    """Among relative, absolute, undated, text-dated, non-matching and javascript:/file: links: the newest match."""
    fetched = await LinkedSource(placemats.page_url, PATTERN, session).fetch(Validators())
    assert fetched.name == "placemat-2025-02-25.csv"
    assert fetched.content == _placemat(1258) and fetched.url == f"{placemats.base}/files/placemat-2025-02-25.csv"
    assert [r.path for r in placemats.requests] == [PAGE_PATH, "/files/placemat-2025-02-25.csv"]


async def test_a_newer_edition_on_the_page_is_fetched_next_under_the_same_key(session, placemats) -> None:
    """The page lists a newer (relative) link: the next fetch returns it, in full, and the key does not move."""
    source = LinkedSource(placemats.page_url, PATTERN, session)
    first = await source.fetch(Validators())
    key = source.key
    placemats.documents["/kfor/placemat/files/placemat_2025_06.csv"] = _placemat(1300)
    placemats.publish(_listing(placemats, '<li><a href="files/placemat_2025_06.csv">Placemat June 2025</a></li>'))
    second = await source.fetch(first.validators)
    assert (second.name, second.content) == ("placemat_2025_06.csv", _placemat(1300))
    (new,) = placemats.served("/kfor/placemat/files/placemat_2025_06.csv")
    assert (new.status, new.if_none_match) == (200, None)  # the old edition's ETag is not sent to the new one
    assert source.key == key == f"{placemats.page_url} (newest link matching {PATTERN})"


async def test_a_page_without_a_matching_link_is_read_itself(session, placemats) -> None:
    """No edition linked: the page may carry the table itself, so it is the report (its parser says if it is
    not one); unchanged, it costs one conditional request and is no news."""
    page = '<a href="/files/placemat.pdf">PDF only</a> <a href="javascript:placemat.csv">x</a><table></table>'
    placemats.publish(page)
    source = LinkedSource(placemats.page_url, PATTERN, session)
    fetched = await source.fetch(Validators())
    assert fetched.content == page.encode() and fetched.url == placemats.page_url
    again = await source.fetch(fetched.validators)
    assert again.content is None
    assert [(r.path, r.status) for r in placemats.requests] == [(PAGE_PATH, 200), (PAGE_PATH, 304)]


async def test_an_unchanged_page_and_document_cost_no_download(session, placemats) -> None:
    """Page by Last-Modified, document by ETag: 304s while nothing changes; a document replaced in place is fetched."""
    source = LinkedSource(placemats.page_url, PATTERN, session)
    doc = "/files/placemat-2025-02-25.csv"
    first = await source.fetch(Validators())
    second = await source.fetch(first.validators)
    assert second.content is None and second.name == "placemat-2025-02-25.csv"
    assert [(r.path, r.status) for r in placemats.requests[2:]] == [(PAGE_PATH, 304), (doc, 304)]
    assert placemats.requests[2].if_modified_since and placemats.requests[3].if_none_match
    placemats.publish(_listing(placemats, '<li><a href="/about">About KFOR</a></li>'))  # same newest link
    third = await source.fetch(second.validators)
    assert third.content is None
    assert [(r.path, r.status) for r in placemats.requests[4:]] == [(PAGE_PATH, 200), (doc, 304)]
    placemats.documents[doc] = _placemat(1200)  # corrected in place, same address
    fourth = await source.fetch(third.validators)
    assert fourth.content == _placemat(1200)
    assert [(r.path, r.status) for r in placemats.requests[6:]] == [(PAGE_PATH, 304), (doc, 200)]
    assert len(placemats.served(doc, 200)) == 2  # the first download and the corrected one, nothing else


async def test_relative_links_resolve_against_the_page_address_after_redirects(session, placemats) -> None:
    """/kfor/placemat redirects to /kfor/placemat/: files/x.csv is under the latter, as in a browser."""
    placemats.redirects["/kfor/placemat"] = PAGE_PATH
    placemats.publish('<a href="files/placemat_2024_10.csv">Placemat</a>')
    fetched = await LinkedSource(placemats.base + "/kfor/placemat", PATTERN, session).fetch(Validators())
    assert fetched.content == _placemat(2)


async def test_linked_sources_keep_the_http_limits(session, placemats) -> None:
    """The page is held to the source's byte cap like any HTTP source; a missing document is a source error too."""
    source = LinkedSource(placemats.page_url, PATTERN, session, max_bytes=1000, attempts=2, sleep=_no_sleep)
    placemats.publish(_listing(placemats) + " " * 2000)
    with pytest.raises(SourceError, match="cap"):
        await source.fetch(Validators())
    placemats.publish(_listing(placemats))
    del placemats.documents["/files/placemat-2025-02-25.csv"]
    with pytest.raises(SourceError, match=r"placemat-2025-02-25\.csv: HTTP 404"):
        await source.fetch(Validators())


def test_open_source_with_a_link_pattern(tmp_path) -> None:
    """A pattern makes an http(s) page a linked source; a file with a pattern, or a broken pattern, is refused."""
    session = object()  # never used: nothing is fetched here
    source = open_source("https://www.example.org/placemat", session, link=PATTERN)  # type: ignore[arg-type]
    assert isinstance(source, LinkedSource) and source.key.startswith("https://www.example.org/placemat (")
    assert isinstance(open_source("https://www.example.org/p", session, link=""), HttpSource)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="needs an http"):
        open_source("data/page.html", None, base=tmp_path, link=PATTERN)
    with pytest.raises(UserError, match="not a regular expression"):
        open_source("https://www.example.org/placemat", session, link="placemat(")  # type: ignore[arg-type]


async def test_the_content_type_travels_with_the_body(session) -> None:
    """HTTP hands on the server's Content-Type (a format hint for ingest_document) and asks for pages and PDFs too."""
    async with serve_report() as server:
        server.content_type = "application/pdf"
        fetched = await HttpSource(server.url, session).fetch(Validators())
        assert fetched.content_type == "application/pdf"
        assert "application/pdf" in server.requests[0]["Accept"]
        assert "text/html" in server.requests[0]["Accept"]


def test_internal_addresses_are_told_from_public_ones() -> None:
    """Loopback, private, link-local (a cloud's metadata), shared and mapped addresses are internal."""
    import ipaddress

    from bot.sources.guard import is_internal

    internal = ["127.0.0.2", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "100.64.0.1", "0.0.0.0",  # noqa: S104 - an address to judge
                "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1"]  # fmt: skip
    assert all(is_internal(ipaddress.ip_address(a)) for a in internal)
    assert not any(is_internal(ipaddress.ip_address(a)) for a in ["8.8.8.8", "2606:4700::1111", "151.101.1.1"])


def test_the_connected_peer_is_checked_again_before_the_body_is_read() -> None:
    """A name that resolved to a public address for the check but connected to an internal one (DNS rebinding)."""
    from bot.sources.guard import HopPolicy, RefusedHop

    policy = HopPolicy.for_source("https://nato.example/page", ["files.internal"])
    with pytest.raises(RefusedHop, match=r"refused to read from cdn\.example"):
        policy.check_peer("https://cdn.example/placemat.pdf", ("10.0.0.7", 443))
    policy.check_peer("https://cdn.example/placemat.pdf", ("151.101.1.1", 443))  # public: read
    policy.check_peer("https://nato.example/placemat.pdf", ("127.0.0.1", 443))  # the configured host: as configured
    policy.check_peer("https://files.internal/placemat.pdf", ("10.0.0.7", 443))  # the operator allowed it
