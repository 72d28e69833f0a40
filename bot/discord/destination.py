"""A Discord channel as an alert destination, served by the running bot.

The digest goes out with the claim's nonce and ``enforce_nonce`` (Discord then drops a repeat of
the same nonce sent within minutes), a public thread named after the change is opened on it, and
the full table is posted inside. When a delivery is retried after an interruption, the channel's
recent history is searched for the digest's reference first, so a message that did arrive is
never posted twice, whenever the retry happens. The reference is the anchor of the first embed's
link (``…#kfor-ref-1a2b3c4d``, see :meth:`Footer.link`): kept by Discord, not shown to readers.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Awaitable, Callable

import discord

from bot.alerts.destinations import Accepted, DeliveryError, Post
from bot.briefings.model import REF_ANCHOR, Briefing, ChartRequest
from bot.discord.buttons import run_scenario_view
from bot.discord.embeds import render_messages
from bot.discord.tree import NO_MENTIONS

log = logging.getLogger(__name__)

#: How many of the bot's messages since the first attempt a retry looks through for its reference.
HISTORY_SEARCH = 100


def _carries(embed: discord.Embed, ref: str) -> bool:
    """Whether ``embed`` is the one a post with reference ``ref`` sent.

    The reference is the anchor of the embed's link; messages sent before it moved there carry it at
    the end of the footer ("· ref 1a2b3c4d"), and a retry after an upgrade must still find them.
    """
    if embed.url and embed.url.endswith(f"{REF_ANCHOR}{ref}"):
        return True
    return bool(embed.footer and embed.footer.text and embed.footer.text.endswith(f"ref {ref}"))


class DiscordChannelDestination:
    def __init__(self, bot: discord.Client, channel_id: int,
                 draw_chart: Callable[[ChartRequest], Awaitable[bytes]] | None = None) -> None:  # fmt: skip
        self.bot = bot
        self.channel_id = channel_id
        self.key = f"channel:{channel_id}"
        self.draw_chart = draw_chart

    async def _channel(self) -> discord.abc.Messageable:
        channel = self.bot.get_channel(self.channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(self.channel_id)
            except (discord.NotFound, discord.Forbidden) as exc:
                raise DeliveryError(f"channel {self.channel_id} is gone or hidden: {exc}", permanent=True) from None
            except discord.HTTPException as exc:
                raise DeliveryError(f"channel {self.channel_id}: {exc}") from None
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryError(f"channel {self.channel_id} cannot hold messages", permanent=True)
        return channel

    async def _already_sent(self, channel: discord.abc.Messageable, post: Post) -> discord.Message | None:
        """The message an earlier attempt of this post sent, searched among those since it was first claimed."""
        me, ref = self.bot.user, post.ref
        after = post.claimed_at - dt.timedelta(seconds=5) if post.claimed_at else None  # allow for clock skew
        async for message in channel.history(limit=HISTORY_SEARCH, after=after, oldest_first=True):
            if me is not None and message.author.id == me.id and any(_carries(e, ref) for e in message.embeds):
                return message
        return None

    async def send(self, post: Post, *, retry: bool, accepted: Accepted | None = None) -> str | None:
        channel = await self._channel()
        try:
            message = await self._already_sent(channel, post) if retry and post.ref else None
            if message is None:
                message = await self._post_head(channel, post)
                if accepted is not None:
                    await accepted(1, str(message.id))
            if post.thread_name and isinstance(channel, discord.TextChannel):
                await self._open_thread(channel, message, post, accepted)
        except discord.Forbidden as exc:
            raise DeliveryError(
                f"missing permissions in channel {self.channel_id}: {exc.text}", permanent=True
            ) from None
        except discord.NotFound as exc:
            raise DeliveryError(f"channel {self.channel_id} is gone: {exc.text}", permanent=True) from None
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord error in channel {self.channel_id}: {exc}") from None
        return str(message.id)

    async def revise(self, message_ref: str, post: Post) -> str | None:
        """Edit the message ``message_ref`` in place to ``post``'s head (without its buttons), and say why in its
        thread (a thread on a message has the message's id); a message that is gone gets ``post`` anew."""
        channel = await self._channel()
        try:
            message = await channel.fetch_message(int(message_ref))
        except discord.NotFound:
            return await self.send(post, retry=False)
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord error in channel {self.channel_id}: {exc}") from None
        first, *_ = render_messages(post.head, timestamp=discord.utils.utcnow())
        try:
            await message.edit(embeds=first.embeds, view=None, allowed_mentions=NO_MENTIONS)
            thread = channel.get_thread(message.id) if isinstance(channel, discord.TextChannel) else None
            if thread is not None and post.head.notes:
                await thread.send(post.head.notes[0][:2000], allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord error in channel {self.channel_id}: {exc}") from None
        return str(message.id)

    async def _post_head(self, channel: discord.abc.Messageable, post: Post) -> discord.Message:
        first, *rest = render_messages(post.head, timestamp=discord.utils.utcnow())
        mentions = NO_MENTIONS
        content = None
        if post.mention_role_id:  # only the role the subscription names, and only here
            content = f"<@&{post.mention_role_id}>"
            mentions = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(post.mention_role_id)]
            )
        files: list[discord.File] = []
        if post.head.chart is not None and self.draw_chart is not None:
            png = await self.draw_chart(post.head.chart)
            first.embeds[0].set_image(url="attachment://kfor-change.png")
            files.append(discord.File(io.BytesIO(png), filename="kfor-change.png"))
        # discord.py sends enforce_nonce=true with every nonce: Discord drops a repeat within minutes.
        view = run_scenario_view(post.scenario) if post.scenario else None
        message = await channel.send(content=content, embeds=first.embeds, allowed_mentions=mentions,
                                     nonce=post.nonce or discord.utils.MISSING, files=files,
                                     view=view or discord.utils.MISSING)  # fmt: skip
        for part in rest:
            await channel.send(embeds=part.embeds, allowed_mentions=NO_MENTIONS)
        return message

    async def _open_thread(self, channel: discord.TextChannel, message: discord.Message, post: Post,
                           accepted: Accepted | None) -> None:  # fmt: skip
        """The discussion thread on the digest, and the full table inside it, each part recorded as it is accepted.

        A retry finds the thread an earlier attempt opened and posts only the parts the ledger does not
        record (``post.accepted`` counts the head, then each part); without a record, none again.
        """
        thread = message.thread
        if thread is None and message.flags is not None and message.flags.has_thread:
            thread = channel.get_thread(message.id)  # a thread opened on a message has the message's id
        if thread is not None and post.accepted == 0:
            return  # opened by an attempt that recorded nothing: what it posted inside is unknown
        if thread is None:
            name = discord.utils.escape_mentions(post.thread_name or "")[:100]
            try:
                thread = await message.create_thread(name=name, auto_archive_duration=1440)
            except discord.HTTPException as exc:  # the digest is out; a missing thread is not worth a duplicate
                log.warning("Could not open a thread on %s: %s", message.jump_url, exc)
                return
        detail: Briefing | None = post.detail
        if detail is None:
            return
        parts = render_messages(detail, timestamp=discord.utils.utcnow())
        for index in range(max(post.accepted - 1, 0), len(parts)):
            await thread.send(embeds=parts[index].embeds, allowed_mentions=NO_MENTIONS)
            if accepted is not None:
                await accepted(index + 2, str(message.id))
