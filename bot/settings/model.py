"""The settings model: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

pydantic-settings reads them, in this order of precedence: the values given to ``Settings(...)``,
the environment, a ``.env`` file in the working directory, ``config/kfor.toml`` (its TOML source),
then the defaults below. Every variable is ``KFOR_`` + the name in capitals, except the Discord
ones, which keep the names hosting platforms and discord.py's documentation use
(``DISCORD_TOKEN``, ``DEV_GUILD_ID``), and ``DATABASE_URL``, which platforms set for their databases.

Every setting has its type and bounds, and the files a person edits forbid unknown keys, so a typo
(``pol_minutes``) or an impossible value (``max_total_drop = 33`` meant as 33 %) stops the bot with
one line naming where it was set, instead of running on a default or switching a guard off. One
model serves every entry point (``ask``, ``check``'s quick path, the bot), so they cannot disagree.
The token is a ``SecretStr``: masked in every repr, str and dump.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as PydanticSettingsError

from bot.core.validation import Problem, did_you_mean, problems_of
from bot.settings import lookup
from bot.settings.lookup import ENV_FILE, ENV_PREFIX, PROJECT_ROOT, SettingsError, env_names, label

__all__ = ["FeedSetting", "Settings", "SettingsError"]

#: Where each value of the settings being read came from (``"environment"``, ``"dotenv"``, ``"config"``,
#: ``"argument"``), so a problem names the variable, the ``.env`` line or the config file's key.
_PLACES: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("kfor_settings_places")


def _comma_separated(value: object) -> object:
    """Owner ids as the environment writes them (``"12, 34"``); the config file's TOML list as it is."""
    if isinstance(value, str):
        return [item.strip() for item in value.strip("[]").split(",") if item.strip()]
    return value


def _empty_is_unset(value: object) -> object:
    """An empty value means "not set" for a setting that may be unset (``KFOR_METRICS_PORT=``)."""
    return None if isinstance(value, str) and not value.strip() else value


#: A Discord webhook URL in any of its spellings (``bot.alerts.identity`` normalizes it; settings import nothing).
_WEBHOOK_URL = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?/webhooks/[0-9]{17,20}/[A-Za-z0-9.\-_]{60,}/?(?:[?#].*)?$"
)

Seconds = Annotated[float, Field(allow_inf_nan=False)]
#: A host name or address alone: no scheme, path, port or credentials.
HostName = Annotated[str, Field(min_length=1, pattern=r"^[^\s/:@]+$")]
Optional = BeforeValidator(_empty_is_unset)


def _web_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"must be a path or an http(s) address with a host, not {url!r}")
    return url


