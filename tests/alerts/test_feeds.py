"""The feed cycle through real paths: feeds served on 127.0.0.1, a real SQLite store, the watcher's ledger."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from bot.alerts.feeds import FeedWatcher, scenario_of
from bot.settings.model import FeedSetting
from bot.store.database import Store
from tests.alerts.conftest import Clock, Inbox, RecordingDestination, make_watcher, write_report
from tests.conftest import SEED_FIGURES
from tests.feed_fixtures import RSS_ITEMS, atom, rss
from tests.report_server import ReportServer, serve_report

#: Two days after the fixtures' entries were published: news, not a feed's archive.
READ_AT = dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


async def test_an_official_claim_is_posted_once_then_confirmed_by_the_next_list(tmp_path, registry, session) -> None:
    """Germany +220 from May is posted once with its quote and scenario; a 304 and a re-issue post nothing;
    the next list showing 489 confirms it in a follow-up; a channel following only Poland hears nothing."""
    report = tmp_path / "report.json"
    write_report(report, SEED_FIGURES, "2025-02")
    inbox, other = Inbox(), Inbox()
    destinations = {"channel:1": RecordingDestination("channel:1", inbox),
                    "channel:2": RecordingDestination("channel:2", other)}  # fmt: skip
    clock = Clock(READ_AT)
    async with (
        Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store,
        serve_report(ReportServer(body=rss(), content_type="application/rss+xml")) as server,
    ):
        await store.subscriptions.subscribe(destination_key="channel:1", mission="KFOR", now=clock())
        await store.subscriptions.subscribe(destination_key="channel:2", mission="KFOR", now=clock(),
                                            nations=frozenset({"Poland"}))  # fmt: skip
        watcher = make_watcher(store, report, registry, destinations, clock)
        assert (await watcher.run_cycle()).status == "baseline"
        feed = FeedSetting(url=server.bare_url, lang="de", publisher="BMVg", tier="official")
        feeds = FeedWatcher(watcher, [feed], session)

        first = await feeds.run_cycle()
        assert (first.read, first.announced, first.sent) == (1, 1, 1)
        (post,) = inbox.posts
        assert post.head.title.startswith("Announced — not yet official")
        assert "not an official figure" in post.head.summary
        fields = {f.name: f.value for f in post.head.fields}
        assert fields["Last complete list"] == "269 (2025-02)" and fields["Expected, for illustration"] == "≈ 489"
        assert "zweihundertzwanzig" in fields["Quote"] and fields["Read it"] == RSS_ITEMS[0][0]
        assert post.scenario == "Germany+220" and post.thread_name == f"Announcement #{1}: Germany"
        assert other.posts == []

        assert (await feeds.run_cycle()).unchanged == 1  # a 304: nothing parsed, nothing posted
        server.body = rss([(RSS_ITEMS[0][0], "new-guid", "Bundeswehr verstärkt die KFOR im Mai", RSS_ITEMS[0][3],
                            RSS_ITEMS[0][4])])  # fmt: skip
        again = await feeds.run_cycle()
        assert (again.read, again.claims, again.sent) == (1, 0, 0) and len(inbox.posts) == 1

        later = dict(SEED_FIGURES, Germany=489)
        write_report(report, later, "2025-07")
        clock.advance(days=120)
        assert (await watcher.run_cycle()).status == "changed"
        _announcement, follow_up, digest = inbox.posts  # settled before the digest went out, which says so
        assert follow_up.head.title.startswith("Confirmed by the official figures")
        assert "shows 489" in " ".join(follow_up.head.notes)
        assert digest.head.kind == "digest" and (
            "Announcement #1 (Germany: +220 troops from 2025-05): confirmed — the official list of 2025-07 shows 489, "
            "expected ≈ 489." in digest.head.notes
        )
        assert (await feeds.run_cycle()).settled == 0 and len(inbox.posts) == 3  # nothing settled twice
        states = {
            (a.claim.nation, a.claim.kind): (a.state, a.observed) for a in await store.announcements.recent("KFOR")
        }
        # The change of command is recorded (and listed), never posted and never matched to a headcount.
        assert states == {("Germany", "increase"): ("confirmed", 489), ("Germany", "command"): ("announced", None)}
        assert other.posts == []  # it follows Poland: neither the announcement nor its confirmation


async def test_a_single_press_claim_is_a_candidate_and_a_broken_feed_is_a_problem_once(tmp_path, registry,
                                                                                      session) -> None:  # fmt: skip
    """A press claim is listed, not posted; an HTML page where the feed was is a source problem,
    told once after three failures in a row, and nothing of the feed is marked seen meanwhile."""
    report = tmp_path / "report.json"
    write_report(report, SEED_FIGURES, "2025-02")
    inbox = Inbox()
    clock = Clock(READ_AT)
    async with (
        Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store,
        serve_report(ReportServer(body=b"<html><body>Maintenance</body></html>", content_type="text/html")) as server,
    ):
        await store.subscriptions.subscribe(destination_key="channel:1", mission="KFOR", now=clock())
        watcher = make_watcher(store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, clock)
        await watcher.run_cycle()
        press = FeedWatcher(watcher, [FeedSetting(url=server.bare_url, lang="en", publisher="Daily", tier="press")],
                            session, timeout=5)  # fmt: skip
        for _ in range(4):
            result = await press.run_cycle()
            assert result.problems and "not an RSS or Atom feed" in result.problems[0]
        assert [p.head.title for p in inbox.posts] == ["KFOR news feed problem"]
        server.body = atom()
        result = await press.run_cycle()
        assert (result.read, result.claims, result.announced) == (1, 1, 0)
        (candidate,) = await store.announcements.recent("KFOR")
        assert (candidate.claim.nation, candidate.state, candidate.claim.change) == ("United Kingdom", "candidate", 200)
        assert len(inbox.posts) == 1
        clock.advance(days=560)  # no new official list for eighteen months: the candidate expires, silently
        assert (await press.run_cycle()).settled == 1
        (expired,) = await store.announcements.recent("KFOR")
        assert expired.state == "expired" and len(inbox.posts) == 1


def test_a_feed_marked_to_verify_is_never_read(registry) -> None:
    """The shipped defaults carry verify = true: the cycle skips them (checked without any network)."""
    feed = FeedSetting(url="https://www.army.mil/rss/static/1.xml", lang="en", publisher="US Army", tier="official",
                       verify=True)  # fmt: skip
    assert feed.verify


def test_the_scenario_of_an_announcement() -> None:
    """Each change of headcount becomes the scenario engine's expression; a ceiling none."""
    import datetime as dt

    from bot.core.announcements import Announcement
    from bot.core.claims import Claim

    def of(kind: str, change: int | None, level: int | None) -> str | None:
        claim = Claim("Poland", kind, change, level, False, None, None, None, "q")  # type: ignore[arg-type]
        now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        return scenario_of(Announcement(1, "KFOR", claim, "official", ("x",), "announced", None, 247, None, None,
                                        None, now, now))  # fmt: skip

    assert [of("increase", 100, None), of("decrease", -80, None), of("withdraw_all", None, 0),
            of("level", None, 400), of("ceiling", None, 350)] == [
        "Poland+100", "Poland-80", "withdraw Poland", "Poland=400", None]  # fmt: skip


async def test_a_new_feeds_archive_is_seen_but_never_announced(tmp_path, registry, session) -> None:
    """Entries published more than 60 days before they are first read are recorded as seen, with no claim."""
    report = tmp_path / "report.json"
    write_report(report, SEED_FIGURES, "2025-02")
    inbox = Inbox()
    clock = Clock(dt.datetime(2025, 6, 1, tzinfo=dt.UTC))  # the entries are of March
    async with (
        Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store,
        serve_report(ReportServer(body=rss(), content_type="application/rss+xml")) as server,
    ):
        await store.subscriptions.subscribe(destination_key="channel:1", mission="KFOR", now=clock())
        watcher = make_watcher(store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, clock)
        await watcher.run_cycle()
        feed = FeedSetting(url=server.bare_url, lang="de", publisher="BMVg", tier="official")
        result = await FeedWatcher(watcher, [feed], session).run_cycle()
        assert (result.read, result.claims, result.sent) == (1, 0, 0)
        assert inbox.posts == [] and await store.announcements.recent("KFOR") == []
