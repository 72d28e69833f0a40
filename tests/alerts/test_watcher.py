"""The watch cycle end to end on a real store: exactly once, no false alarms, nothing lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.alerts.watcher import Watcher
from bot.core.reports import ReportMeta
from bot.sources.fetch import HttpSource
from bot.store.database import Store
from tests.alerts.conftest import META, Clock, Crash, Inbox, RecordingDestination, make_watcher, write_report
from tests.conftest import SEED_FIGURES, snapshot_of
from tests.documents import PAGE_FIGURES, PAGE_ROWS, PLACEMAT_CELLS, PLACEMAT_FIGURES, contributions_page, placemat_pdf
from tests.report_server import ReportServer, serve_report

CHANGED = dict(SEED_FIGURES, **{"United States": 320})


async def _subscribe(store: Store, key: str, **options) -> None:
    await store.subscriptions.subscribe(destination_key=key, mission="KFOR", now=Clock()(), **options)


async def test_baseline_then_one_digest_per_change_exactly_once(database_url, report, registry) -> None:
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(
            store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock()
        )
        await _subscribe(store, "channel:1")
        assert (await watcher.run_cycle()).status == "baseline"
        assert inbox.posts == []
        assert (await watcher.run_cycle()).status == "unchanged"
        write_report(report, CHANGED, "2025-06")
        result = await watcher.run_cycle()
        assert (result.status, result.sent) == ("changed", 1)
        (post,) = inbox.posts
        assert post.head.summary.startswith("KFOR: 4,686 → 4,404 troops (−282")
        assert post.thread_name == "KFOR 2025-06: US −282"
        assert post.head.footer.ref == post.ref and len(post.ref) == 8
        for _ in range(3):
            assert (await watcher.run_cycle()).sent == 0
        assert len(inbox.posts) == 1
        assert [r["status"] for r in await store.ledger.rows("channel:1")] == ["sent"]


async def test_broken_source_never_alerts_and_keeps_the_last_good_data(database_url, report, registry) -> None:
    """A report that stops parsing: no digest, one notice (not one per poll), last good kept; recovery diffs
    against the last good snapshot."""
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(
            store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock()
        )
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        report.write_text('{"format": "kfor-bot/snapshot", "mission": "KFOR", "contingents": [{"nation": "Germny"')
        for _ in range(4):
            result = await watcher.run_cycle()
            assert result.status == "problem" and "does not parse" in result.problem
        (notice,) = inbox.posts
        assert notice.head.title == "KFOR source problem" and notice.detail is None
        latest = await store.snapshots.latest("KFOR")
        assert latest.position == 0 and latest.snapshot.total == 4686
        health = await store.health.get(str(report))
        assert health.problem and health.consecutive_failures == 4
        write_report(report, CHANGED, "2025-06")
        assert (await watcher.run_cycle()).status == "changed"
        assert inbox.posts[-1].head.summary.startswith("KFOR: 4,686 → 4,404")
        assert (await store.health.get(str(report))).problem is None


async def test_implausible_drop_is_a_problem_not_news(database_url, report, registry) -> None:
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(
            store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock()
        )
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        write_report(report, {"Italy": 1258, "Hungary": 365}, "2025-06")  # 27 of 29 nations gone
        result = await watcher.run_cycle()
        assert result.status == "problem" and "more than the" in result.problem
        assert [p.head.title for p in inbox.posts] == ["KFOR source problem"]
        assert (await store.snapshots.latest("KFOR")).position == 0


async def test_fetch_errors_are_reported_after_three_in_a_row(database_url, report, registry) -> None:
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(
            store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock()
        )
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        report.unlink()
        await watcher.run_cycle()
        await watcher.run_cycle()
        assert inbox.posts == []  # a passing outage pages no one
        await watcher.run_cycle()
        await watcher.run_cycle()
        assert [p.head.title for p in inbox.posts] == ["KFOR source problem"]


async def test_catch_up_after_downtime_is_one_digest(database_url, report, registry) -> None:
    """Two changes recorded while a channel could not be served: one catch-up digest covering both."""
    async with Store.open(database_url) as store:
        inbox = Inbox()
        reachable: dict = {}
        watcher = make_watcher(store, report, registry, reachable, Clock())
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        write_report(report, CHANGED, "2025-06")
        await watcher.run_cycle()
        write_report(report, dict(CHANGED, Germany=300), "2025-09")
        await watcher.run_cycle()
        reachable["channel:1"] = RecordingDestination("channel:1", inbox)
        assert (await watcher.run_cycle()).sent == 1
        (post,) = inbox.posts
        assert post.head.title.startswith("KFOR catch-up — 2 changes, 2025-02 → 2025-09")
        assert post.head.summary.startswith("KFOR: 4,686 → 4,435 troops (−251")
        assert {r["event_key"] for r in await store.ledger.rows("channel:1")} == {"change:KFOR:1", "change:KFOR:2"}


async def test_subscription_thresholds(database_url, report, registry) -> None:
    async with Store.open(database_url) as store:
        inbox = Inbox()
        destinations = {k: RecordingDestination(k, inbox) for k in ("channel:big", "channel:de", "channel:all")}
        watcher = make_watcher(store, report, registry, destinations, Clock())
        await _subscribe(store, "channel:big", min_change=500)
        await _subscribe(store, "channel:de", nations=["Germany"])
        await _subscribe(store, "channel:all", mention_role_id=42)
        await watcher.run_cycle()
        write_report(report, CHANGED, "2025-06")
        await watcher.run_cycle()
        assert [(p.mention_role_id, p.thread_name) for p in inbox.posts] == [(42, "KFOR 2025-06: US −282")]
        assert [r["status"] for r in await store.ledger.rows("channel:big")] == ["filtered"]


@pytest.mark.parametrize("arrived", [False, True], ids=["crash-before-send", "crash-after-send"])
async def test_crash_between_claim_and_send_is_resolved_exactly_once(database_url, report, registry, arrived) -> None:
    """The process dies after claiming; after restart (and the lease) the digest reaches the channel exactly once."""
    async with Store.open(database_url) as store:
        inbox, clock = Inbox(), Clock()
        dying = RecordingDestination("channel:1", inbox, crash_after_send=arrived, crash_before_send=not arrived)
        watcher = make_watcher(store, report, registry, {"channel:1": dying}, clock, worker="old-process")
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        write_report(report, CHANGED, "2025-06")
        with pytest.raises(Crash):
            await watcher.run_cycle()
        assert [r["status"] for r in await store.ledger.rows("channel:1")] == ["claimed"]
        assert len(inbox.posts) == int(arrived)

        restarted = make_watcher(store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)},
                                 clock, worker="new-process")  # fmt: skip
        assert (await restarted.run_cycle()).sent == 0  # still within the lease: the old claim may be alive
        clock.advance(minutes=6)
        assert (await restarted.run_cycle()).sent == 1
        assert len(inbox.posts) == 1
        (row,) = await store.ledger.rows("channel:1")
        assert (row["status"], row["claimed_by"], row["attempts"]) == ("sent", "new-process", 2)
        assert (await restarted.run_cycle()).sent == 0


async def test_concurrent_watchers_deliver_each_change_once(postgres_url, report, registry, request) -> None:
    """Three processes' cycles race on the same change on PostgreSQL: zero duplicates, zero losses."""
    from tests.postgres import fresh_database

    url = await fresh_database(postgres_url, f"race_{abs(hash(request.node.nodeid)) % 10**9}")
    inboxes = {f"channel:{i}": Inbox() for i in range(5)}
    async with Store.open(url) as first, Store.open(url) as second, Store.open(url) as third:
        stores = [first, second, third]
        for key in inboxes:
            await _subscribe(first, key)
        watchers = [
            make_watcher(
                store,
                report,
                registry,
                {k: RecordingDestination(k, inbox) for k, inbox in inboxes.items()},
                Clock(),
                worker=f"process-{i}",
            )
            for i, store in enumerate(stores)
        ]
        await watchers[0].run_cycle()
        for round_number, figures in enumerate([CHANGED, dict(CHANGED, Germany=300)], start=1):
            write_report(report, figures, f"2025-0{5 + round_number}")
            results = await asyncio.gather(*(w.run_cycle() for w in watchers))
            assert sum(r.sent for r in results) == len(inboxes)
        for inbox in inboxes.values():
            assert [p.thread_name.split(":")[0] for p in inbox.posts] == ["KFOR 2025-06", "KFOR 2025-07"]
        assert [s.position for s in await first.snapshots.since("KFOR", None)] == [0, 1, 2]


