"""Where a setting comes from, and how a person finds it: the names :class:`~bot.settings.Settings` reads.

Every variable is ``KFOR_`` + the setting's name in capitals, except the few in :data:`ALIASES`;
names are matched without regard to case. The rule of precedence itself is pydantic-settings'
(see :mod:`bot.settings.model`); this module only names the places, for error lines.
"""

from __future__ import annotations

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
    """Settings that cannot be used; ``problems`` are one line each, naming where the value was set.

    The command stops with exit status 2 and prints each line, never a traceback.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]

    @classmethod
    def many(cls, problems: list[str]) -> SettingsError:
        return cls("; ".join(problems), problems)


def label(setting: str, place: str) -> str:
    """How an operator finds a setting where it was set: its variable (in ``.env``), its key in the
    config file, or its name when a program gave it."""
    if place == "config":
        return f"{shown_config()}: {setting}"
    if place == "argument":
        return setting
    return env_names(setting)[0] + (" in .env" if place == "dotenv" else "")


def shown(path: Path) -> str:
    """A file as its maintainer finds it: relative to the project (``config/kfor.toml``) when inside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(PROJECT_ROOT)) if resolved.is_relative_to(PROJECT_ROOT) else str(path)


def shown_config() -> str:
    """The config file, as :func:`shown` names it."""
    return shown(CONFIG_FILE)


def env_names(field: str) -> tuple[str, ...]:
    return ALIASES.get(field, (ENV_PREFIX + field.upper(),))
