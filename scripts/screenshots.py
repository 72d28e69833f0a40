"""The README's screenshots: real answers of the bot in a simulated Discord (SimCord), at desktop and phone width.

Run ``make screenshots`` (or ``python scripts/screenshots.py [-o docs/screenshots] [--only NAME …]``) after a
change to what the bot says or draws. Each shot runs slash commands as a member with Manage Server in
a channel of its own, opens SimCord's preview of that channel (or of a thread) and photographs it with
headless Chromium; the preview's own toolbar and side bar are cut away, and the PNG is reduced to
256 colours so that the repository stays small.

Needs ``pip install -e ".[preview]"`` (SimCord's preview) and Chromium (``apt-get install -y chromium``).
Everything stays on 127.0.0.1: no token, no network. The alert is a real watch cycle over a copy of
the seed report, changed to the made-up figures of ``CHANGED`` (the US −282, Germany +31, Norway joins).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DESKTOP, PHONE = 1000, 390
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--virtual-time-budget=4000", "--force-device-scale-factor=1",
]  # fmt: skip
#: The made-up change the alert shot announces: the US −282, Germany +31, Norway joins.
CHANGED = {"United States": 320, "Germany": 300, "Norway": 12}


@dataclass
class Shot:
    """One screenshot: what the member runs, where to look, and at which width."""

    name: str
    commands: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    width: int = DESKTOP
    height: int = 1200
    thread: bool = False  # photograph the thread opened on the channel's first message
    alert: bool = False  # subscribe, record the baseline, change the source, run one watch cycle
    #: With ``alert``: the new report is a top-20 text with a stated total (one real change inside), not a
    #: complete list: the digest must say what it covered and announce nobody leaving.
    partial: bool = False
    click: str | None = None  # then click the button with this label under the last answer
    #: Photograph the channel an earlier shot acted in (its thread, at another width) instead of acting again.
    same_as: str | None = None


SHOTS = [
    Shot("scenario", [("kfor scenario", {"change": "us-withdrawal"})], height=1000),
    Shot("scenario-phone", [("kfor scenario", {"change": "us-withdrawal"})], width=PHONE, height=1500),
    Shot("scenario-full-table", [("kfor scenario", {"change": "us-withdrawal"})], height=1400, thread=True,
         click="Full table"),
    Shot("scenario-full-table-phone", thread=True, width=PHONE, height=1800, same_as="scenario-full-table"),
    Shot("overview", [("kfor overview", {})], height=1000),
    Shot("top", [("kfor top", {"count": 10})], height=1000),
    Shot("top-phone", [("kfor top", {"count": 20})], width=PHONE, height=1400),
    Shot("compare", [("kfor compare", {})], height=1200),
    Shot("compare-phone", [("kfor compare", {})], width=PHONE, height=1800),
    Shot("compare-table-phone", [("kfor compare", {})], width=PHONE, height=2400, click="Full table"),
    Shot("country-phone", [("kfor country", {"nation": "Germny"})], width=PHONE, height=900),
    Shot("chart", [("kfor chart", {"kind": "history", "nation": "Italy"})], height=900),
    Shot("latest", [("kfor latest", {})], height=900),
    Shot("sources-phone", [("kfor sources", {})], width=PHONE, height=1400),
    Shot("latest-phone", [("kfor latest", {})], width=PHONE, height=1100),
    # Last: the alerts change the figures every later answer would use. A complete list of 2025-05 first,
    # then a partial report of 2025-06 (the 20 largest, Germany's change inside): no departure, what it covered.
    Shot("alert", alert=True, height=1000),
    Shot("alert-thread-phone", thread=True, width=PHONE, height=1300, same_as="alert"),
    Shot("alert-partial", alert=True, partial=True, height=1000),
    Shot("alert-partial-phone", width=PHONE, height=1300, same_as="alert-partial"),
    Shot("alert-partial-thread-phone", thread=True, width=PHONE, height=1500, same_as="alert-partial"),
]  # fmt: skip


async def photograph(url: str, out: Path, width: int, height: int) -> None:
    """A PNG of ``url`` at this viewport, by headless Chromium."""
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
            f"--screenshot={out}", url, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"chromium failed: {err.decode()[-400:]}")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise SystemExit("Chromium is needed: apt-get install -y chromium")


def trim(png: bytes, width: int) -> bytes:
    """The conversation alone: the preview's toolbar, side bar, composer and empty margins cut away; 256 colours."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.load()
    toolbar = pixels[image.width - 3, 0]
    top = next((y for y in range(image.height) if pixels[image.width - 3, y] != toolbar), 0) + 1
    left = 0 if width <= PHONE else _sidebar(image)
    lit = image.crop((left, top, image.width, image.height)).convert("L").point(lambda v: 255 if v > BRIGHT else 0)
    # Text is what is bright: the last bright row above the composer ends the conversation, the
    # rightmost bright column ends its widest line.
    rows = [y for y in range(lit.height - COMPOSER) if lit.crop((40, y, lit.width, y + 1)).getbbox()]
    box = lit.crop((0, 0, lit.width, (rows[-1] if rows else lit.height - COMPOSER) + 1)).getbbox() or (0, 0, 0, 0)
    right = min(image.width, left + box[2] + 24)
    bottom = min(image.height, top + box[3] + 16)
    cropped = image.crop((left, top, right, bottom))
    buffer = io.BytesIO()
    cropped.quantize(256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


#: Luminance above which a pixel is text or a picture, not a background; the composer's height.
BRIGHT, COMPOSER = 110, 70


def _sidebar(image: Any) -> int:
    """The x where the preview's side bar ends (its colour differs from the conversation's)."""
    pixels, y = image.load(), image.height // 2
    edge = pixels[2, y]
    for x in range(image.width // 2):
        if pixels[x, y] != edge:
            return x
    return 0


async def run(shots: list[Shot], out: Path) -> None:
    import discord
    import simcord

    sys.path.insert(0, str(ROOT))
    from bot.app import create_bot
    from bot.settings import Settings

    state, watched, seed = _prepare(out)
    settings = Settings(_env_file=None, state_dir=state / "state", discord_token=None, scheduler_enabled=False,
                             source=str(watched), data_dir=ROOT / "data", config_dir=ROOT / "config")  # fmt: skip
    bot = create_bot(settings)
    try:
        async with simcord.run(bot) as env:
            guild = env.create_guild("KFOR desk")
            staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
            member = guild.add_member(env.create_user("analyst"), roles=[staff])
            channels: dict[str, Any] = {}
            for shot in shots:
                channel = channels.get(shot.same_as or "")
                if channel is None:
                    channel = guild.create_text_channel("kfor-alerts" if shot.alert else shot.name)
                    await _act(env, bot, member, channel, shot, watched, seed)
                channels[shot.name] = channel
                target = channel.threads[0] if shot.thread else channel
                await _shoot(env, target, member, out / f"{shot.name}.png", shot.width, shot.height, state)
            for error in env.errors:  # expected mistakes went through the bot's handler; reading them marks them seen
                print("  handled:", type(error).__name__, str(error)[:120])
    finally:
        if getattr(bot, "alerts", None) is not None:
            await bot.alerts.stop()


async def _act(env: Any, bot: Any, member: Any, channel: Any, shot: Shot, watched: Path, seed: str) -> None:
    """Run the shot's commands (and its alert, and its click) as the member would."""
    result = None
    for name, options in shot.commands:
        result = await member.slash(channel, name, **options)
    if shot.click and result is not None:
        await member.click(result.response.message, label=shot.click)
    if shot.alert:  # subscribed from another channel, so that only the alert shows in this one
        await member.slash(
            channel.guild.create_text_channel("admin"), "kfor-settings alerts subscribe", channel=channel
        )
        await bot.alerts.run_cycle()  # the baseline, or nothing new: what the watched report says now
        if shot.partial:
            from tests.partial_reports import top_20_text

            press = watched.with_name("press.txt")  # a press text, watched in the same place as the seed was
            press.write_bytes(top_20_text())
            bot.alerts.watcher.source.path = press
        else:
            bot.alerts.watcher.source.path = watched  # back from an earlier shot's press text
            _change(watched, seed)
        await bot.alerts.run_cycle()
    await env.settle()


def _prepare(out: Path) -> tuple[Path, Path, str]:
    """A state folder for the bot, and its watched report: a copy of the seed."""
    out.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="kfor-screenshots-"))
    seed = (ROOT / "data" / "snapshots" / "kfor" / "2025-02.json").read_text()
    (state / "watched.json").write_text(seed)
    return state, state / "watched.json", seed


