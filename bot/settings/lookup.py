"""Where a setting comes from: the rule :class:`~bot.settings.Settings` is read by.

Precedence: the environment, then a ``.env`` file in the working directory, then
``config/kfor.toml``, then the default. Every variable is ``KFOR_`` + the field's name in capitals,
except the few in :data:`ALIASES`; names are matched without regard to case.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG_FILE = PROJECT_ROOT / "config" / "kfor.toml"
ENV_PREFIX = "KFOR_"
ENV_FILE = ".env"
#: Names that hosting platforms and discord.py's documentation use, accepted beside the prefixed one.
ALIASES: dict[str, tuple[str, ...]] = {
    "discord_token": ("DISCORD_TOKEN", "KFOR_DISCORD_TOKEN"),
    "dev_guild_id": ("DEV_GUILD_ID", "KFOR_DEV_GUILD_ID"),
    "database_url": ("DATABASE_URL", "KFOR_DATABASE_URL"),
}


def env_names(field: str) -> tuple[str, ...]:
    return ALIASES.get(field, (ENV_PREFIX + field.upper(),))


@cache
def _config_file() -> dict[str, object]:
    try:
        with CONFIG_FILE.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _dotenv(env_file: str | None) -> dict[str, str | None]:
    if env_file is None or not Path(env_file).is_file():
        return {}
    from dotenv import dotenv_values  # the maintained .env reader: quotes, comments, export lines

    return dict(dotenv_values(env_file))


def lookup(field: str, default: str | None = None, *, env_file: str | None = ENV_FILE) -> str | None:
    """The raw text of a setting, from the first place that has it (see the module docstring)."""
    names = env_names(field)
    environment = {key.upper(): value for key, value in os.environ.items()}
    for name in names:
        if name in environment:
            return environment[name]
    dotenv = {key.upper(): value for key, value in _dotenv(env_file).items()}
    for name in names:
        if dotenv.get(name) is not None:
            return dotenv[name]
    value = _config_file().get(field)
    return default if value is None else str(value)
