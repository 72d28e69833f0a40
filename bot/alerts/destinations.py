"""Where digests go: Discord channels (through the bot), Discord webhooks, the console.

Every destination takes the same :class:`Post` and returns a reference to what it sent. The
Discord-channel destination lives in :mod:`bot.discord.destination`, so that this module
(and ``kfor-bot check``) never imports discord.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.alerts.identity import CONSOLE_KEY, channel_key, webhook_key
from bot.briefings.model import Briefing
from bot.briefings.render.embeds import render_embeds
from bot.sources.location import USER_AGENT

if TYPE_CHECKING:
    import aiohttp

__all__ = ["CONSOLE_KEY", "ConsoleDestination", "DeliveryError", "Destination", "Post", "WebhookDestination",
           "channel_key", "webhook_key"]  # fmt: skip

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Sending failed. ``permanent`` errors (a deleted channel, a revoked webhook) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Post:
    """One alert to send: a head briefing, optionally a thread with a detail briefing in it."""

    head: Briefing
    detail: Briefing | None = None
    thread_name: str | None = None
    mention_role_id: int | None = None
    nonce: str = ""
    ref: str = ""


class Destination(Protocol):
    key: str

    async def send(self, post: Post, *, retry: bool) -> str | None:
        """Send ``post``; ``retry`` is true when an earlier attempt may have reached the destination."""
        ...


@dataclass(slots=True)
class ConsoleDestination:
    """Prints digests (the console transport and ``kfor-bot check``)."""

    write: Callable[[Briefing], None]
    key: str = CONSOLE_KEY

    async def send(self, post: Post, *, retry: bool) -> str | None:
        self.write(post.head)
        if post.detail is not None:
            self.write(post.detail)
        return None


@dataclass(slots=True)
class WebhookDestination:
    """A Discord webhook URL: the same embeds, no bot needed; honours Discord's rate limits.

    A webhook cannot open a thread in a text channel, so the detail table follows as a second message.
    """

    url: str
    session: aiohttp.ClientSession
    max_attempts: int = 5
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or webhook_key(self.url)

    async def send(self, post: Post, *, retry: bool) -> str | None:
        allowed = {"parse": [], "roles": [str(post.mention_role_id)] if post.mention_role_id else []}
        content = f"<@&{post.mention_role_id}>" if post.mention_role_id else None
        first, *rest = self._messages(post)
        payload = {"embeds": first, "allowed_mentions": allowed}
        if content:
            payload["content"] = content
        message_id = await self._post(payload)  # a failure here fails the delivery: nothing was shown
        for embeds in rest:  # once the head is out, never repeat it because a follow-up failed
            try:
                await self._post({"embeds": embeds, "allowed_mentions": {"parse": []}})
            except DeliveryError as exc:
                log.warning("Webhook %s: the head was sent but a follow-up failed: %s", self.key, exc)
                break
        return message_id

    @staticmethod
    def _messages(post: Post) -> list[list[dict]]:
        messages = render_embeds(post.head)
        if post.detail is not None:
            messages += render_embeds(post.detail)
        return messages

    async def _post(self, payload: dict) -> str | None:
        import aiohttp

        for attempt in range(1, self.max_attempts + 1):
            try:
                async with self.session.post(
                    self.url, params={"wait": "true"}, json=payload, headers={"User-Agent": USER_AGENT},
                    timeout=aiohttp.ClientTimeout(total=20),
                ) as response:  # fmt: skip
                    if response.status == 429:
                        wait = await _retry_after(response)
                        log.warning("Webhook rate-limited; waiting %.2f s", wait)
                        await asyncio.sleep(wait)
                        continue
                    if response.status in (401, 403, 404):
                        raise DeliveryError(f"webhook refused the message (HTTP {response.status})", permanent=True)
                    if response.status >= 500:
                        await asyncio.sleep(min(2**attempt, 30))
                        continue
                    if response.status >= 400:
                        raise DeliveryError(f"webhook rejected the message: HTTP {response.status} "
                                            f"{(await response.text())[:200]}", permanent=True)  # fmt: skip
                    data = await response.json(content_type=None)
                    if response.headers.get("X-RateLimit-Remaining") == "0":  # the bucket is empty: wait it out
                        await asyncio.sleep(float(response.headers.get("X-RateLimit-Reset-After", "0") or 0))
                    return str(data.get("id")) if isinstance(data, dict) and data.get("id") else None
            except (TimeoutError, aiohttp.ClientError) as exc:
                if attempt == self.max_attempts:
                    raise DeliveryError(f"webhook unreachable: {type(exc).__name__}") from None
                await asyncio.sleep(min(2**attempt, 30))
        raise DeliveryError(f"webhook still failing after {self.max_attempts} attempts")


async def _retry_after(response: aiohttp.ClientResponse) -> float:
    """Seconds to wait after a 429: the JSON body's retry_after, else the headers; capped at 60."""
    try:
        body = await response.json(content_type=None)
        value = float(body.get("retry_after"))
    except (ValueError, TypeError, AttributeError):
        value = float(response.headers.get("Retry-After") or response.headers.get("X-RateLimit-Reset-After") or 1)
    return min(max(value, 0.0), 60.0)
