"""Slash command sync without hammering Discord's rate limits.

With ``DEV_GUILD_ID`` the commands are synced to that guild only, at every start (instant and
cheap). Otherwise a global sync happens only when the command definitions changed since the last
one: their fingerprint (a hash of the payload Discord would receive) is kept in the state
directory. ``/kfor-admin sync`` forces one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import discord
from discord import app_commands

log = logging.getLogger(__name__)

STATE_FILE = "command-sync.json"


def commands_fingerprint(tree: app_commands.CommandTree) -> str:
    """A hash of every global command's definition, as sent to Discord."""
    payload = sorted((command.to_dict(tree) for command in tree.get_commands()), key=lambda c: c["name"])
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _read_state(path: Path) -> dict[str, str]:
    try:
        state: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return state
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_state(path: Path, state: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a crash never leaves half a file


async def sync_commands(
    tree: app_commands.CommandTree, state_dir: Path, dev_guild_id: int | None, *, force: bool = False
) -> str:
    """Sync as described in the module docstring; returns what was done ("guild", "global", "skipped")."""
    if dev_guild_id is not None:
        guild = discord.Object(id=dev_guild_id)
        tree.copy_global_to(guild=guild)
        await tree.sync(guild=guild)
        log.info("Synced commands to the development guild %s", dev_guild_id)
        return "guild"
    path = state_dir / STATE_FILE
    fingerprint = commands_fingerprint(tree)
    application = str(tree.client.application_id)
    state = _read_state(path)
    if not force and state.get("fingerprint") == fingerprint and state.get("application_id") == application:
        log.info("Command definitions unchanged since the last global sync; not syncing")
        return "skipped"
    await tree.sync()
    _write_state(path, {"fingerprint": fingerprint, "application_id": application})
    log.info("Synced commands globally (definitions %s)", fingerprint[:12])
    return "global"
