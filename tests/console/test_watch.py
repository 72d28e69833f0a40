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


def test_console_watch_reads_a_top_20_page_as_partial(bot_settings, dataset) -> None:
    """A "Top 20 contributing nations" page after the complete list: Germany's change, nobody leaving,
    and the briefings still answer from the complete list."""
    from pathlib import Path

    from bot.briefings.service import BriefingService
    from tests.partial_reports import LEFT_OUT, top_20_html

    page = Path(bot_settings.source).with_name("contributing-nations.html")
    rows = "".join(f"<tr><td>{n}</td><td>{t}</td></tr>" for n, t in SEED_FIGURES.items())
    page.write_text(f"<html><body><h1>KFOR, as of February 2025</h1><table>{rows}</table></body></html>")
    service = BriefingService(dataset)
    shown, said = [], []
    settings = bot_settings.model_copy(update={"poll_minutes": 60, "source": str(page)})
    watch = ConsoleWatch(settings, service, shown.append, said.append)
    watch.start()
    try:
        assert watch.wait_for_cycles(1)[0].status == "baseline"
        page.write_bytes(top_20_html())
        watch.trigger()
        assert watch.wait_for_cycles(2)[1].status == "changed"
        head, detail = shown
        assert head.summary.startswith("Partial report: 20 of 29 nations listed; no total stated.")
        fields = {f.name: f.value for f in head.fields}
        assert fields == {"Grew (1)": "🇩🇪 Germany 269 → 310 (+41, +15.2%)"}
        unlisted = {row[0] for row in detail.table.rows if row[2] == "—"}
        assert len(unlisted) == len(LEFT_OUT) == 9
        assert service.catalog.latest.troops_by_nation["Portugal"] == 1  # the complete list still answers
    finally:
        watch.stop()


def test_without_a_network_the_watch_says_so_once_and_the_console_keeps_answering(bot_settings, dataset) -> None:
    """The configured page cannot be reached (no network here: a port nothing listens on stands in): one calm
    line, not one per poll nor a source-problem notice after three, and answers still come from the history."""
    import tomllib

    from bot.briefings.service import BriefingService
    from bot.settings import CONFIG_FILE

    service = BriefingService(dataset)
    shown, said = [], []
    settings = bot_settings.model_copy(update={
        "poll_minutes": 60, "http_timeout_seconds": 1, "source": "http://127.0.0.1:1/kfor/contributing-nations",
        "source_link": tomllib.loads(CONFIG_FILE.read_text())["source_link"],
    })  # fmt: skip
    watch = ConsoleWatch(settings, service, shown.append, said.append)
    watch.start()
    try:
        for cycle in range(1, 4):  # three failures: the count after which subscribers hear of a source problem
            if cycle > 1:
                watch.trigger()
            results = watch.wait_for_cycles(cycle)
            assert len(results) == cycle and results[-1].status == "problem" and results[-1].unreachable
        assert said == ["[watch] The watched source cannot be reached just now (no network, or the site is down). "
                        "Answers come from the stored history; the watch tries again every 60 min."]  # fmt: skip
        assert shown == []
        assert service.answer("/kfor top 1").title.startswith("KFOR")
    finally:
        watch.stop()


def test_console_prints_an_announcement_from_a_feed_and_lists_it(bot_settings, dataset, tmp_path) -> None:
    """A configured feed's official claim prints once in the console, and /kfor announcements lists it."""
    from bot.briefings.service import BriefingService
    from bot.settings.model import FeedSetting
    from tests.feed_fixtures import rss

    (tmp_path / "bmvg.xml").write_bytes(rss())
    feed = FeedSetting(url=str(tmp_path / "bmvg.xml"), lang="de", publisher="BMVg", tier="official")
    service = BriefingService(dataset)
    shown, said = [], []
    settings = bot_settings.model_copy(update={"poll_minutes": 60, "feeds": (feed,), "feed_entry_max_days": 3650})
    watch = ConsoleWatch(settings, service, shown.append, said.append)
    watch.start()
    try:
        assert watch.wait_for_cycles(1)[0].status == "baseline"
        watch.trigger()
        watch.wait_for_cycles(2)
        assert [b.title for b in shown] == ["Announced — not yet official · #1"]  # once, though read twice
        listed = service.answer("/kfor announcements")
        # the increase, and the change of command (listed, never printed); one line each, newest first
        lines = listed.summary.split("\n\n", 1)[1].splitlines()
        assert ["change of command" in lines[0], "+220 troops from 2025-05" in lines[1]] == [True, True]
    finally:
        watch.stop()


def test_the_console_reads_feeds_at_their_own_interval_not_at_every_report_poll(bot_settings, dataset, tmp_path,
                                                                                 monkeypatch) -> None:  # fmt: skip
    """Reports every 0.06 s here, feeds every 60 min: five report polls read the feed once; a trigger reads both."""
    from bot.alerts.feeds import FeedWatcher
    from bot.briefings.service import BriefingService
    from bot.settings.model import FeedSetting
    from tests.feed_fixtures import rss

    reads = []
    read_feeds = FeedWatcher.run_cycle

    async def counted(self: FeedWatcher):
        reads.append(len(watch.results))
        return await read_feeds(self)

    monkeypatch.setattr(FeedWatcher, "run_cycle", counted)
    (tmp_path / "bmvg.xml").write_bytes(rss())
    feed = FeedSetting(url=str(tmp_path / "bmvg.xml"), lang="de", publisher="BMVg", tier="official")
    settings = bot_settings.model_copy(update={"poll_minutes": 0.001, "feed_poll_minutes": 60, "feeds": (feed,)})
    watch = ConsoleWatch(settings, BriefingService(dataset), [].append, [].append)
    watch.start()
    try:
        assert len(watch.wait_for_cycles(5)) >= 5
        assert reads == [0]  # at start only
        watch.trigger()  # "read now" (only tests and stop call it)
        count = len(watch.results)
        watch.wait_for_cycles(count + 2)  # a poll under way when the trigger came is recorded first, unasked
        assert len(reads) == 2
    finally:
        watch.stop()
