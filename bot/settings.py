"""Settings from the environment and ``.env``, read at run time by the composition root.

Every variable is prefixed ``KFOR_`` except the Discord ones, which keep the names hosting
platforms and the discord.py documentation use (``DISCORD_TOKEN``, ``DEV_GUILD_ID``). The token is
a :class:`~pydantic.SecretStr`: its repr and str are masked, so it never reaches a log line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All of kfor-bot's configuration; see the README's "Configuration" table."""

    model_config = SettingsConfigDict(env_prefix="KFOR_", env_file=".env", extra="ignore")

    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "KFOR_DISCORD_TOKEN")
    )
    dev_guild_id: int | None = Field(default=None, validation_alias=AliasChoices("DEV_GUILD_ID", "KFOR_DEV_GUILD_ID"))
    owner_ids: frozenset[int] = frozenset()
    mission: str = "KFOR"
    data_dir: Path = PROJECT_ROOT / "data"
    config_dir: Path = PROJECT_ROOT / "config"
    #: Where the bot keeps its own state (e.g. the hash of the last global command sync).
    state_dir: Path = PROJECT_ROOT / "var"
    #: Seconds a member waits between two charts.
    chart_cooldown_seconds: float = 10.0
