"""Every watcher (bot, console, check) is built the same way, with all the settings' limits."""

from __future__ import annotations

import aiohttp

from bot.alerts.setup import make_watcher
from bot.settings import Settings
from bot.sources.fetch import FileSource, HttpSource
from bot.store.repository import Store


async def test_http_sources_get_the_configured_limits(tmp_path, registry) -> None:
    settings = Settings(_env_file=None, state_dir=tmp_path, http_timeout_seconds=3, http_max_bytes=1000,
                        max_total_drop=0.2, notify_after_failures=5)  # fmt: skip
    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store, aiohttp.ClientSession() as session:
        watcher = make_watcher(
            settings, store, registry, lambda _s: None, session, location="https://example.org/r.csv"
        )
        assert isinstance(watcher.source, HttpSource)
        assert (watcher.source.timeout, watcher.source.max_bytes) == (3, 1000)
        assert watcher.plausibility.max_total_drop == 0.2 and watcher.notify_after_failures == 5
        assert watcher.meta.source.publisher == "example.org"
        default = make_watcher(settings, store, registry, lambda _s: None, None)
        assert isinstance(default.source, FileSource) and default.source.key.endswith(settings.source)
