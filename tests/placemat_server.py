"""A real aiohttp server on 127.0.0.1: a page that links to the editions of a placemat, and the editions.

The page answers conditional requests by Last-Modified and the documents by ETag, so a linked
source meets both kinds of validators. Every request is logged with what it asked and the answer,
so tests can tell a download from a 304.
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import serve

PAGE_PATH = "/kfor/placemat/"
#: 1 January 2025, 00:00 UTC: the page's first Last-Modified.
_EPOCH = 1_735_689_600


@dataclass(frozen=True)
class Request:
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class PlacematServer:
    """What the server answers; tests change the page and the documents between fetches."""

    page: str = ""
    documents: dict[str, bytes] = field(default_factory=dict)  # absolute path → bytes
    redirects: dict[str, str] = field(default_factory=dict)  # absolute path → absolute path
    base: str = ""
    requests: list[Request] = field(default_factory=list)
    _edition: int = 0

    @property
    def page_url(self) -> str:
        return self.base + PAGE_PATH

    def publish(self, html: str) -> None:
        """A new version of the page, with a later Last-Modified."""
        self.page = html
        self._edition += 1

    def served(self, path: str, status: int | None = None) -> list[Request]:
        """The requests for ``path`` (with that answer, when given)."""
        return [r for r in self.requests if r.path == path and (status is None or r.status == status)]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = self._answer(request)
        self.requests.append(Request(request.path, response.status, request.headers.get("If-None-Match"),
                                     request.headers.get("If-Modified-Since")))  # fmt: skip
        return response

    def _answer(self, request: web.Request) -> web.StreamResponse:
        if request.path in self.redirects:
            return web.Response(status=301, headers={"Location": self.redirects[request.path]})
        if request.path == PAGE_PATH:
            modified = email.utils.formatdate(_EPOCH + 86_400 * self._edition, usegmt=True)
            if request.headers.get("If-Modified-Since") == modified:
                return web.Response(status=304, headers={"Last-Modified": modified})
            return web.Response(text=self.page, content_type="text/html", headers={"Last-Modified": modified})
        body = self.documents.get(request.path)
        if body is None:
            return web.Response(status=404, text="not found")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="text/csv", headers={"ETag": etag})


@asynccontextmanager
async def serve_placemats(server: PlacematServer | None = None) -> AsyncIterator[PlacematServer]:
    server = server or PlacematServer()
    app = web.Application()
    app.router.add_get("/{path:.*}", server.handle)
    async with serve(app) as base:
        server.base = base
        yield server