async def test_a_stale_claim_of_any_kind_is_resumed_with_its_stored_post(database_url, report, registry) -> None:
    """A notice another process claimed and then died on: after its lease, its stored post is sent, once."""
    import datetime as dt

    from bot.alerts.destinations import Post
    from bot.briefings.model import Briefing

    async with Store.open(database_url) as store:
        inbox, clock = Inbox(), Clock()
        watcher = make_watcher(store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, clock)
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        assert (await watcher.run_cycle()).sent == 0  # settled
        post = Post(Briefing(kind="source-problem", title="left behind"), nonce="n" * 24, ref="nnnnnnnn")
        assert await store.ledger.claim(["problem:KFOR:old"], "channel:1", "dead", clock() - dt.timedelta(hours=1),
                                        payload=post.to_json())  # fmt: skip
        assert (await watcher.run_cycle()).sent == 1
        assert [p.head.title for p in inbox.posts] == ["left behind"]
        (row,) = await store.ledger.rows("channel:1")
        assert (row["status"], row["claimed_by"], row["attempts"]) == ("sent", "w1", 2)
        assert (await watcher.run_cycle()).sent == 0


async def test_an_undated_report_fetched_on_another_day_is_no_change(database_url, tmp_path, registry) -> None:
    """A CSV has no date, so it is dated by its fetch day; the next day, the same figures announce nothing."""
    report = tmp_path / "r.csv"
    report.write_text("nation,troops\nItaly,1258\nGermany,269\n")
    async with Store.open(database_url) as store:
        inbox, clock = Inbox(), Clock()
        watcher = make_watcher(store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, clock)
        watcher.meta = watcher.meta.replace(as_of=None)  # the report says no date
        await _subscribe(store, "channel:1")
        assert (await watcher.run_cycle()).status == "baseline"
        assert (await store.snapshots.latest("KFOR")).snapshot.as_of == "2025-06-01"
        clock.advance(days=1)
        report.write_text("country;troops;note\nItaly;1.258;lead\nGermany;269;\n")  # same figures, new layout
        assert (await watcher.run_cycle()).status == "unchanged"
        assert inbox.posts == []