class FeedSetting(BaseModel):
    """One news feed read for announcements: a ``[[feeds]]`` table of ``config/kfor.toml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: An RSS 2.0 or Atom feed: an http(s) address or a path.
    url: str = Field(min_length=1, max_length=2000)
    #: The language its entries are written in: the claims are read with that language's patterns.
    lang: Literal["en", "de", "it", "fr"]
    publisher: str = Field(min_length=1, max_length=80)
    #: ``official`` (a ministry, an armed force: one claim is announced) or ``press`` (two publishers needed).
    tier: Literal["official", "press"]
    #: A shipped address nobody has checked yet: listed, never polled, until an operator sets this to false.
    verify: bool = False

    @field_validator("url")
    @classmethod
    def _a_path_or_web_address(cls, url: str) -> str:
        return _web_address(url) if "://" in url else url


#: The official feeds that exist today (December 2026), shipped to verify: their addresses were taken from
#: the publishers' pages, not fetched from here. Each is polled only once an operator has checked it.
DEFAULT_FEEDS: tuple[FeedSetting, ...] = (
    FeedSetting(url="https://www.bmvg.de/service/rss/de/17680/feed", lang="de",
                publisher="Bundesministerium der Verteidigung", tier="official", verify=True),
    FeedSetting(url="https://www.bundeswehr.de/service/rss/de/517054/feed", lang="de", publisher="Bundeswehr",
                tier="official", verify=True),
    FeedSetting(url="https://www.army.mil/rss/static/1.xml", lang="en", publisher="U.S. Army", tier="official",
                verify=True),
    FeedSetting(url="https://www.gov.uk/government/organisations/ministry-of-defence.atom", lang="en",
                publisher="UK Ministry of Defence", tier="official", verify=True),
)  # fmt: skip


def _aliases(field: str) -> AliasChoices:
    """The variable names of a setting that has names of its own (``DISCORD_TOKEN``), and its key."""
    return AliasChoices(*env_names(field), field)


class Settings(BaseSettings):
    """All of kfor-bot's configuration; the README's "Configuration" table is generated from it."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        case_sensitive=False,
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        validate_default=True,
    )

    # -- Discord -------------------------------------------------------------------------------
    discord_token: Annotated[SecretStr | None, Optional] = Field(
        None, validation_alias=_aliases("discord_token"),
        description="The bot's token from the Developer Portal; unset, `make run` opens the console.")  # fmt: skip
    dev_guild_id: Annotated[Annotated[int, Field(gt=0)] | None, Optional] = Field(
        None, validation_alias=_aliases("dev_guild_id"),
        description="A test server's id: commands are synced there at once instead of globally.")  # fmt: skip
    owner_ids: Annotated[frozenset[Annotated[int, Field(gt=0)]], NoDecode, BeforeValidator(_comma_separated)] = Field(
        frozenset(),
        description="User ids allowed to run `/kfor-admin` besides the app's owner, comma-separated.",
    )
    mission: str = Field("KFOR", min_length=1, max_length=40, description="The mission whose figures are briefed.")
    data_dir: Path = Field(PROJECT_ROOT / "data", description="Reference data and stored snapshots.")
    config_dir: Path = Field(PROJECT_ROOT / "config", description="Named scenarios (`scenarios.toml`).")
    state_dir: Path = Field(PROJECT_ROOT / "var", description="The bot's own state: the SQLite store, the sync hash.")
    chart_cooldown_seconds: Seconds = Field(10.0, ge=0, le=3600, description="Seconds a member waits between charts.")

    # -- alerts --------------------------------------------------------------------------------
    source: str = Field(
        "data/snapshots/kfor/2025-02.json", min_length=1,
        description="The watched report: a path (relative to the project) or an http(s) URL.")  # fmt: skip
    source_link: Annotated[str | None, Optional] = Field(
        None, description="A regular expression: `source` is then a page, and the newest document it links to "
        "whose address or text matches is the watched report (NATO's placemat PDF).")  # fmt: skip
    source_allowed_hosts: Annotated[tuple[HostName, ...], NoDecode, BeforeValidator(_comma_separated)] = Field(
        (), description="Internal hosts a source's redirects and followed links may reach (loopback, private and "
        "link-local addresses are refused elsewhere), comma-separated.")  # fmt: skip
    source_complete_lists: bool = Field(
        False, description="The watched source publishes complete lists (NATO's placemat): a nation its report "
        "omits has left. Off: a list that stops where the smallest contingents would begin is read as a top-N "
        "list, and says nothing of the nations it leaves out.")  # fmt: skip
    stale_after_months: int = Field(
        9, ge=1, le=120, description="Answers say so when the newest complete list is older than this many "
        "months, and point to newer figures (`/kfor latest`).")  # fmt: skip
    database_url: Annotated[str | None, Optional] = Field(
        None, validation_alias=_aliases("database_url"),
        description="`postgresql://…` for several instances; unset: a SQLite file in `state_dir`.")  # fmt: skip
    poll_minutes: Seconds = Field(15.0, ge=1, le=10080, description="How often the source is checked, in minutes.")
    poll_jitter_seconds: Seconds = Field(60.0, ge=0, le=3600, description="Random spread added to each check.")
    max_total_drop: Seconds = Field(
        1 / 3, gt=0, le=1,
        description="A change removing more than this fraction of the troops is held as a source problem.")  # fmt: skip
    max_nations_drop: Seconds = Field(
        1 / 3, gt=0, le=1,
        description="A change removing more than this share of the nations is held as a source problem.")  # fmt: skip
    notify_after_failures: int = Field(
        3, ge=1, le=100, description="Fetch errors in a row after which subscribers hear of a source problem."
    )
    delivery_lease_seconds: Seconds = Field(
        300.0, ge=1, le=86400,
        description="How long a delivery's claim is held before another process may take it over.")  # fmt: skip
    max_delivery_failures: int = Field(
        5, ge=1, le=100, description="Failed deliveries in a row to one destination before its message is given up."
    )
    delivery_concurrency: int = Field(8, ge=1, le=50, description="Destinations a change is sent to at once.")
    scheduler_enabled: bool = Field(True, description="Run the poll and briefing jobs (tests turn this off).")
    max_troops: int = Field(
        1_000_000, ge=1000, le=10_000_000,
        description="The cap on one contingent: a report or scenario figure above it is refused.")  # fmt: skip
    http_timeout_seconds: Seconds = Field(20.0, gt=0, le=600, description="Deadline of one fetch of the source.")
    webhook_timeout_seconds: Seconds = Field(
        30.0, gt=0, le=600,
        description="A webhook request unanswered by then has an unknown outcome (retried once, later).")  # fmt: skip
    ledger_retention_days: Seconds = Field(
        90.0, ge=1, le=3650, description="Finished deliveries older than this are deleted."
    )
    discord_api_base: Annotated[str | None, Optional] = Field(
        None, description="Discord's REST API base, for an operator who routes Discord through a proxy."
    )
    http_max_bytes: int = Field(
        2 * 1024 * 1024, ge=1024, le=1024**3, description="The largest report fetched, in bytes."
    )
    discord_requests_per_second: Seconds = Field(
        50.0, gt=0, le=10_000,
        description="The bot's global request budget to Discord (50 unless Discord raised it); each instance "
        "paces itself at its shards' share of it.")  # fmt: skip
    webhooks: Annotated[tuple[SecretStr, ...], NoDecode, BeforeValidator(_comma_separated)] = Field(
        (), description="Webhook URLs the running bot posts digests to on each poll (secret: each holds a token), "
        "comma-separated; `kfor-bot check --webhook` serves them from cron instead.")  # fmt: skip
    shard_count: Annotated[Annotated[int, Field(ge=1, le=1024)] | None, Optional] = Field(
        None, description="Gateway shards of the whole bot (Discord requires sharding from 2,500 servers); unset: "
        "one connection.")  # fmt: skip
    shard_ids: Annotated[
        tuple[Annotated[int, Field(ge=0, le=1023)], ...], NoDecode, BeforeValidator(_comma_separated)
    ] = Field((), description="The shards this instance runs, comma-separated; unset: all of `shard_count`.")

    # -- for operators -------------------------------------------------------------------------
    metrics_port: Annotated[Annotated[int, Field(ge=0, le=65535)] | None, Optional] = Field(
        None,
        description="Serve Prometheus `/metrics` and `/healthz` on this port; 0 takes any free port.")  # fmt: skip
    metrics_host: str = Field(
        "127.0.0.1", min_length=1, description="The address they listen on: this machine only, unless opened wider."
    )
    # -- Announcements ---------------------------------------------------------------------------
    feeds: tuple[FeedSetting, ...] = Field(
        DEFAULT_FEEDS, max_length=50,
        description="News feeds read for announcements: `[[feeds]]` tables with `url`, `lang` (en, de, it, fr), "
        "`publisher`, `tier` (official or press) and `verify` (true: listed, not polled until checked).",
    )  # fmt: skip
    feed_poll_minutes: Seconds = Field(
        30.0, ge=5, le=10080, description="How often the news feeds are read, in minutes."
    )
    feed_entry_max_days: int = Field(
        60, ge=1, le=3650,
        description="Feed entries published longer ago than this are recorded as seen and never announced: a new "
        "feed's archive is not news.",
    )  # fmt: skip

    def __init__(self, *, _env_file: str | None = ENV_FILE, **given: Any) -> None:
        places: dict[str, str] = dict.fromkeys(given, "argument")
        token = _PLACES.set(places)
        try:
            _refuse_unknown_variables()
            super().__init__(_env_file=_env_file, **given)
        except UnicodeDecodeError as exc:  # a .env saved as Windows-1252
            raise SettingsError(f"{_env_file} is not UTF-8 text: {exc}") from None
        except PydanticSettingsError as exc:  # a list or table given as a variable that is not JSON (KFOR_FEEDS=x)
            raise SettingsError(_not_json(exc)) from None
        except ValidationError as exc:
            raise SettingsError.many([_worded(problem, places) for problem in problems_of(exc, type(self))]) from None
        finally:
            _PLACES.reset(token)

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:  # fmt: skip
        """Arguments, environment, ``.env``, then ``config/kfor.toml`` through pydantic-settings' TOML source."""
        try:
            toml = TomlConfigSettingsSource(settings_cls, toml_file=lookup.CONFIG_FILE)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:  # stop, rather than run on the defaults
            raise SettingsError(f"{lookup.shown_config()} is not valid TOML: {exc}") from None
        return (init_settings, _Traced(env_settings, "environment"), _Traced(dotenv_settings, "dotenv"),
                _Traced(toml, "config"))  # fmt: skip

    # -- the settings' own rules ---------------------------------------------------------------

    @field_validator("max_total_drop", "max_nations_drop", mode="before")
    @classmethod
    def _a_fraction(cls, value: object) -> object:
        """``33`` meant as 33 % would switch the "never a false alarm" guard off: say how to write it."""
        try:
            number = float(str(value))
        except ValueError:
            return value
        if number > 1:
            raise ValueError(f"must be a fraction from 0 to 1 (0.33 for 33 %), not {value!r}")
        return value

    @field_validator("source")
    @classmethod
    def _a_path_or_web_address(cls, source: str) -> str:
        if "://" in source:
            _web_address(source)
        return source

    @field_validator("discord_api_base")
    @classmethod
    def _a_web_address(cls, base: str | None) -> str | None:
        return _web_address(base) if base is not None else None

    @field_validator("source_link")
    @classmethod
    def _a_pattern(cls, pattern: str | None) -> str | None:
        """A broken pattern is a start-up error that names it, not a source problem at the first poll."""
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return pattern

    @field_validator("database_url")
    @classmethod
    def _a_database(cls, url: str | None) -> str | None:
        if url is not None:
            scheme = url.partition("://")[0].split("+", 1)[0].lower()
            if "://" not in url or scheme not in {"sqlite", "postgresql", "postgres"}:
                raise ValueError("must be sqlite:///PATH or postgresql://USER@HOST/DB")
        return url

    @field_validator("webhooks")
    @classmethod
    def _webhook_urls(cls, urls: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        """A typo in a URL is a start-up error (naming the position, never the token), not a retry every poll."""
        for index, url in enumerate(urls):
            if not _WEBHOOK_URL.match(url.get_secret_value().strip()):
                raise ValueError(
                    f"entry {index + 1} is not a Discord webhook URL (https://discord.com/api/webhooks/ID/TOKEN)"
                )
        return urls

    @model_validator(mode="after")
    def _shards_within_count(self) -> Settings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError("KFOR_SHARD_IDS needs KFOR_SHARD_COUNT")
        if self.shard_count is not None and any(i >= self.shard_count for i in self.shard_ids):
            raise ValueError(f"every shard id must be below KFOR_SHARD_COUNT ({self.shard_count})")
        if len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("KFOR_SHARD_IDS names a shard twice")
        return self

    @field_validator("metrics_host")
    @classmethod
    def _a_host(cls, host: str) -> str:
        if "://" in host or "/" in host or any(ch.isspace() for ch in host):
            raise ValueError(f"must be an address or a host name (127.0.0.1, 0.0.0.0), not {host!r}")
        return host

    @model_validator(mode="after")
    def _the_config_files_source_comes_with_its_link(self) -> Settings:
        """``source_link`` and ``source_complete_lists`` in the config file describe the config file's source
        (NATO's page and its placemat): a source set elsewhere (``KFOR_SOURCE=report.csv``) does not
        inherit them, or a local file would be read as a page of links and a press list as complete."""
        places = _PLACES.get({})
        if places.get("source") not in (None, "config"):
            for name in ("source_link", "source_complete_lists"):
                if places.get(name) == "config":
                    object.__setattr__(self, name, type(self).model_fields[name].default)
        return self

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.delivery_lease_seconds)

    @property
    def request_budget(self) -> float:
        """This instance's requests per second to Discord: the bot's budget times the share of shards it runs.

        Instances split Discord's one global limit between them instead of negotiating it per request
        (see :mod:`bot.discord.pacing`); unsharded replicas divide ``discord_requests_per_second`` by hand.
        """
        if self.shard_count is None or not self.shard_ids:
            return self.discord_requests_per_second
        return self.discord_requests_per_second * len(self.shard_ids) / self.shard_count

    @property
    def store_url(self) -> str:
        """``DATABASE_URL``, or a SQLite file in the state directory."""
        return self.database_url or f"sqlite:///{self.state_dir / 'kfor.db'}"


