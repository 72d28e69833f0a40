"""A stand-in for Discord's REST API on 127.0.0.1 that enforces the global rate limit as Discord does.

Past ``limit`` requests in any second (a sliding window, the strictest reading of "50 per second")
it answers 429 with ``global: true`` and ``X-RateLimit-Global``, as Discord does, and counts the
refusal. It serves what a login and a digest need: the bot's own user and application, messages in
any channel (each channel its own route bucket, as on Discord) and threads on them. Used by the pacing
tests and `make bench`.
"""

from __future__ import annotations

import collections
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from tests.local_server import serve

BOT_ID = "111111111111111111"


@dataclass
class DiscordStandIn:
    limit: int = 50
    #: Messages accepted, by channel id; global 429s sent; every request's arrival (monotonic seconds).
    messages: dict[str, list[dict]] = field(default_factory=lambda: collections.defaultdict(list))
    global_429: int = 0
    arrivals: list[float] = field(default_factory=list)
    api_base: str = ""
    _window: collections.deque[float] = field(default_factory=collections.deque)
    _next_id: int = 10**17

    def _over_limit(self) -> float | None:
        """Seconds until the window has room, when this request is one too many; None when it fits."""
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= self.limit:
            return self._window[0] + 1.0 - now
        self._window.append(now)
        self.arrivals.append(now)
        return None

    @web.middleware
    async def limited(self, request: web.Request, handler):  # type: ignore[no-untyped-def]
        retry_after = self._over_limit()
        if retry_after is not None:
            self.global_429 += 1
            body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": True}
            return _json(body, 429, {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global", "Via": "1.1 google",
                                     "Retry-After": str(max(1, round(retry_after)))})  # fmt: skip
        return await handler(request)

    async def me(self, _request: web.Request) -> web.Response:
        return _json({"id": BOT_ID, "username": "kfor", "discriminator": "0000", "avatar": None, "bot": True})

    async def application(self, _request: web.Request) -> web.Response:
        owner = {"id": "222222222222222222", "username": "owner", "discriminator": "0000", "avatar": None}
        return _json({"id": BOT_ID, "name": "kfor", "description": "", "icon": None, "bot_public": False,
                      "bot_require_code_grant": False, "owner": owner, "verify_key": "0" * 64, "flags": 0})  # fmt: skip

    async def send(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        body = await _body(request)
        self.messages[channel].append(body)
        self._next_id += 1
        return _json(_message(str(self._next_id), channel, body), 200, _bucket(channel))

    async def thread(self, request: web.Request) -> web.Response:
        channel, message = request.match_info["channel"], request.match_info["message"]
        body = await request.json()
        return _json({"id": message, "type": 11, "parent_id": channel, "name": body.get("name", ""),
                      "guild_id": "1", "owner_id": BOT_ID, "thread_metadata": {"archived": False,
                      "auto_archive_duration": 1440, "archive_timestamp": "2025-06-01T12:00:00+00:00",
                      "locked": False}})  # fmt: skip


async def _body(request: web.Request) -> dict:
    """A message's JSON, sent alone or as the ``payload_json`` part of a multipart upload (a chart)."""
    if request.content_type.startswith("multipart/"):
        async for part in await request.multipart():
            if getattr(part, "name", None) == "payload_json":
                return json.loads(await part.text())  # type: ignore[union-attr]
        return {}
    return await request.json()


def _bucket(channel: str) -> dict[str, str]:
    """Each channel its own route bucket with room to spare, as Discord answers a message."""
    return {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4", "X-RateLimit-Reset-After": "1",
            "X-RateLimit-Bucket": f"messages-{channel}"}  # fmt: skip


def _json(data: dict, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})  # fmt: skip


def _message(message_id: str, channel: str, body: dict) -> dict:
    return {
        "id": message_id, "channel_id": channel, "type": 0, "content": body.get("content") or "",
        "embeds": body.get("embeds", []), "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
        "mention_everyone": False, "tts": False, "timestamp": "2025-06-01T12:00:00+00:00", "edited_timestamp": None,
        "flags": 0, "author": {"id": BOT_ID, "username": "kfor", "discriminator": "0000", "avatar": None, "bot": True},
    }  # fmt: skip


def busiest_second(arrivals: list[float]) -> int:
    """The most requests that arrived in any one second (a sliding window over the arrivals)."""
    best, start = 0, 0
    for end, moment in enumerate(arrivals):
        while arrivals[start] <= moment - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@asynccontextmanager
async def discord_standin(standin: DiscordStandIn | None = None) -> AsyncIterator[DiscordStandIn]:
    """Serve the stand-in and point discord.py's API base at it for as long as it runs."""
    from discord.http import Route

    standin = standin or DiscordStandIn()
    app = web.Application(middlewares=[standin.limited])
    app.router.add_get("/api/v10/users/@me", standin.me)
    app.router.add_get("/api/v10/oauth2/applications/@me", standin.application)
    app.router.add_post("/api/v10/channels/{channel}/messages", standin.send)
    app.router.add_post("/api/v10/channels/{channel}/messages/{message}/threads", standin.thread)
    original = Route.BASE
    async with serve(app) as base:
        standin.api_base = Route.BASE = f"{base}/api/v10"
        try:
            yield standin
        finally:
            Route.BASE = original
