"""Settings from the environment and ``.env``, read at run time by the composition root.

Every variable is prefixed ``KFOR_`` except the Discord token, which keeps the name that hosting
platforms and the discord.py documentation use (``DISCORD_TOKEN``).
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
    mission: str = "KFOR"
    data_dir: Path = PROJECT_ROOT / "data"
    config_dir: Path = PROJECT_ROOT / "config"