async def test_a_long_send_renews_its_lease_so_no_other_process_takes_it_over(tmp_path, report, registry) -> None:
    """A destination that takes three leases to answer: the claim never goes stale meanwhile."""
    import datetime as dt

    from bot.alerts.watcher import utcnow

    class Slow:
        key = "channel:1"

        def __init__(self) -> None:
            self.stale_seen: list[int] = []

        async def send(self, post, *, retry, accepted=None):  # type: ignore[no-untyped-def]
            for _ in range(4):
                await asyncio.sleep(0.4)
                self.stale_seen.append(len(await store.ledger.stale(utcnow())))
            return "m1"

    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}", lease=dt.timedelta(seconds=1)) as store:
        slow = Slow()
        watcher = make_watcher(store, report, registry, {"channel:1": slow}, utcnow)
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        write_report(report, CHANGED, "2025-06")
        assert (await watcher.run_cycle()).sent == 1
        assert slow.stale_seen == [0] * 4
        assert [r["status"] for r in await store.ledger.rows("channel:1")] == ["sent"]


@pytest.mark.parametrize("publishes_complete", [False, True])
async def test_a_truncated_csv_is_never_fourteen_departures(database_url, tmp_path, registry,
                                                            publishes_complete: bool) -> None:  # fmt: skip
    """A CSV cut after 15 of its 29 rows announces nobody leaving, whichever way it is read.

    From a source that may publish top-N lists it is one (it stops where the smallest contingents
    begin): no figure changed, so nothing is said. From a source that publishes complete lists it
    is held as a source problem. Either way the last good list stays.
    """
    report = tmp_path / "r.csv"
    rows = "".join(f"{nation},{troops}\n" for nation, troops in SEED_FIGURES.items())
    report.write_text("nation,troops\n" + rows)
    async with Store.open(database_url) as store:
        inbox = Inbox()
        channel = RecordingDestination("channel:1", inbox)
        watcher = make_watcher(store, report, registry, {"channel:1": channel}, Clock())
        watcher.publishes_complete = publishes_complete
        await _subscribe(store, "channel:1")
        assert (await watcher.run_cycle()).status == "baseline"
        report.write_text("nation,troops\n" + "".join(rows.splitlines(keepends=True)[:15]))
        result = await watcher.run_cycle()
        if publishes_complete:
            assert result.status == "problem" and "14 of the 29 nations on the last list would leave" in result.problem
            assert [p.head.title for p in inbox.posts] == ["KFOR source problem"]
        else:
            assert result.status == "unchanged" and not inbox.posts
        assert (await store.snapshots.latest("KFOR")).snapshot.total == 4686


