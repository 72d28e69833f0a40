"""Pages for a long answer: one message with ◀ ▶ buttons instead of several messages in a row.

RoboDanny's paginator keeps apart the page *source* (what is on page N) and the *view* that turns
pages; so does this module. The source is the briefing already split by the renderer into
messages that each fit Discord's limits (:func:`bot.discord.embeds.render_messages`); the view
turns them. Only the member who asked may turn the pages (a public answer turned by anyone would
change under its other readers), and the buttons go after a few minutes, leaving the page shown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import discord

from bot.discord.embeds import OutgoingMessage
from bot.discord.tree import NO_MENTIONS

#: Seconds the buttons stay: long enough to read eight phone screens, short enough to hold no memory long.
PAGE_TIMEOUT = 300.0


class PagesView(discord.ui.View):
    """◀ and ▶ over ``pages``, with "page i of n" between them; ``extra`` items (a Post publicly button) follow."""

    def __init__(self, pages: Sequence[OutgoingMessage], owner_id: int,
                 extra: Sequence[discord.ui.Item[discord.ui.View]] = ()) -> None:  # fmt: skip
        super().__init__(timeout=PAGE_TIMEOUT)
        self.pages, self.owner_id, self.index = list(pages), owner_id, 0
        self.message: discord.Message | discord.WebhookMessage | None = None
        for item in extra:
            self.add_item(item)
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.pages) - 1
        self.counter.label = f"{self.index + 1} / {len(self.pages)}"

    @property
    def current(self) -> OutgoingMessage:
        return self.pages[self.index]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the member who asked turns these pages; run the command yourself for your own copy.",
            ephemeral=True, allowed_mentions=NO_MENTIONS,
        )  # fmt: skip
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._sync()
        await interaction.response.edit_message(embeds=self.current.embeds, view=self)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[PagesView]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, _button: discord.ui.Button[PagesView]) -> None:
        await interaction.response.defer()  # a label, not an action

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[PagesView]) -> None:
        await self._turn(interaction, 1)

    async def on_timeout(self) -> None:
        """The page shown stays; only the buttons go (a click after them would fail with no answer)."""
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # deleted, or an ephemeral answer past its token's life
                await self.message.edit(view=None)
