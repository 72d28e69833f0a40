"""Where a setting comes from, readable without pydantic: the rule :class:`~bot.settings.Settings` follows.

Precedence: the environment, then a ``.env`` file in the working directory, then
``config/kfor.toml``, then the default. Every variable is ``KFOR_`` + the field's name in capitals,
except the few in :data:`ALIASES`. The quick path of ``kfor-bot check`` reads its handful of
settings here (importing pydantic-settings would cost more than the whole quick check); ``Settings``
is built from the same names, and a test holds the two together.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
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


def _dotenv() -> dict[str, str | None]:
    if not Path(ENV_FILE).is_file():
        return {}
    from dotenv import dotenv_values  # pydantic-settings' own .env reader, so both read a file alike

    return dict(dotenv_values(ENV_FILE))


def lookup(field: str, default: str | None = None) -> str | None:
    """The raw text of a setting, from the first place that has it (see the module docstring)."""
    names = env_names(field)
    environment = {key.upper(): value for key, value in os.environ.items()}  # case-insensitive, as pydantic
    for name in names:
        if name in environment:
            return environment[name]
    dotenv = {key.upper(): value for key, value in _dotenv().items()}
    for name in names:
        if dotenv.get(name) is not None:
            return dotenv[name]
    value = _config_file().get(field)
    return default if value is None else str(value)


@dataclass(frozen=True, slots=True)
class DataSettings:
    """What answering from the data files needs (``ask``, ``ingest``), read as :class:`Settings` reads it.

    pydantic-settings costs more to import than ``kfor-bot ask`` takes to answer; these are plain
    paths, a name and two limits.
    """

    data_dir: Path
    config_dir: Path
    mission: str
    max_troops: int = 1_000_000
    http_max_bytes: int = 2 * 1024 * 1024


def data_settings() -> DataSettings:
    return DataSettings(
        data_dir=Path(lookup("data_dir") or PROJECT_ROOT / "data"),
        config_dir=Path(lookup("config_dir") or PROJECT_ROOT / "config"),
        mission=lookup("mission") or "KFOR",
        max_troops=int(lookup("max_troops") or 1_000_000),
        http_max_bytes=int(lookup("http_max_bytes") or 2 * 1024 * 1024),
    )
