"""Shared wiring of a watcher for the bot, the console and ``kfor-bot check``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.alerts.destinations import Destination
from bot.alerts.watcher import Watcher, utcnow
from bot.core.models import Source as Provenance
from bot.core.nations import NationRegistry
from bot.core.plausibility import Plausibility
from bot.core.reports import ReportMeta
from bot.settings import PROJECT_ROOT, Settings
from bot.sources.datafiles import read_meta
from bot.sources.fetch import FileSource, HttpSource, LinkedSource, open_source
from bot.sources.guard import HopPolicy
from bot.sources.location import public_address
from bot.store.database import Store
from bot.store.snapshots import StoredSnapshot

if TYPE_CHECKING:
    import aiohttp


def source_meta(location: str, mission: str, base: Path = PROJECT_ROOT) -> ReportMeta:
    """What a watched report does not say about itself: its sidecar meta, or its address.

    JSON snapshots carry their own mission, date and source, which take precedence.
    """
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""  # never the netloc: it may carry a user and password
        name = Path(parts.path).name or host
        return ReportMeta(mission=mission, source=Provenance(title=name, publisher=host, url=public_address(location)))
    path = Path(location) if Path(location).is_absolute() else base / location
    # A file without a sidecar is cited by its name: its path is the operator's business, not the team's.
    return read_meta(path) or ReportMeta(mission=mission, source=Provenance(title=path.name, publisher="local file"))


def make_watcher(
    settings: Settings,
    store: Store,
    registry: NationRegistry,
    resolve: Callable[[str], Destination | None],
    session: aiohttp.ClientSession | None,
    location: str | None = None,
    on_snapshots: Callable[[Sequence[StoredSnapshot]], None] | None = None,
    link: str | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
    on_delivery: Callable[[str], None] | None = None,
    fetch_budget: float | None = None,
) -> Watcher:
    """A watcher of ``location`` with every limit from the settings.

    Without ``location``: the configured source and its configured link pattern. ``link`` (a
    regular expression) makes ``location`` a page whose newest matching link is watched; a
    ``location`` given without one is watched as it is, whatever the configured pattern.
    ``fetch_budget``: what is left of the fetch timeout (``check`` spent part of it on its quick path).
    """
    # Whether the source publishes complete lists is said of the configured source: another location
    # (`check --source`) is not taken for one, or a press list would be read as complete.
    complete = settings.source_complete_lists if not location or location == settings.source else False
    if not location:
        location, link = settings.source, link or settings.source_link
    source = open_source(location, session, base=PROJECT_ROOT, link=link)
    if isinstance(source, HttpSource | LinkedSource):
        source.timeout, source.max_bytes = fetch_budget or settings.http_timeout_seconds, settings.http_max_bytes
        source.timeout_shown = settings.http_timeout_seconds
    if isinstance(source, HttpSource):
        source.policy = HopPolicy.for_source(source.url, settings.source_allowed_hosts)
    elif isinstance(source, LinkedSource):
        source.allowed_hosts = HopPolicy.for_source(source.url, settings.source_allowed_hosts).allowed
    elif isinstance(source, FileSource):
        source.max_bytes = settings.http_max_bytes
    return Watcher(
        store, source, registry, source_meta(location, settings.mission).replace(max_troops=settings.max_troops),
        resolve,
        Plausibility(max_total_drop=settings.max_total_drop, max_nations_drop=settings.max_nations_drop),
        settings.notify_after_failures, settings.max_delivery_failures, clock=clock, on_snapshots=on_snapshots,
        concurrency=settings.delivery_concurrency, on_delivery=on_delivery,
        publishes_complete=complete,
    )  # fmt: skip