def _change(watched: Path, seed: str) -> None:
    """The watched report, changed: the US −282, Germany +31, Norway joins, Portugal leaves (made-up figures)."""
    from tests.conftest import snapshot_of  # the tests' made-up figures, with their clearly test-only source

    figures = {c["nation"]: c["troops"] for c in json.loads(seed)["contingents"]}
    figures.update(CHANGED)
    figures.pop("Portugal", None)
    watched.write_text(snapshot_of(figures, "2025-05").to_json())  # before the partial report's 2025-06


async def _shoot(env: Any, target: Any, viewer: Any, path: Path, width: int, height: int, state: Path) -> None:
    """What ``viewer`` sees of ``target`` (a channel or a thread), as a PNG at ``path``, trimmed."""
    async with env.preview(target, viewers=[viewer], layout="channel", display="fixed",
                           width=width, height=height) as preview:  # fmt: skip
        raw = state / f"{path.stem}.raw.png"
        await photograph(preview.url, raw, width, height)
    print(_save(raw, path, width))


def _save(raw: Path, path: Path, width: int) -> str:
    if not raw.exists():
        raise SystemExit(f"chromium wrote no {raw}")
    path.write_bytes(trim(raw.read_bytes(), width))
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({path.stat().st_size // 1024} KB)"


async def run_announcement(out: Path) -> None:
    """An announcement from a feed (the tests' BMVg fixture), its Run scenario answer, and the same message once
    the next official list confirmed it: each at desktop width and on a phone."""
    import discord
    import simcord

    sys.path.insert(0, str(ROOT))
    from bot.app import create_bot
    from bot.settings import Settings
    from bot.settings.model import FeedSetting
    from tests.conftest import snapshot_of
    from tests.feed_fixtures import rss

    state, watched, seed = _prepare(out)
    (state / "bmvg.xml").write_bytes(rss())
    feed = FeedSetting(url=str(state / "bmvg.xml"), lang="de", publisher="BMVg", tier="official")
    settings = Settings(_env_file=None, state_dir=state / "state", discord_token=None, scheduler_enabled=False,
                        source=str(watched), data_dir=ROOT / "data", config_dir=ROOT / "config", feeds=(feed,),
                        feed_entry_max_days=3650)  # fmt: skip
    bot = create_bot(settings)
    try:
        async with simcord.run(bot) as env:
            guild = env.create_guild("KFOR desk")
            staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
            member = guild.add_member(env.create_user("analyst"), roles=[staff])
            channel = guild.create_text_channel("kfor-news")
            await member.slash(guild.create_text_channel("admin"), "kfor-settings alerts subscribe", channel=channel)
            await bot.alerts.run_cycle()
            await bot.alerts.run_feed_cycle()
            await env.settle()

            async def shoot(name: str, width: int, height: int) -> None:
                await _shoot(env, channel, member, out / f"{name}.png", width, height, state)

            await shoot("announcement", DESKTOP, 1000)
            await shoot("announcement-phone", PHONE, 1400)
            (message,) = [m for m in channel.history() if m.embeds]
            await member.click(message, label="Run scenario")
            await env.settle()
            await shoot("announcement-scenario", DESKTOP, 1300)
            await shoot("announcement-scenario-phone", PHONE, 1600)
            figures = {c["nation"]: c["troops"] for c in json.loads(seed)["contingents"]}
            watched.write_text(snapshot_of(dict(figures, Germany=489), "2025-07").to_json())
            await bot.alerts.run_cycle()
            await env.settle()
            await shoot("announcement-confirmed", DESKTOP, 1400)
            await shoot("announcement-confirmed-phone", PHONE, 1800)
    finally:
        if getattr(bot, "alerts", None) is not None:
            await bot.alerts.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", help="shot names (default: all)")
    args = parser.parse_args()
    wanted = set(args.only or [s.name for s in SHOTS])
    wanted |= {s.same_as for s in SHOTS if s.name in wanted and s.same_as}  # a shot needs the one it looks again at
    shots = [s for s in SHOTS if s.name in wanted]
    if shots:
        asyncio.run(run(shots, args.out))
    if not args.only or "announcement" in args.only:
        asyncio.run(run_announcement(args.out))


if __name__ == "__main__":
    main()
