"""A local stand-in for Discord's webhook endpoint on 127.0.0.1: records posts, can answer 429 or hang.

discord.py's webhook client only accepts discord.com webhook URLs and sends to its API base, so
the receiver hands out a real-looking webhook URL and points discord.py's API base at itself for
as long as it runs. It answers any webhook id (:func:`webhook_url` makes more of them) and records
each post's webhook and arrival time, for tests with several webhooks and the freshness bench.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import serve

WEBHOOK_ID = "123456789012345678"
TOKEN = "t0ken-" + "x" * 62
URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{TOKEN}"


def webhook_url(index: int) -> str:
    """Another webhook of the receiver's: a distinct id (and so a distinct destination), the same token."""
    return f"https://discord.com/api/webhooks/{int(WEBHOOK_ID) + index}/{TOKEN}"


@dataclass
class WebhookReceiver:
    posts: list[dict] = field(default_factory=list)
    rate_limit_first: int = 0  # answer 429 to this many posts first
    #: The 429's Content-Type: Discord's proxies have been seen adding a charset, which discord.py does not expect.
    rate_limit_content_type: str = "application/json"
    status: int = 200
    hang: bool = False  # accept the request (and record it) and never answer
    requests: int = 0
    #: Answer this many posts, then take the rest in (recorded) and never answer them, as ``hang`` does.
    answer_first: int | None = None
    #: When set: record each post, set ``arrived``, and answer it only once ``hold`` is set.
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = URL
    api_base: str = ""  # where discord.py must send (KFOR_DISCORD_API_BASE for a `check` process)
    released: asyncio.Event = field(default_factory=asyncio.Event)  # ends hanging requests at shutdown
    #: One webhook's fault, by id (of :func:`webhook_url`), while it is here: "hang" (the post is taken in and
    #: never answered), "refuse" (404 Unknown Webhook: revoked), "odd-429" (a 429 through a proxy with an HTML
    #: body and a Retry-After that is no number, which discord.py cannot read).
    faults: dict[str, str] = field(default_factory=dict)
    #: Each recorded post's webhook id and arrival (monotonic seconds), in the order they came.
    arrivals: list[tuple[str, float]] = field(default_factory=list)

    def _record(self, request: web.Request, body: dict) -> None:
        self.posts.append(body)
        self.arrivals.append((request.match_info["webhook"], time.monotonic()))

    def to(self, index: int) -> list[dict]:
        """The posts :func:`webhook_url` ``(index)`` received."""
        return [post for post, (hook, _) in zip(self.posts, self.arrivals, strict=True)
                if hook == str(int(WEBHOOK_ID) + index)]  # fmt: skip

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.hold is not None:
            body = await _body(request)
            self._record(request, body)
            self.arrived.set()
            await self.hold.wait()
            return _json(_message(str(1000 + len(self.posts)), body))
        fault = self.faults.get(request.match_info["webhook"])
        if fault == "refuse":
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        if fault == "odd-429":
            return web.Response(body=b"<html><body>429 Too Many Requests</body></html>", status=429,
                                headers={"Content-Type": "text/html; charset=utf-8", "Retry-After": "soon",
                                         "Via": "1.1 google"})  # fmt: skip
        if self.hang or fault == "hang" or (self.answer_first is not None and len(self.posts) >= self.answer_first):
            self._record(request, await _body(request))  # it arrived; only the answer never comes
            await self.released.wait()
        if self.rate_limit_first > 0:
            self.rate_limit_first -= 1
            return _json({"message": "You are being rate limited.", "retry_after": 0.05, "global": False}, status=429,
                         headers={"Retry-After": "1", "Via": "1.1 google",  # Discord answers via a proxy
                                  "Content-Type": self.rate_limit_content_type})  # fmt: skip
        if self.status != 200:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=self.status)
        assert request.query.get("wait") in ("true", "1")  # discord.py sends 1
        body = await _body(request)
        self._record(request, body)
        return _json(_message(str(1000 + len(self.posts)), body))


async def _body(request: web.Request) -> dict:
    """A post's JSON, sent alone or as ``payload_json`` beside files (a chart): the files' names under ``_files``."""
    if not request.content_type.startswith("multipart/"):
        return await request.json()
    body: dict = {"_files": []}
    async for part in await request.multipart():
        if part.name == "payload_json":  # type: ignore[union-attr]
            body.update(json.loads(await part.text()))  # type: ignore[union-attr]
        else:
            body["_files"].append(part.filename)  # type: ignore[union-attr]
            await part.read()  # type: ignore[union-attr]
    return body


def _json(data: dict, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord sends it: discord.py reads a body as JSON only for exactly ``application/json``."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})  # fmt: skip


def _message(message_id: str, body: dict) -> dict:
    """What Discord answers to ``?wait=true``: the message that was created."""
    return {
        "id": message_id, "channel_id": "1", "type": 0, "content": body.get("content", ""),
        "embeds": body.get("embeds", []), "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
        "mention_everyone": False, "tts": False, "timestamp": "2025-06-01T12:00:00+00:00", "edited_timestamp": None,
        "flags": 0, "webhook_id": WEBHOOK_ID,
        "author": {"id": WEBHOOK_ID, "username": "kfor", "discriminator": "0000", "avatar": None, "bot": True},
    }  # fmt: skip


@asynccontextmanager
async def receive_webhooks(receiver: WebhookReceiver | None = None) -> AsyncIterator[WebhookReceiver]:
    from discord.http import Route

    receiver = receiver or WebhookReceiver()
    app = web.Application()
    app.router.add_post(f"/api/v10/webhooks/{{webhook}}/{TOKEN}", receiver.handle)
    original = Route.BASE
    async with serve(app) as base:
        receiver.api_base = Route.BASE = f"{base}/api/v10"
        try:
            yield receiver
        finally:
            Route.BASE = original
            receiver.released.set()
