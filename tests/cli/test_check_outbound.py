"""`kfor-bot check` fetches only where the operator pointed it: redirects and links stay off internal hosts.

The source and its page run on 127.0.0.1 (the configured host); 127.0.0.2 stands for another machine
inside the operator's network, with an answer no team may ever read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.sources.fetch import HttpSource, SourceError, Validators
from bot.sources.guard import HopPolicy
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.local_server import serve
from tests.process import check

INTERNAL = b"nation,troops\nINTERNAL-SECRET,5\n"


@dataclass
class Servers:
    """The configured host's routes (each a redirect target or a body) and the internal host's request count."""

    public: str = ""
    internal: str = ""
    redirects: dict[str, str] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    public_requests: list[str] = field(default_factory=list)
    internal_requests: int = 0


@asynccontextmanager
async def servers() -> AsyncIterator[Servers]:
    state = Servers()

    async def public(request: web.Request) -> web.StreamResponse:
        state.public_requests.append(request.path)
        if request.path in state.redirects:
            return web.Response(status=302, headers={"Location": state.redirects[request.path]})
        if request.path in state.pages:
            kind = "text/html" if request.path.endswith("/") else "application/json"
            return web.Response(body=state.pages[request.path], content_type=kind)
        return web.Response(status=404)

    async def internal(_request: web.Request) -> web.Response:
        state.internal_requests += 1
        return web.Response(body=INTERNAL, content_type="text/csv")

    public_app, internal_app = web.Application(), web.Application()
    public_app.router.add_get("/{tail:.*}", public)
    internal_app.router.add_get("/{tail:.*}", internal)
    async with serve(public_app) as public_base, serve(internal_app, host="127.0.0.2") as internal_base:
        state.public, state.internal = public_base, internal_base
        yield state


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kfor.db'}"


async def test_a_redirect_to_an_internal_host_is_a_source_problem_naming_the_host(tmp_path: Path) -> None:
    """The source redirects to 127.0.0.2: refused before any request there; the answer is never quoted."""
    async with servers() as s:
        s.redirects["/report.csv"] = f"{s.internal}/secret.csv"
        code, out, err = await check("--source", f"{s.public}/report.csv", "--db", _db(tmp_path))
        assert code == 1 and "refused to fetch from 127.0.0.2" in err
        assert "INTERNAL-SECRET" not in out + err and s.internal_requests == 0
        assert s.public_requests == ["/report.csv"]  # refused at once: not retried three times
        assert len(err.strip().splitlines()) == 1


async def test_a_redirect_on_the_configured_host_is_followed(tmp_path: Path) -> None:
    async with servers() as s:
        s.redirects["/report.json"] = "/files/2025-02.json"
        s.pages["/files/2025-02.json"] = snapshot_of(SEED_FIGURES, "2025-02").to_json().encode()
        code, _, err = await check("--source", f"{s.public}/report.json", "--db", _db(tmp_path))
        assert code == 0 and "baseline" in err


async def test_a_redirect_to_another_scheme_is_refused(tmp_path: Path) -> None:
    async with servers() as s:
        s.redirects["/report.csv"] = "file:///etc/passwd"
        code, out, err = await check("--source", f"{s.public}/report.csv", "--db", _db(tmp_path))
        assert code == 1 and "refused to follow a link to a file: address (http(s) only)" in err
        assert "root:" not in out + err


async def test_a_linked_document_on_an_internal_host_is_refused(tmp_path: Path) -> None:
    """Whoever edits the watched page cannot make the bot read inside the operator's network."""
    async with servers() as s:
        s.pages["/kfor/"] = f'<a href="{s.internal}/placemat-2025-06.json">KFOR placemat</a>'.encode()
        code, out, err = await check(
            "--source", f"{s.public}/kfor/", "--source-link", "placemat", "--db", _db(tmp_path)
        )
        assert code == 1 and "refused to fetch from 127.0.0.2" in err
        assert "INTERNAL-SECRET" not in out + err and s.internal_requests == 0


async def test_a_redirect_loop_is_one_clear_line_and_not_retried(tmp_path: Path) -> None:
    async with servers() as s:
        s.redirects["/a"] = "/b"
        s.redirects["/b"] = "/a"
        code, _, err = await check("--source", f"{s.public}/a", "--db", _db(tmp_path))
        assert code == 1 and len(err.strip().splitlines()) == 1
        assert f"redirect loop ({s.public}/a → {s.public}/b → {s.public}/a)" in err
        assert s.public_requests == ["/a", "/b"]  # once each: a loop is no passing fault


async def test_a_host_the_operator_allows_may_be_internal() -> None:
    """The allow-list (KFOR_SOURCE_ALLOWED_HOSTS) lets a redirect reach a named internal host, and only it."""
    async with servers() as s, aiohttp.ClientSession() as session:
        s.redirects["/report.csv"] = f"{s.internal}/secret.csv"
        refused = HttpSource(f"{s.public}/report.csv", session, policy=HopPolicy.for_source(f"{s.public}/x"))
        with pytest.raises(SourceError, match=r"refused to fetch from 127\.0\.0\.2"):
            await refused.fetch(Validators())
        allowed = HopPolicy.for_source(f"{s.public}/x", ["127.0.0.2"])
        fetched = await HttpSource(f"{s.public}/report.csv", session, policy=allowed).fetch(Validators())
        assert fetched.content == INTERNAL and s.internal_requests == 1