async def test_a_recurring_outage_is_announced_again_after_a_recovery(database_url, report, registry) -> None:
    """Broken, fixed, broken the same way again: two notices, one per outage (not one ever)."""
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(
            store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock()
        )
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        good = report.read_text()
        for _ in range(2):
            report.write_text("this is not a report")
            assert (await watcher.run_cycle()).status == "problem"
            assert (await watcher.run_cycle()).status == "problem"  # the same outage: no second notice
            report.write_text(good)
            assert (await watcher.run_cycle()).status == "unchanged"
        assert [p.head.title for p in inbox.posts] == ["KFOR source problem"] * 2


async def test_no_local_path_reaches_a_team(database_url, tmp_path, registry) -> None:
    """A watched file without a sidecar is cited by its name: not its folder, in digests and in notices."""
    from bot.alerts.watcher import Watcher
    from bot.sources.fetch import FileSource
    from tests.alerts.conftest import META

    report = tmp_path / "secret-folder" / "figures.csv"
    report.parent.mkdir()
    report.write_text("nation,troops\n" + "".join(f"{n},{t}\n" for n, t in SEED_FIGURES.items()))
    from bot.alerts.setup import source_meta

    meta = source_meta(str(report), "KFOR").replace(as_of="2025-02")
    assert meta.source.title == "figures.csv" and str(tmp_path) not in repr(meta)
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = Watcher(store, FileSource(report), registry, meta, {"channel:1": RecordingDestination(
            "channel:1", inbox)}.get, clock=Clock())  # fmt: skip
        await _subscribe(store, "channel:1")
        await watcher.run_cycle()
        report.write_text("nation,troops\n" + "".join(f"{n},{t}\n" for n, t in CHANGED.items()))
        watcher.meta = meta.replace(as_of="2025-06")
        await watcher.run_cycle()
        report.unlink()
        for _ in range(3):
            await watcher.run_cycle()
        assert [p.head.kind for p in inbox.posts] == ["digest", "source-problem"]
        assert all(str(tmp_path) not in p.to_json() for p in inbox.posts)
        assert "figures.csv" in inbox.posts[1].to_json()
        assert META.mission == "KFOR"


async def test_a_watched_web_page_alerts_on_its_table_only(database_url, tmp_path, registry) -> None:
    """A watched page: its table is the baseline, a prose-only edit is no news, a table change is one digest."""
    page = tmp_path / "kfor.html"
    page.write_text(contributions_page(), encoding="utf-8")
    async with Store.open(database_url) as store:
        inbox = Inbox()
        watcher = make_watcher(store, page, registry, {"channel:1": RecordingDestination("channel:1", inbox)}, Clock())
        await _subscribe(store, "channel:1")
        assert (await watcher.run_cycle()).status == "baseline"
        assert (await store.snapshots.latest("KFOR")).snapshot.troops_by_nation == PAGE_FIGURES
        page.write_text(contributions_page().replace("4,686 troops", "4,500 troops"), encoding="utf-8")
        assert (await watcher.run_cycle()).status == "unchanged"
        rows = (("Italy", "1,100", 1100), *PAGE_ROWS[1:])
        page.write_text(contributions_page(rows, total="3 327"), encoding="utf-8")
        result = await watcher.run_cycle()
        assert (result.status, result.sent) == ("changed", 1)
        assert inbox.posts[0].head.summary.startswith("KFOR: 3,485 → 3,327 troops (−158")


