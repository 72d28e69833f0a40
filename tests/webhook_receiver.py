"""A local stand-in for a Discord webhook endpoint on 127.0.0.1: records posts, can answer 429 first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import serve


@dataclass
class WebhookReceiver:
    posts: list[dict] = field(default_factory=list)
    rate_limit_first: int = 0  # answer 429 to this many posts first
    status: int = 200
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        if self.rate_limit_first > 0:
            self.rate_limit_first -= 1
            return web.json_response({"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
                                     status=429, headers={"Retry-After": "1"})  # fmt: skip
        if self.status != 200:
            return web.json_response({"message": "Unknown Webhook", "code": 10015}, status=self.status)
        assert request.query.get("wait") == "true"
        self.posts.append(await request.json())
        return web.json_response({"id": str(1000 + len(self.posts))},
                                 headers={"X-RateLimit-Remaining": "4", "X-RateLimit-Reset-After": "0.01"})  # fmt: skip


@asynccontextmanager
async def receive_webhooks(receiver: WebhookReceiver | None = None) -> AsyncIterator[WebhookReceiver]:
    receiver = receiver or WebhookReceiver()
    app = web.Application()
    app.router.add_post("/api/webhooks/1/secret-token", receiver.handle)
    async with serve(app) as base:
        receiver.url = f"{base}/api/webhooks/1/secret-token"
        yield receiver
