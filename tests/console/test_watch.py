"""The console runs the same watch cycle and prints digests of changes."""

from __future__ import annotations

from bot.console.watch import ConsoleWatch
from tests.conftest import SEED_FIGURES, snapshot_of


def test_console_prints_a_digest_when_the_source_changes(bot_settings, dataset) -> None:
    from bot.briefings.service import BriefingService

    service = BriefingService(dataset)
    shown, said = [], []
    watch = ConsoleWatch(bot_settings.model_copy(update={"poll_minutes": 60}), service, shown.append, said.append)
    watch.start()
    try:
        assert watch.wait_for_cycles(1)[0].status == "baseline"
        assert shown == [] and said and said[0].startswith("[watch] baseline")
        from pathlib import Path

        Path(bot_settings.source).write_text(snapshot_of(dict(SEED_FIGURES, Germany=300), "2025-06").to_json())
        watch.trigger()
        assert watch.wait_for_cycles(2)[1].status == "changed"
        assert [b.kind for b in shown] == ["digest", "digest-detail"]
        assert shown[0].title == "KFOR update — 2025-02 → 2025-06"
        assert service.catalog.latest.troops_by_nation["Germany"] == 300  # commands now answer with it
    finally:
        watch.stop()
