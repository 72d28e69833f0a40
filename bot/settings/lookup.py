"""Where a setting comes from: the rule :class:`~bot.settings.Settings` is read by.

Precedence: the environment, then a ``.env`` file in the working directory, then
``config/kfor.toml``, then the default. Every variable is ``KFOR_`` + the field's name in capitals,
except the few in :data:`ALIASES`; names are matched without regard to case.
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


class SettingsError(ValueError):
    """A setting that cannot be used; the message names its variable (or file) and what it must be."""


def env_names(field: str) -> tuple[str, ...]:
    return ALIASES.get(field, (ENV_PREFIX + field.upper(),))


@cache
def _config_file() -> dict[str, object]:
    """The config file's table; none is fine, but a broken one must stop us rather than be ignored."""
    try:
        with CONFIG_FILE.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{CONFIG_FILE} is not valid TOML: {exc}") from None


def _dotenv(env_file: str | None) -> dict[str, str | None]:
    if env_file is None or not Path(env_file).is_file():
        return {}
    from dotenv import dotenv_values  # the maintained .env reader: quotes, comments, export lines

    try:
        return dict(dotenv_values(env_file))
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{env_file} is not UTF-8 text: {exc}") from None


@dataclass(frozen=True)
class Sources:
    """The places a setting may come from, each read once (a ``.env`` file is parsed once per load)."""

    environment: dict[str, str]
    dotenv: dict[str, str | None]
    config: dict[str, object]

    @classmethod
    def read(cls, env_file: str | None = ENV_FILE) -> Sources:
        return cls(environment={key.upper(): value for key, value in os.environ.items()},
                   dotenv={key.upper(): value for key, value in _dotenv(env_file).items()},
                   config=_config_file())  # fmt: skip

    def lookup(self, field: str, *, empty_is_unset: bool = False) -> str | None:
        """The raw text of a setting, from the first place that has it (see the module docstring).

        With ``empty_is_unset`` (a setting that cannot be None), an empty value is passed over for the next place.
        """
        names = env_names(field)
        for place in (self.environment, self.dotenv, self.config):
            for name in (field,) if place is self.config else names:
                value = place.get(name)
                if value is not None and (str(value).strip() or not empty_is_unset):
                    return str(value)
        return None
