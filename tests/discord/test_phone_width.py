"""Every code block the bot posts fits a phone: 30 characters a line (#20), the project's own measure of 390 px."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import discord
from rich.cells import cell_len

from bot.core.announcements import Announcement
from bot.core.claims import Claim
from bot.core.models import Coverage, Snapshot
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.partial_reports import TOP_20

#: What a 390 px phone shows of a code block line in a Discord embed.
PHONE_CHARS = 30
CODE_BLOCK = re.compile(r"```(?:[^\n`]*\n)?(.*?)```", re.DOTALL)


def _embed_texts(embed: discord.Embed | dict[str, Any]) -> list[str]:
    payload = embed if isinstance(embed, dict) else embed.to_dict()
    return [payload.get("description", ""), *(f["value"] for f in payload.get("fields", ()))]


def _code_lines(message: Any) -> list[str]:
    """Every line inside every code block of a message (its content and its embeds)."""
    texts = [getattr(message, "content", None) or "", *(t for e in message.embeds for t in _embed_texts(e))]
    return [line for text in texts for block in CODE_BLOCK.findall(text) for line in block.splitlines()]


def _publish(path: Path, snapshot: Snapshot) -> None:
    path.write_text(snapshot.to_json())


def _announcement(number: int, nation: str, change: int, state: str) -> Announcement:
    now = dt.datetime(2025, 4, 10, tzinfo=dt.UTC)
    claim = Claim(nation, "increase" if change > 0 else "decrease", change, None, True, "2025-05",
                  "https://news.test/a", now, f"{nation} changes its contingent by {change}.")  # fmt: skip
    return Announcement(number, "KFOR", claim, "press", ("Press",), state, None, 269, "2025-02", None, None, now, now)  # type: ignore[arg-type]


async def test_every_code_block_of_every_answer_thread_and_page_fits_a_phone(simcord_env) -> None:
    """Renders every /kfor answer (representative options), its pages, threads and buttons' replies, the digests
    (a change, a partial report, the alert test) and their threads; no code-block line is wider than 30 cells."""
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("briefings")
    admins = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("admin"), roles=[admins])
    service = env.bot.get_cog("KforCog").service
    service.set_announcements([_announcement(1, "Germany", 220, "announced"),
                               _announcement(2, "North Macedonia", -1301, "contradicted")])  # fmt: skip
    seen: dict[str, list[str]] = {}

    def keep(name: str, *messages: Any) -> None:
        seen.setdefault(name, []).extend(line for m in messages for line in _code_lines(m))

    async def answer(command: str, **options: Any) -> Any:
        result = await admin.slash(channel, command, **options)
        name = f"/{command} {options}"
        keep(name, result.response.message or result.response)
        await _turn_pages(result, name)
        return result

    async def _turn_pages(result: Any, name: str) -> None:
        message = result.response.message
        labels = [b.get("label") for row in result.response.components for b in row["components"]]
        while message is not None and "▶" in labels:
            stored = env.backend.get_message(message.channel.id, message.id)
            buttons = [b for row in stored.components for b in row["components"]]
            if next(b for b in buttons if b.get("label") == "▶").get("disabled"):
                break
            await admin.click(message, label="▶")
            keep(f"{name} next page", env.backend.get_message(message.channel.id, message.id))

    async def click(result: Any, label: str, name: str) -> None:
        clicked = await admin.click(result.response.message, label=label)
        keep(name, clicked.response.message or clicked.response)
        await _turn_pages(clicked, name)

    await admin.slash(channel, "kfor-settings alerts subscribe")
    assert (await env.bot.alerts.run_cycle()).status == "baseline"
    await answer("kfor alerts status")
    await answer("kfor alerts list")
    for count in (5, 30):
        await answer("kfor top", count=count)
    for nation in ("Italy", "North Macedonia"):
        await answer("kfor country", nation=nation)
    await answer("kfor overview")
    for change in ("us-withdrawal", "partners-leave", "Italy-100%", "withdraw US; North Macedonia+900"):
        scenario = await answer("kfor scenario", change=change)
        await env.advance_time(11)
        await click(scenario, "Chart", f"chart of {change}")
        if any(b.get("label") == "Full table" for r in scenario.response.components for b in r["components"]):
            await admin.click(scenario.response.message, label="Full table")  # opens a thread, read below
    for before, after in ((None, None), ("2024-12", "2025-12"), ("2017-02", "2025-02"), ("2023-10", "2025-02")):
        options = {k: v for k, v in (("before", before), ("after", after)) if v}
        compared = await answer("kfor compare", **options)
        await click(compared, "Full table", f"compare table {options}")
    for nation in ("US", "Italy", "Germany"):
        await answer("kfor history", nation=nation)
    for command in ("kfor latest", "kfor announcements", "kfor snapshots", "kfor sources", "kfor help"):
        await answer(command)
    await answer("kfor discuss", topic="Mission review")
    await answer("kfor discuss", topic="If the US left", change="withdraw US")
    await answer("kfor-settings alerts test")

    watched = Path(env.bot.settings.source)
    changed = dict(SEED_FIGURES, **{"United States": 320, "North Macedonia": 367, "Norway": 12})
    del changed["Portugal"]
    _publish(watched, snapshot_of(changed, "2025-06"))
    assert (await env.bot.alerts.run_cycle()).status == "changed"
    partial = snapshot_of(dict(TOP_20, Germany=330), "2025-08").replace(coverage=Coverage.PARTIAL, stated_total=4727)
    _publish(watched, partial)
    assert (await env.bot.alerts.run_cycle()).status == "changed"
    extreme = dict(
        changed, **{"North Macedonia": 1367, "United Kingdom": 1400, "Czech Republic": 1035}
    )  # four-digit Δs
    del extreme["Italy"]  # the largest contingent leaves
    _publish(watched, snapshot_of(extreme, "2025-10"))
    result = await env.bot.alerts.run_cycle()
    assert result.status == "changed", result.message
    await env.settle()

    keep("channel", *channel.history())
    assert len(channel.threads) >= 8  # three full tables, two discussions, the test digest, three digests
    for thread in channel.threads:
        keep(f"thread {thread.name}", *thread.history())
    assert sum(map(len, seen.values())) > 500  # the tables were found and measured
    wide = {name: [line for line in lines if cell_len(line) > PHONE_CHARS] for name, lines in seen.items()}
    assert {name: lines for name, lines in wide.items() if lines} == {}
