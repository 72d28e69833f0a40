"""Where digests go: Discord channels (through the bot), Discord webhooks, the console.

Every destination takes the same :class:`Post` and returns a reference to what it sent. The
Discord-channel destination lives in :mod:`bot.discord.destination`, so that this module
(and ``kfor-bot check``) never imports discord.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from pydantic import TypeAdapter

from bot.alerts.identity import CONSOLE_KEY, canonical_webhook_url, channel_key, webhook_key
from bot.briefings.model import Briefing, ChartRequest
from bot.briefings.render.embeds import one_message
from bot.core.durations import seconds

if TYPE_CHECKING:
    import aiohttp
    import discord

__all__ = ["CONSOLE_KEY", "ConsoleDestination", "DeliveryError", "Destination", "Post", "WebhookDestination",
           "channel_key", "webhook_key"]  # fmt: skip

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Sending failed.

    ``permanent`` errors (a deleted channel, a revoked webhook) are not retried. ``unknown``: the
    request went out and no answer came back, so the message may have arrived; it is retried at
    most once, and only where the destination can tell whether it arrived.
    """

    def __init__(self, message: str, *, permanent: bool = False, unknown: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.unknown = unknown


@dataclass(frozen=True, slots=True)
class Post:
    """One message to deliver — a digest, a problem notice or a scheduled briefing — and its thread.

    It is stored with its claim (:meth:`to_json`), so whichever process resumes an interrupted
    delivery sends exactly what the first one meant to, with the same nonce and reference.
    """

    head: Briefing
    detail: Briefing | None = None
    thread_name: str | None = None
    mention_role_id: int | None = None
    nonce: str = ""
    ref: str = ""
    #: When the delivery was first claimed: a retry looks for the message among those sent since.
    claimed_at: dt.datetime | None = None
    #: How many of the post's messages the destination already accepted (recorded as each is), and the
    #: first one's id: a delivery resumed after a crash sends only the messages after these.
    accepted: int = 0
    head_ref: str | None = None
    #: An announcement's change as a scenario expression ("Poland+100"): Discord adds a Run scenario button.
    scenario: str | None = None

    def to_json(self) -> str:
        return _posts().dump_json(self).decode()

    @classmethod
    def from_json(cls, text: str) -> Post:
        return _posts().validate_json(text)


@cache
def _posts() -> TypeAdapter[Post]:
    """Posts (and their briefings) as the ledger stores them: built at the first delivery, not at import."""
    return TypeAdapter(Post)


#: Told, after each message of a post the destination accepted, how many are out and the first one's id.
Accepted = Callable[[int, str | None], Awaitable[None]]


class Destination(Protocol):
    key: str

    async def send(self, post: Post, *, retry: bool, accepted: Accepted | None = None) -> str | None:
        """Send ``post``; ``retry`` is true when an earlier attempt may have reached the destination.

        ``accepted`` is awaited after each message the destination accepted, so the ledger records it
        before the next goes out; the messages ``post.accepted`` counts are not sent again.
        """
        ...


@dataclass(slots=True)
class ConsoleDestination:
    """Prints digests (the console transport and ``kfor-bot check``)."""

    write: Callable[[Briefing], None]
    key: str = CONSOLE_KEY

    async def send(self, post: Post, *, retry: bool, accepted: Accepted | None = None) -> str | None:
        for index, briefing in enumerate((post.head, post.detail)):
            if briefing is None or index < post.accepted:
                continue
            self.write(briefing)
            if accepted is not None:
                await accepted(index + 1, None)
        return None


@dataclass(slots=True)
class WebhookDestination:
    """A Discord webhook URL, posted to with discord.py's own webhook client (``wait=True``).

    A post goes out as ONE message, as a channel's digest carries its chart: the digest's embeds, the
    detail table's after them, and the chart (when ``draw_chart`` is given: the running bot) attached
    to the first (see :func:`~bot.briefings.render.embeds.one_message`). A webhook cannot open a thread
    for the table, and one request is one outcome: the ledger records the message as it is accepted
    (``post.accepted`` 1), and a resumed delivery that finds it recorded sends nothing. discord.py
    handles Discord's rate limits, 429s and 5xx retries and returns the message, whose id the ledger
    records. discord.py is imported on the first send only, so ``kfor-bot check`` pays for it only when
    it has something to post. ``timeout`` bounds the whole request: when it runs out the outcome is
    unknown (the message may have arrived), which the watcher retries at most once.
    """

    url: str
    session: aiohttp.ClientSession
    timeout: float = 30.0
    #: Discord's API base, when the operator routes Discord through a proxy (``KFOR_DISCORD_API_BASE``).
    api_base: str | None = None
    #: Draws a digest's chart (the running bot's shared drawer); None: the post goes without one.
    draw_chart: Callable[[ChartRequest], Awaitable[bytes]] | None = None
    key: str = ""

    def __post_init__(self) -> None:
        self.url = canonical_webhook_url(self.url) or self.url  # what discord.py's from_url reads, whatever the alias
        self.key = self.key or webhook_key(self.url)

    async def send(self, post: Post, *, retry: bool, accepted: Accepted | None = None) -> str | None:
        if post.accepted:  # the one message is out, and recorded: a resumed delivery has nothing left to send
            return post.head_ref
        import discord

        if self.api_base:
            discord.http.Route.BASE = self.api_base.rstrip("/")
        try:
            webhook = discord.Webhook.from_url(self.url, session=self.session)
        except ValueError:
            raise DeliveryError("not a Discord webhook URL", permanent=True) from None
        payloads, left_out = one_message(*(b for b in (post.head, post.detail) if b is not None))
        if left_out:
            log.warning("Webhook %s: %d embed(s) of the table left out to fit one message", self.key, left_out)
        embeds = [discord.Embed.from_dict(payload) for payload in payloads]
        chart = await self.draw_chart(post.head.chart) if post.head.chart and self.draw_chart else None
        message_ref = await self._execute(webhook, embeds, post.mention_role_id, chart)
        if accepted is not None:
            await accepted(1, message_ref)
        return message_ref

    async def _execute(self, webhook: discord.Webhook, embeds: list[discord.Embed], role: int | None,
                       chart: bytes | None = None) -> str:  # fmt: skip
        """One execute-webhook request: the embeds, the chart attached, only ``role`` (if any) pinged."""
        import io

        import aiohttp
        import discord

        mentions = discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role)] if role else False)
        files: list[discord.File] = []
        if chart is not None:  # the chart in the digest's embed, as a channel shows it
            embeds[0].set_image(url="attachment://kfor-change.png")
            files.append(discord.File(io.BytesIO(chart), filename="kfor-change.png"))
        try:
            async with asyncio.timeout(self.timeout):
                message = await webhook.send(content=f"<@&{role}>" if role else discord.utils.MISSING, embeds=embeds,
                                             allowed_mentions=mentions, files=files, wait=True)  # fmt: skip
        except TimeoutError:
            raise DeliveryError(f"webhook gave no answer within {seconds(self.timeout)} s", unknown=True) from None
        except (discord.NotFound, discord.Forbidden) as exc:
            raise DeliveryError(f"webhook refused the message (HTTP {exc.status})", permanent=True) from None
        except discord.HTTPException as exc:
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise DeliveryError(f"webhook error: HTTP {exc.status} {exc.text[:200]}", permanent=permanent) from None
        except aiohttp.ClientConnectorError as exc:  # nothing reached the server: safe to retry later
            raise DeliveryError(f"webhook unreachable: {type(exc).__name__}") from None
        except aiohttp.ClientError as exc:  # the request may have gone out
            raise DeliveryError(f"webhook connection lost: {type(exc).__name__}", unknown=True) from None
        return str(message.id)