@asynccontextmanager
async def _watching_a_placemat(
    database_url: str, registry
) -> AsyncIterator[tuple[Store, ReportServer, Watcher, Inbox]]:
    """A placemat PDF served over HTTP, watched for one subscribed channel, its baseline recorded."""
    async with Store.open(database_url) as store, serve_report() as server, aiohttp.ClientSession() as session:
        server.body = placemat_pdf()
        inbox = Inbox()
        channel = RecordingDestination("channel:1", inbox)
        watcher = Watcher(store, HttpSource(server.url, session), registry, META, lambda _s: channel, clock=Clock())
        await _subscribe(store, "channel:1")
        assert (await watcher.run_cycle()).status == "baseline"
        yield store, server, watcher, inbox


async def test_a_watched_placemat_pdf_over_http(database_url, registry) -> None:
    """A placemat PDF over HTTP (even as text/csv): baseline with its unattributed 12, a digest, a PNG is a problem."""
    async with _watching_a_placemat(database_url, registry) as (store, server, watcher, inbox):
        baseline = (await store.snapshots.latest("KFOR")).snapshot
        assert baseline.troops_by_nation == PLACEMAT_FIGURES
        assert baseline.unattributed == (12,)
        cells = tuple((n, "400" if n == "Austria" else f) for n, f in PLACEMAT_CELLS)
        server.body, server.content_type = placemat_pdf(cells), "application/pdf"
        result = await watcher.run_cycle()
        assert (result.status, result.sent) == ("changed", 1)
        assert [f.value for f in inbox.posts[0].head.fields] == ["🇦🇹 Austria 487 → 400 (−87, −17.9%)"]
        server.body, server.content_type = b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "image/png"
        problem = await watcher.run_cycle()
        assert problem.status == "problem"
        assert "not a text report" in problem.problem


async def test_a_placemat_that_writes_1_258_with_a_plain_space_is_no_false_alarm(database_url, registry) -> None:
    """The same placemat with Italy's figure drawn "1 258": no "Italy 1,258 → 1", nothing sent."""
    async with _watching_a_placemat(database_url, registry) as (_store, server, watcher, inbox):
        server.body = placemat_pdf(tuple((n, "1 258" if n == "Italy" else f) for n, f in PLACEMAT_CELLS))
        result = await watcher.run_cycle()
        assert (result.status, result.sent) == ("unchanged", 0) and inbox.posts == []


async def _changed_for(store: Store, report, registry, destinations: dict, clock: Clock, concurrency: int) -> Watcher:
    """A watcher for these subscribed destinations, its baseline recorded, the report changed since."""
    watcher = make_watcher(store, report, registry, destinations, clock)
    watcher.concurrency = concurrency
    for key in destinations:
        await _subscribe(store, key)
    await watcher.run_cycle()
    write_report(report, CHANGED, "2025-06")
    return watcher


class SlowDestination(RecordingDestination):
    """Records how many sends are in flight at once (each takes a moment, as a real request does)."""

    in_flight = 0
    most = 0

    async def send(self, post, *, retry: bool, accepted=None) -> str | None:
        type(self).in_flight += 1
        type(self).most = max(type(self).most, type(self).in_flight)
        try:
            await asyncio.sleep(0.01)
            return await super().send(post, retry=retry)
        finally:
            type(self).in_flight -= 1


async def test_a_change_fans_out_concurrently_but_bounded_and_exactly_once(tmp_path, report, registry) -> None:
    """Twenty destinations: at most ``concurrency`` sends at a time, several at once, each destination once."""
    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store:
        inboxes = {f"channel:{i}": Inbox() for i in range(20)}
        destinations = {key: SlowDestination(key, inbox) for key, inbox in inboxes.items()}
        watcher = await _changed_for(store, report, registry, destinations, Clock(), 4)
        assert (await watcher.run_cycle()).sent == 20
        assert 1 < SlowDestination.most <= 4
        assert all(len(inbox.posts) == 1 for inbox in inboxes.values())
        assert len({inbox.posts[0].nonce for inbox in inboxes.values()}) == 20  # a claim (and nonce) each
        assert (await watcher.run_cycle()).sent == 0


