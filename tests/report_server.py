"""A real aiohttp server on 127.0.0.1 that serves a report the tests can change, break or slow down."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import serve


@dataclass
class ReportServer:
    """What the server answers on /report.csv; tests mutate these fields between requests."""

    body: bytes = b"nation,troops\nItaly,1258\n"
    content_type: str = "text/csv"
    status: int = 200
    delay: float = 0.0
    use_etag: bool = True
    declare_length: bool = True
    failures_before_success: int = 0  # answer 500 this many times first
    rate_limited_before_success: int = 0  # answer 429 (Retry-After: 0) this many times first
    last_modified: str | None = None  # sent as Last-Modified when set
    hang: bool = False  # accept the request and never answer
    drip: float = 0.0  # send the body one byte every this many seconds
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    #: The same report at an address without a suffix: its format is then told by its type and content.
    bare_url: str = ""
    released: asyncio.Event = field(default_factory=asyncio.Event)  # ends hanging and dripping answers at shutdown

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        if self.hang:
            await self.released.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.rate_limited_before_success > 0:
            self.rate_limited_before_success -= 1
            return web.Response(status=429, text="slow down", headers={"Retry-After": "0"})
        if self.drip:
            return await self._drip(request)
        if self.failures_before_success > 0:
            self.failures_before_success -= 1
            return web.Response(status=500, text="upstream error")
        if self.status != 200:
            return web.Response(status=self.status, text="error")
        etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
        if self.use_etag and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"Content-Type": self.content_type} | ({"ETag": etag} if self.use_etag else {})
        headers |= {"Last-Modified": self.last_modified} if self.last_modified else {}
        if self.declare_length:
            return web.Response(body=self.body, headers=headers)
        response = web.StreamResponse(headers=headers)  # chunked: no Content-Length
        await response.prepare(request)
        for start in range(0, len(self.body), 8192):
            await response.write(self.body[start : start + 8192])
        await response.write_eof()
        return response

    async def _drip(self, request: web.Request) -> web.StreamResponse:
        """A 200 whose body arrives one byte at a time: every read succeeds, the whole never ends in time."""
        response = web.StreamResponse(headers={"Content-Type": "text/csv"})
        await response.prepare(request)
        for byte in self.body:
            if self.released.is_set():
                break
            await response.write(bytes([byte]))
            await asyncio.sleep(self.drip)
        return response


@asynccontextmanager
async def serve_report(server: ReportServer | None = None) -> AsyncIterator[ReportServer]:
    server = server or ReportServer()
    app = web.Application()
    app.router.add_get("/report.csv", server.handle)
    app.router.add_get("/report", server.handle)
    async with serve(app) as base:
        server.url, server.bare_url = f"{base}/report.csv", f"{base}/report"
        try:
            yield server
        finally:
            server.released.set()