class _Traced(PydanticBaseSettingsSource):
    """A settings source that notes which settings it gave, so a bad value is reported where it was set."""

    def __init__(self, inner: PydanticBaseSettingsSource, place: str) -> None:
        super().__init__(inner.settings_cls)
        self.inner, self.place = inner, place

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.inner.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        # A blank value is no value (``KFOR_DATA_DIR= ``): the next place, or the default, applies.
        values = {
            key: value for key, value in self.inner().items() if not (isinstance(value, str) and not value.strip())
        }
        places = _PLACES.get({})
        for key in values:
            places.setdefault(_field_of(key), self.place)  # sources are read from the highest precedence down
        return values


def _field_of(key: str) -> str:
    """The setting a source's key names: its field name, or the field of an alias (``DISCORD_TOKEN``)."""
    lowered = key.lower()
    for name in Settings.model_fields:
        if lowered == name or lowered in (alias.lower() for alias in env_names(name)):
            return name
    return lowered.removeprefix(ENV_PREFIX.lower())


def _refuse_unknown_variables() -> None:
    """A ``KFOR_`` variable that names no setting is a typo (``KFOR_POL_MINUTES``): running on the
    default instead would be silent, so it is refused with the nearest name."""
    known = _variables()
    unknown = sorted(key for key in os.environ if key.upper().startswith(ENV_PREFIX) and key.upper() not in known)
    if unknown:
        raise SettingsError.many([f"{key}: no such setting{did_you_mean(key.upper(), known)}" for key in unknown])