async def test_one_failing_destination_does_not_stop_the_others(tmp_path, report, registry) -> None:
    """An unexpected error in one send lets the other sends finish, then surfaces; the failed claim is resumed."""
    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store:
        inboxes = {f"channel:{i}": Inbox() for i in range(6)}
        destinations = {key: RecordingDestination(key, inbox) for key, inbox in inboxes.items()}
        destinations["channel:0"].crash_before_send = True
        clock = Clock()
        watcher = await _changed_for(store, report, registry, destinations, clock, 2)
        with pytest.raises(Crash):
            await watcher.run_cycle()
        assert [len(inboxes[f"channel:{i}"].posts) for i in range(6)] == [0, 1, 1, 1, 1, 1]
        destinations["channel:0"].crash_before_send = False
        clock.advance(minutes=10)  # past the lease: the interrupted claim is taken over and sent
        assert (await watcher.run_cycle()).sent == 1
        assert all(len(inbox.posts) == 1 for inbox in inboxes.values())


def test_a_changes_identity_is_the_one_earlier_versions_stored(seed_snapshot) -> None:
    """The figures hash is compared with hashes already in operators' databases: its form may never drift.

    The value is the seed snapshot's hash as the pydantic-based versions wrote it; a new form would make
    every running bot announce its latest figures again as a change.
    """
    from bot.alerts.watcher import _figures_hash

    assert _figures_hash(seed_snapshot) == "549a8bd24136ece300bc02e55a1726d040aa4744de3526c245df65e9940d5371"


async def test_an_undated_report_is_dated_by_last_modified_else_told_as_retrieved(database_url, registry) -> None:
    """No date in the report: the server's Last-Modified day; without one, "undated, retrieved …" (never the
    fetch day passed off as the report's); and a dated report after it is news, not "an older edition"."""
    async with Store.open(database_url) as store, serve_report() as server, aiohttp.ClientSession() as session:
        inbox = Inbox()
        channel = RecordingDestination("channel:1", inbox)
        undated = ReportMeta(source=META.source)
        watcher = Watcher(store, HttpSource(server.url, session), registry, undated, lambda _s: channel, clock=Clock())
        await _subscribe(store, "channel:1")
        server.body = ("nation,troops\n" + "".join(f"{n},{t}\n" for n, t in SEED_FIGURES.items())).encode()
        server.last_modified = "Sun, 15 Jun 2025 08:00:00 GMT"
        assert (await watcher.run_cycle()).status == "baseline"
        assert (await store.snapshots.latest("KFOR")).snapshot.as_of == "2025-06-15"
        server.body, server.last_modified = server.body.replace(b"Germany,269", b"Germany,300"), None
        assert (await watcher.run_cycle()).status == "changed"
        latest = (await store.snapshots.latest("KFOR")).snapshot
        assert latest.as_of_label == f"undated, retrieved {Clock()().date().isoformat()}"
        assert inbox.posts[0].head.title.endswith(f"→ {latest.as_of_label}")
        server.body = snapshot_of(dict(SEED_FIGURES, Germany=310), "2025-05").to_json().encode()
        assert (await watcher.run_cycle()).status == "changed"  # dated before the retrieval day: still news


async def test_a_change_writes_no_failure_reset_where_there_is_no_failure(database_url, report, registry) -> None:
    """A destination with no failures in a row gets no reset write; one that had failures gets it reset once."""
    from sqlalchemy import event

    async with Store.open(database_url) as store:
        inbox = Inbox()
        keys = ["channel:1", "channel:2", "channel:3"]
        watcher = make_watcher(store, report, registry, {k: RecordingDestination(k, inbox) for k in keys}, Clock())
        for key in keys:
            await _subscribe(store, key)
        await store.subscriptions.record_failure("channel:2")
        assert (await watcher.run_cycle()).status == "baseline"
        write_report(report, CHANGED, "2025-06")
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
        event.listen(store.engine.sync_engine, "before_cursor_execute", listener)
        try:
            assert (await watcher.run_cycle()).sent == 3
        finally:
            event.remove(store.engine.sync_engine, "before_cursor_execute", listener)
        resets = [s for s in statements if s.lstrip().upper().startswith("UPDATE SUBSCRIPTIONS SET FAILURES")]
        assert len(resets) == 1  # channel:2's, and only it
        assert [(await store.subscriptions.get(k)).failures for k in keys] == [0, 0, 0]


