"""The settings model: ``config/kfor.toml``, overridden by ``.env`` and the environment, read at run time.

The names and the order of precedence come from :mod:`bot.settings.lookup`. Every variable is
prefixed ``KFOR_`` except the Discord ones, which keep the names hosting platforms and the
discord.py documentation use (``DISCORD_TOKEN``, ``DEV_GUILD_ID``), and ``DATABASE_URL``, which
platforms set for their databases. The token is a :class:`Secret`: its repr and str are masked, so
it never reaches a log line.

A frozen dataclass read by the standard library, not a pydantic-settings model: every command
reads its settings first, and pydantic's import (≈ 0.15 s and 9 MB) cost more than the quick
``check`` takes in all and was a tenth of the idle bot's memory (issue #9). One reader serves
every entry point, so ``ask``, ``check``'s quick path and the bot cannot disagree on a setting.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints

from bot.settings.lookup import ENV_FILE, PROJECT_ROOT, SettingsError, Sources

__all__ = ["Secret", "Settings", "SettingsError"]


class Secret:
    """A value that must not be shown: masked in repr and str (a token in a traceback or a log line).

    Not a dataclass, on purpose: ``dataclasses.asdict`` would open one up and copy the value out.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __repr__(self) -> str:
        return f"Secret('{self}')"


@dataclass(frozen=True, kw_only=True, init=False)
class Settings:
    """All of kfor-bot's configuration; see the README's "Configuration" table.

    ``Settings(**given)`` reads it as pydantic-settings' ``BaseSettings`` did, so tools written for
    that keep working: each setting is the value given, else the environment's, else ``_env_file``'s
    (``.env``; ``None`` reads none), else ``config/kfor.toml``'s, else the default below.
    """

    discord_token: Secret | None = None
    dev_guild_id: int | None = None
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
    database_url: str | None = None
    poll_minutes: float = 15.0
    poll_jitter_seconds: float = 60.0
    max_total_drop: float = 1 / 3
    max_nations_drop: float = 1 / 3
    notify_after_failures: int = 3
    #: How long a delivery's claim is held before another process may take it over (a long send renews it).
    delivery_lease_seconds: float = 300.0
    #: Failed deliveries in a row to one destination after which its pending message is given up.
    max_delivery_failures: int = 5
    #: How many destinations a change is sent to at once; discord.py's rate limiter paces every request.
    delivery_concurrency: int = 8
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
    metrics_port: int | None = None
    #: The address they listen on: this machine only, unless the operator opens it wider.
    metrics_host: str = "127.0.0.1"

    def __init__(self, *, _env_file: str | None = ENV_FILE, **given: Any) -> None:
        types = _field_types()
        unknown = sorted(set(given) - set(types))
        if unknown:
            raise TypeError(f"Settings has no setting {', '.join(unknown)}")
        values, places = dict(given), {}
        missing = [name for name in types if name not in given]
        if missing:  # dataclasses.replace() hands every field over: nothing to read then
            sources = Sources.read(_env_file)
            for name in missing:
                found = sources.lookup(name, empty_is_unset=not types[name][1])  # empty: unset, or None where allowed
                if found is not None:
                    values[name], places[name] = _convert(found[0], types[name], name, found[1]), found[1]
        for item in fields(self):
            if item.name not in values:  # every setting has a default or a default factory
                values[item.name] = item.default if item.default_factory is MISSING else item.default_factory()
            object.__setattr__(self, item.name, values[item.name])
        try:
            self._check()
        except SettingsError as exc:  # a rule broken by a value from .env or the config file: say so
            if exc.setting not in places or places[exc.setting] == "environment":
                raise
            raise SettingsError.of(exc.setting, exc.problem, places[exc.setting]) from None

    def _check(self) -> None:
        """The settings' own rules, whichever way they were given."""
        if isinstance(self.discord_token, str):  # given as text (a test, a tool): kept masked all the same
            object.__setattr__(self, "discord_token", Secret(self.discord_token) if self.discord_token else None)
        _within(self.delivery_concurrency, "delivery_concurrency", 1, 50)
        for name, (kind, _) in _field_types().items():  # durations and shares: none is negative
            if kind is float:  # and a poll every 0 minutes would be a busy loop
                _not_negative(getattr(self, name), name, zero_allowed=name != "poll_minutes")
        if self.metrics_port is not None:
            _within(self.metrics_port, "metrics_port", 0, 65535)
        if not self.source_link:  # empty means none
            object.__setattr__(self, "source_link", None)
        else:  # a broken pattern is a start-up error that names it, not a source problem at the first poll
            try:
                re.compile(self.source_link)
            except re.error as exc:
                problem = f"'{self.source_link}' is not a regular expression: {exc}"
                raise SettingsError(f"KFOR_SOURCE_LINK {problem}", setting="source_link", problem=problem) from None

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.delivery_lease_seconds)

    @property
    def store_url(self) -> str:
        """``DATABASE_URL``, or a SQLite file in the state directory."""
        return self.database_url or f"sqlite:///{self.state_dir / 'kfor.db'}"


def _within(value: int, name: str, low: int, high: int) -> None:
    if not low <= value <= high:
        raise SettingsError.of(name, f"must be from {low} to {high}, not {value}")


def _not_negative(value: float, name: str, *, zero_allowed: bool) -> None:
    if not (value >= 0 if zero_allowed else value > 0):
        bound = "≥ 0" if zero_allowed else "above 0"
        raise SettingsError.of(name, f"must be a number {bound}, not {value:g}")


@cache
def _field_types() -> dict[str, tuple[type, bool]]:
    """Each setting's type without ``| None``, and whether None (unset) is allowed."""
    hints = get_type_hints(Settings, {"Secret": Secret, "Path": Path})
    types: dict[str, tuple[type, bool]] = {}
    for item in fields(Settings):
        hint = hints[item.name]
        optional = isinstance(hint, UnionType) and type(None) in get_args(hint)
        base = next(a for a in get_args(hint) if a is not type(None)) if optional else hint
        types[item.name] = (get_origin(base) or base, optional)
    return types


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_EXPECTED = {int: "a whole number", float: "a number", bool: "true or false",
             frozenset: "whole numbers, comma-separated"}  # fmt: skip


def _convert(raw: object, kind: tuple[type, bool], name: str, place: str = "environment") -> Any:
    """A setting's text (or TOML value) as its field's type; an empty text is "unset" where that is allowed."""
    base, optional = kind
    text = str(raw).strip()
    if optional and text == "":
        return None
    try:
        if base is bool:
            if isinstance(raw, bool) or text.casefold() in _TRUE | _FALSE:
                return raw if isinstance(raw, bool) else text.casefold() in _TRUE
            raise ValueError(text)
        if base is frozenset:  # owner ids: "1,2" in the environment, [1, 2] in the config file
            items = raw if isinstance(raw, list) else text.strip("[]").split(",")
            return frozenset(int(str(item).strip()) for item in items if str(item).strip())
        if base is int and not isinstance(raw, bool):
            return int(text.replace("_", ""))
        if base is float and not math.isfinite(float(text)):  # "nan", "inf": no duration or share
            raise ValueError(text)
        return base(text)  # float, str, Path, Secret
    except ValueError:
        expected = _EXPECTED.get(base, base.__name__)
        raise SettingsError.of(name, f"must be {expected}, not {text!r}", place) from None