@cache
def _variables() -> tuple[str, ...]:
    """Every variable a setting may be given by (``KFOR_POLL_MINUTES``, ``DISCORD_TOKEN``, …), in capitals."""
    return tuple(sorted(alias.upper() for name in Settings.model_fields for alias in env_names(name)))


_SOURCE_PLACES = {"EnvSettingsSource": "environment", "DotEnvSettingsSource": "dotenv"}


def _not_json(exc: PydanticSettingsError) -> str:
    """pydantic-settings' "error parsing value for field "feeds" from source …" as the variable to fix."""
    found = re.search(r'field "(\w+)" from source "(\w+)"', str(exc))
    if found is None:
        return str(exc)
    field, source = found.groups()
    return f"{label(field, _SOURCE_PLACES.get(source, 'config'))}: must be written as JSON (a list or a table)"


def _worded(problem: Problem, places: dict[str, str]) -> str:
    """``KFOR_POLL_MINUTES must be ≥ 1, not '0'``, ``… in .env``, or ``config/kfor.toml: pol_minutes: unknown key``."""
    if not problem.loc:
        return problem.message
    key = str(problem.loc[0])
    field = _field_of(key)
    place = places.get(field, "config" if field not in Settings.model_fields else "environment")
    where = ".".join([label(field, place), *map(str, problem.loc[1:])])
    if problem.message.startswith("unknown key") and place in {"environment", "dotenv"}:  # hint at a variable
        return f"{where}: unknown key{did_you_mean(env_names(field)[0], _variables())}"
    return f"{where}: {problem.message}"