async def test_a_claim_that_waited_past_its_lease_is_renewed_before_sending_or_left_to_its_new_owner(
    database_url, report, registry
) -> None:
    """Batched claims wait their turn: one whose lease ran out meanwhile and was taken over is not sent by its
    first owner (its new owner sends it); one still ours is renewed first, then sent."""
    from bot.alerts.destinations import Post
    from bot.briefings.digest import problem_briefing

    async with Store.open(database_url) as store:
        inbox, clock = Inbox(), Clock()
        destination = RecordingDestination("channel:1", inbox)
        watcher = make_watcher(store, report, registry, {"channel:1": destination}, clock)
        post = Post(problem_briefing("KFOR", "here", "a test", None), nonce="n" * 24, ref="nnnnnnnn")
        lost = await store.ledger.claim(["test:1"], "channel:1", "w1", clock(), payload=post.to_json())
        kept = await store.ledger.claim(["test:2"], "channel:1", "w1", clock(), payload=post.to_json())
        clock.advance(minutes=6)  # both leases ran out while they waited
        (stale,) = [c for c in await store.ledger.stale(clock()) if c.event_keys == ("test:1",)]
        assert await store.ledger.take_over(stale, "w2", clock()) is not None
        assert await watcher.deliver(destination, lost, post) == 0
        assert destination.calls == 0  # nothing went out for a claim that is no longer ours
        assert await watcher.deliver(destination, kept, post) == 1
        rows = {r["event_key"]: r for r in await store.ledger.rows("channel:1")}
        assert (rows["test:1"]["status"], rows["test:1"]["claimed_by"]) == ("claimed", "w2")
        assert rows["test:2"]["status"] == "sent"


async def test_a_change_two_processes_parse_at_once_is_reported_changed_by_the_one_that_recorded_it(
    tmp_path, report, registry
) -> None:
    """Both parse the same change; the one whose append lost says another recorded it (not "changed"), so a
    change is counted once across instances, and still delivers its share."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    async with Store.open(url) as first_store, Store.open(url) as second_store:
        inbox = Inbox()
        first = make_watcher(first_store, report, registry, {}, Clock(), worker="w1")
        second = make_watcher(second_store, report, registry, {"channel:1": RecordingDestination("channel:1", inbox)},
                              Clock(), worker="w2")  # fmt: skip
        await _subscribe(first_store, "channel:1")
        assert (await first.run_cycle()).status == "baseline"
        write_report(report, CHANGED, "2025-06")
        append = second_store.snapshots.append
        results = []

        async def append_after_the_first(*args, **kwargs):  # type: ignore[no-untyped-def]
            results.append(await first.run_cycle())  # the first records the change while the second parses
            return await append(*args, **kwargs)

        second_store.snapshots.append = append_after_the_first  # type: ignore[method-assign]
        results.append(await second.run_cycle())
        assert [(r.status, r.sent) for r in results] == [("changed", 0), ("unchanged", 1)]
        assert results[1].message == "another process recorded change #1, delivered here"
        assert len(inbox.posts) == 1


async def test_a_stopping_process_finishes_the_deliveries_under_way_and_starts_no_other(tmp_path, report,
                                                                                         registry) -> None:  # fmt: skip
    """Stopping mid fan-out (SIGTERM, a restart): the sends under way are recorded, the rest keep their claims and
    go out once each after the lease, from the next start; no destination hears the change twice."""
    sending = asyncio.Event()

    class Watched(SlowDestination):
        async def send(self, post, *, retry: bool, accepted=None) -> str | None:
            sending.set()
            return await super().send(post, retry=retry, accepted=accepted)

    async with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store:
        inboxes = {f"channel:{i}": Inbox() for i in range(12)}
        destinations = {key: Watched(key, inbox) for key, inbox in inboxes.items()}
        clock = Clock()
        watcher = await _changed_for(store, report, registry, destinations, clock, 3)
        cycle = asyncio.create_task(watcher.run_cycle())
        await sending.wait()
        watcher.stopping = True
        first = await cycle
        assert 0 < first.sent < 12 and first.sent == sum(len(inbox.posts) for inbox in inboxes.values())
        restarted = make_watcher(store, report, registry, destinations, clock)
        assert (await restarted.run_cycle()).sent == 0  # the rest are still claimed by the stopped process
        clock.advance(minutes=10)  # past their lease
        assert (await restarted.run_cycle()).sent == 12 - first.sent
        assert [len(inbox.posts) for inbox in inboxes.values()] == [1] * 12
