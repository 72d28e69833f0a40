"""Shared wiring of a watcher for the bot, the console and ``kfor-bot check``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bot.core.models import Source as Provenance
from bot.core.plausibility import Plausibility
from bot.core.reports import ReportMeta
from bot.datafiles import read_meta
from bot.settings import PROJECT_ROOT, Settings


def source_meta(location: str, mission: str, base: Path = PROJECT_ROOT) -> ReportMeta:
    """What a watched report does not say about itself: its sidecar meta, or its address.

    JSON snapshots carry their own mission, date and source, which take precedence.
    """
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        name = Path(parts.path).name or parts.netloc
        return ReportMeta(mission=mission, source=Provenance(title=name, publisher=parts.netloc, url=location))
    path = Path(location) if Path(location).is_absolute() else base / location
    return read_meta(path) or ReportMeta(mission=mission, source=Provenance(title=path.name, publisher=str(path)))


def plausibility(settings: Settings) -> Plausibility:
    return Plausibility(max_total_drop=settings.max_total_drop, max_nations_drop=settings.max_nations_drop)
