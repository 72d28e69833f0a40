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
from typing import Any

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
    """A setting that cannot be used; the message names where it was set and what it must be.

    ``setting`` is the field's name when one setting is at fault, so :meth:`Settings.load` can say
    where the value came from (the environment, ``.env`` or the config file).
    """

    def __init__(self, message: str, *, setting: str | None = None, problem: str = "") -> None:
        super().__init__(message)
        self.setting = setting
        self.problem = problem

    @classmethod
    def of(cls, setting: str, problem: str, place: str = "environment") -> SettingsError:
        """``KFOR_POLL_MINUTES must be …`` (environment), ``… in .env``, or ``poll_minutes in config/kfor.toml``."""
        return cls(f"{label(setting, place)} {problem}", setting=setting, problem=problem)


def label(setting: str, place: str) -> str:
    """How an operator finds a setting where it was set: its variable, or its key in the config file."""
    if place == "config":
        shown = CONFIG_FILE.relative_to(PROJECT_ROOT) if CONFIG_FILE.is_relative_to(PROJECT_ROOT) else CONFIG_FILE
        return f"{setting} in {shown}"
    return env_names(setting)[0] + (" in .env" if place == "dotenv" else "")


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

    def lookup(self, field: str, *, empty_is_unset: bool = False) -> tuple[object, str] | None:
        """A setting's raw value (text, or the config file's TOML value) and its place, from the first
        place that has it (see the module docstring): ``"environment"``, ``"dotenv"`` or ``"config"``.

        With ``empty_is_unset`` (a setting that cannot be None), an empty value is passed over for the next place.
        """
        names = env_names(field)
        places: tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...] = (
            ("environment", self.environment, names),
            ("dotenv", self.dotenv, names),
            ("config", self.config, (field,)),
        )
        for place, values, keys in places:
            for key in keys:
                value = values.get(key)
                if value is not None and (str(value).strip() or not empty_is_unset):
                    return value, place
        return None
