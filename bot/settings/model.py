"""The settings model: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

The names and the order of precedence come from :mod:`bot.settings.lookup`. Every variable is
prefixed ``KFOR_`` except the Discord ones, which keep the names hosting platforms and the
discord.py documentation use (``DISCORD_TOKEN``, ``DEV_GUILD_ID``), and ``DATABASE_URL``, which
platforms set for their databases. The token is a :class:`~pydantic.SecretStr`: its repr and str
are masked, so it never reaches a log line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.settings.lookup import ALIASES, CONFIG_FILE, ENV_FILE, ENV_PREFIX, PROJECT_ROOT


class Settings(BaseSettings):
    """All of kfor-bot's configuration; see the README's "Configuration" table."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=ENV_FILE, extra="ignore", toml_file=CONFIG_FILE)

    discord_token: SecretStr | None = Field(default=None, validation_alias=AliasChoices(*ALIASES["discord_token"]))
    dev_guild_id: int | None = Field(default=None, validation_alias=AliasChoices(*ALIASES["dev_guild_id"]))
    owner_ids: frozenset[int] = frozenset()
    mission: str = "KFOR"
    data_dir: Path = PROJECT_ROOT / "data"
    config_dir: Path = PROJECT_ROOT / "config"
    #: Where the bot keeps its own state (the SQLite store, the hash of the last command sync).
    state_dir: Path = PROJECT_ROOT / "var"
    #: Seconds a member waits between two charts.
    chart_cooldown_seconds: float = 10.0

    # -- alerts ------------------------------------------------------------------------------
    #: The watched report: a path (relative to the project) or an http(s) URL.
    source: str = "data/snapshots/kfor/2025-02.json"
    #: With it, ``source`` is a page and the watched report is the newest document it links to whose
    #: address or text this regular expression matches (for publications whose address changes with
    #: every edition, like NATO's KFOR placemat). Unset or empty: ``source`` is the report itself.
    source_link: str | None = None
    database_url: str | None = Field(default=None, validation_alias=AliasChoices(*ALIASES["database_url"]))
    poll_minutes: float = 15.0
    poll_jitter_seconds: float = 60.0
    max_total_drop: float = 1 / 3
    max_nations_drop: float = 1 / 3
    notify_after_failures: int = 3
    #: How long a delivery's claim is held before another process may take it over (a long send renews it).
    delivery_lease_seconds: float = 300.0
    #: Failed deliveries in a row to one destination after which its pending message is given up.
    max_delivery_failures: int = 5

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.delivery_lease_seconds)

    #: How many destinations a change is sent to at once; discord.py's rate limiter paces every request.
    delivery_concurrency: int = Field(default=8, ge=1, le=50)
    #: Run the poll and briefing jobs (tests drive cycles themselves and turn this off).
    scheduler_enabled: bool = True
    #: The plausibility cap on one contingent: a report or scenario figure above it is refused.
    max_troops: int = 1_000_000
    http_timeout_seconds: float = 20.0
    #: A webhook request with no answer by then has an unknown outcome (retried once, after the lease).
    webhook_timeout_seconds: float = 30.0
    #: Finished deliveries older than this are deleted (the cursors keep what was delivered).
    ledger_retention_days: float = 90.0
    #: Discord's REST API base, for an operator who routes Discord through a proxy (unset: discord.com).
    discord_api_base: str | None = None
    http_max_bytes: int = 2 * 1024 * 1024

    # -- for operators -----------------------------------------------------------------------
    #: Serve Prometheus metrics (/metrics) and a health check (/healthz) on this port; unset: off.
    #: 0 takes any free port (tests).
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    #: The address they listen on: this machine only, unless the operator opens it wider.
    metrics_host: str = "127.0.0.1"

    @field_validator("source_link")
    @classmethod
    def _a_regular_expression(cls, value: str | None) -> str | None:
        """A broken pattern is a start-up error that names it, not a source problem at the first poll."""
        if not value:
            return None
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"KFOR_SOURCE_LINK '{value}' is not a regular expression: {exc}") from None
        return value

    @property
    def store_url(self) -> str:
        """``DATABASE_URL``, or a SQLite file in the state directory."""
        return self.database_url or f"sqlite:///{self.state_dir / 'kfor.db'}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then .env, then config/kfor.toml."""
        return (init_settings, env_settings, dotenv_settings, TomlConfigSettingsSource(settings_cls))
