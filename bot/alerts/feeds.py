"""The feed cycle: read the news feeds, record the claims, post announcements, reconcile them with the figures.

One cycle (:meth:`FeedWatcher.run_cycle`):

1. Each configured feed (those still marked ``verify`` are skipped) is read through the source machinery
   with the validators of its last read: an unchanged feed costs a 304 and nothing is parsed. A feed that
   cannot be read is a source problem, recorded in its health row; subscribers hear of it once, after a
   few failures in a row, as for the report source. Nothing is marked seen, so nothing is lost.
2. Each entry is recorded once (:meth:`bot.store.announcements.Announcements.record_entry`) with the
   claims found in it (:func:`bot.core.claims.extract_claims`), measured from the nation's figure on the
   newest list. A claim that becomes an announcement is posted, once per destination, through the
   watcher's delivery path and ledger (event ``announcement:<mission>:<id>``), with a discussion thread.
3. When the chain has a list newer than the one an open announcement was measured from, the claim is
   reconciled with it (:func:`bot.core.announcements.reconcile`); a settled one gets a follow-up post
   that says why (event ``announcement:<mission>:<id>:<state>``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.alerts.destinations import Accepted, Destination, Post
from bot.alerts.watcher import Watcher
from bot.briefings.announcements import announcement_briefing, claim_text
from bot.briefings.model import ALERT, Briefing, BriefingField
from bot.core.announcements import Announcement, reconcile, stale
from bot.core.claims import extract_claims
from bot.core.claims.gazetteer import Gazetteer
from bot.core.models import Snapshot
from bot.settings.model import FeedSetting
from bot.sources.feeds import open_feed, read_feed
from bot.sources.fetch import FileSource, HttpSource, SourceError, Validators
from bot.sources.guard import HopPolicy
from bot.sources.location import public_location
from bot.store.announcements import ClaimSource
from bot.store.database import Store
from bot.store.subscriptions import Subscription

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedCycleResult:
    read: int = 0
    unchanged: int = 0
    claims: int = 0
    announced: int = 0
    settled: int = 0
    sent: int = 0
    problems: tuple[str, ...] = ()


def scenario_of(announcement: Announcement) -> str | None:
    """The change as the scenario engine reads it ("Poland+100", "Denmark=0"); None for what moves no headcount."""
    claim = announcement.claim
    if claim.kind in ("increase", "decrease") and claim.change:
        return f"{claim.nation}{'+' if claim.change > 0 else '-'}{abs(claim.change)}"
    if claim.kind == "withdraw_all":
        return f"withdraw {claim.nation}"
    if claim.kind == "level" and claim.level is not None:
        return f"{claim.nation}={claim.level}"
    return None


@dataclass(slots=True)
class FeedWatcher:
    """Reads the configured feeds for one mission and delivers through ``watcher`` (its store, ledger, destinations)."""

    watcher: Watcher
    feeds: Sequence[FeedSetting]
    session: aiohttp.ClientSession | None
    base: Path | None = None
    timeout: float = 20.0
    max_bytes: int = 2 * 1024 * 1024
    allowed_hosts: tuple[str, ...] = ()
    #: Entries older than this (by their feed date) are seen, never announced: a new feed's archive is not news.
    max_age: dt.timedelta = dt.timedelta(days=60)
    #: Told the open and recent announcements after each cycle (the briefing service shows them).
    on_announcements: Callable[[Sequence[Announcement]], None] | None = None
    gazetteer: Gazetteer = field(init=False)

    def __post_init__(self) -> None:
        self.gazetteer = Gazetteer(self.watcher.registry)
        self.watcher.digest_notes = self.digest_notes

    async def digest_notes(self, position: int) -> tuple[str, ...]:
        """Reconcile with the list a digest announces, before it is sent, and say in it what that list settled."""
        await self.reconcile(self.watcher.clock())
        lines = []
        for announcement in await self.store.announcements.recent(self.mission, 50):
            if announcement.settled_position == position and not announcement.is_open:
                state = announcement.state.replace("_", " ")
                lines.append(f"Announcement #{announcement.id} ({announcement.claim.nation}: "
                             f"{claim_text(announcement.claim)}): {state} — {announcement.reason}.")  # fmt: skip
        return tuple(lines)

    @property
    def store(self) -> Store:
        return self.watcher.store

    @property
    def mission(self) -> str:
        return self.watcher.mission

    async def run_cycle(self) -> FeedCycleResult:
        now = self.watcher.clock()
        baseline = await self._baseline()
        read = unchanged = found = sent = 0
        problems: list[str] = []
        announced: list[Announcement] = []
        for feed in self.feeds:
            if feed.verify:
                continue
            source = self._source(feed)
            health = await self.store.health.get(source.key)
            try:
                result = await read_feed(source, Validators(health.etag, health.last_modified))
            except SourceError as exc:
                problems.append(str(exc))
                sent += await self._problem(source.key, feed, str(exc), now)
                continue
            validators = {"etag": result.validators.etag or health.etag,
                          "last_modified": result.validators.last_modified or health.last_modified}  # fmt: skip
            if result.entries is None:
                unchanged += 1
                await self.store.health.record_unchanged(source.key, now, **validators)
                continue
            read += 1
            for entry in result.entries:
                old = entry.published is not None and entry.published < now - self.max_age
                claims = [] if old else extract_claims(entry.title, entry.summary, feed.lang, self.gazetteer,
                                                       link=entry.link, published=entry.published)  # fmt: skip
                sources = [ClaimSource(claim, feed.publisher, feed.tier, *self._measure(claim.nation, baseline))
                           for claim in claims]  # fmt: skip
                recorded = await self.store.announcements.record_entry(self.mission, source.key, entry.key, sources,
                                                                       now)  # fmt: skip
                if recorded is None:
                    continue
                found += len(recorded)
                # Only a change of headcount is pushed; ceilings, mandates, commands are listed by /kfor announcements.
                announced += [r.announcement for r in recorded if r.announced and r.announcement.claim.is_headcount]
            await self.store.health.update(source.key, **validators, last_check_at=now, last_success_at=now,
                                           problem=None, problem_key=None, problem_since=None)  # fmt: skip
        for announcement in announced:
            sent += await self._post(announcement, announcement_briefing(announcement, self.watcher.registry), now)
        settled, posted = await self.reconcile(now)
        sent += posted
        if self.on_announcements is not None:
            self.on_announcements(await self.store.announcements.recent(self.mission, 50))
        return FeedCycleResult(read, unchanged, found, len(announced), settled, sent, tuple(problems))

    def _source(self, feed: FeedSetting) -> HttpSource | FileSource:
        source = open_feed(feed.url, self.session, self.base)
        if isinstance(source, HttpSource):
            source.timeout, source.max_bytes = self.timeout, self.max_bytes
            source.policy = HopPolicy.for_source(source.url, self.allowed_hosts)
        elif isinstance(source, FileSource):
            source.max_bytes = self.max_bytes
        else:  # a feed is never a linked page
            raise TypeError(f"unexpected source {type(source).__name__}")
        return source

    async def _baseline(self) -> tuple[Snapshot | None, int | None]:
        """The figures known at the end of the chain (the last complete list with partial ones after), and where."""
        latest = await self.store.snapshots.latest(self.mission)
        if latest is None:
            return None, None
        return await self.watcher.known_at(latest.position), latest.position

    @staticmethod
    def _measure(
        nation: str, baseline: tuple[Snapshot | None, int | None]
    ) -> tuple[int | None, str | None, int | None]:
        """The nation's figure a claim is measured from (0 when a complete list omits it), its date, its position."""
        known, position = baseline
        if known is None:
            return None, None, None
        troops = known.troops_by_nation
        figure = troops.get(nation, 0 if known.is_complete else None)
        return figure, known.as_of, position

    async def reconcile(self, now: dt.datetime) -> tuple[int, int]:
        """Check each open announcement against the newest list, if it is newer than the one it was measured from."""
        latest = await self.store.snapshots.latest(self.mission)
        if latest is None:
            return 0, 0
        settled = sent = 0
        snapshot = latest.snapshot
        for announcement in await self.store.announcements.open(self.mission):
            measured_at = announcement.settled_position
            if measured_at is not None and measured_at >= latest.position:
                expired = stale(announcement.claim, announcement.recorded_at, now.date())
                if expired is None or not await self.store.announcements.settle(announcement.id, expired,
                                                                                 latest.position, now):  # fmt: skip
                    continue  # no newer list: nothing to compare with, and not old enough to expire
                settled += 1
                continue
            verdict = reconcile(announcement.claim, announcement.baseline, snapshot.troops_by_nation,
                                snapshot.is_complete, snapshot.as_of, now.date())  # fmt: skip
            if verdict.state in ("candidate", "announced"):
                await self.store.announcements.note(announcement.id, verdict.reason, latest.position, now)
                continue
            if not await self.store.announcements.settle(announcement.id, verdict, latest.position, now):
                continue  # another process settled it first, and posts the follow-up
            settled += 1
            if announcement.state == "announced":  # a candidate was never posted: nothing to follow up
                updated = await self.store.announcements.get(announcement.id)
                if updated is not None:
                    briefing = announcement_briefing(updated, self.watcher.registry)
                    sent += await self._post(updated, briefing, now, suffix=f":{verdict.state}")
        return settled, sent

    async def _post(self, announcement: Announcement, briefing: Briefing, now: dt.datetime, suffix: str = "") -> int:
        """One announcement (or its follow-up) to every destination that follows the nation, once each."""
        event = f"announcement:{self.mission}:{announcement.id}{suffix}"
        nation = announcement.claim.nation
        thread = None if suffix else f"Announcement #{announcement.id}: {nation}"[:100]

        async def deliver(subscription: Subscription, destination: Destination) -> int:
            claim = await self.store.ledger.claim([event], subscription.destination_key, self.watcher.worker, now)
            if claim is None:
                return 0
            if suffix and hasattr(destination, "revise"):  # Discord: the original message is edited in place
                original = await self.store.ledger.message_ref(event.removesuffix(suffix), subscription.destination_key)
                if original is not None:
                    destination = _Revising(destination, original)
            ref = claim.nonce[:8]
            footer = replace(briefing.footer, ref=ref) if briefing.footer else None
            post = Post(replace(briefing, footer=footer), None, thread, None, claim.nonce, ref, claim.claimed_at,
                        scenario=None if suffix else scenario_of(announcement))  # fmt: skip
            return await self.watcher.deliver(destination, claim, post)

        subscriptions = await self.store.subscriptions.all(self.mission)
        return await self.watcher.fan_out(
            functools.partial(deliver, subscription, destination)
            for subscription in subscriptions
            if subscription.wants(nation, announcement.tier)
            if (destination := self.watcher.resolve(subscription.destination_key)) is not None
        )

    async def _problem(self, key: str, feed: FeedSetting, problem: str, now: dt.datetime) -> int:
        """Record a feed's problem; after ``notify_after_failures`` in a row, tell subscribers once per problem."""
        problem_key = hashlib.sha256(problem.encode()).hexdigest()[:16]
        health = await self.store.health.record_problem(key, problem, problem_key, now)
        if health.consecutive_failures < self.watcher.notify_after_failures:
            return 0
        where = public_location(feed.url)
        notice = Briefing(kind="source-problem", title=f"{self.mission} news feed problem", colour=ALERT,
                          summary=f"The feed of {feed.publisher} cannot be read: {problem}.\nNo announcement is "
                          "taken from it until it can; nothing it published is lost.",
                          fields=(BriefingField(name="Feed", value=where[:1000], inline=False),))  # fmt: skip
        event = f"problem:{self.mission}:feed:{problem_key}"

        async def notify(subscription: Subscription, destination: Destination) -> int:
            claim = await self.store.ledger.claim([event], subscription.destination_key, self.watcher.worker, now)
            if claim is None:
                return 0
            post = Post(notice, nonce=claim.nonce, ref=claim.nonce[:8], claimed_at=claim.claimed_at)
            return await self.watcher.deliver(destination, claim, post)

        subscriptions = await self.store.subscriptions.all(self.mission)
        return await self.watcher.fan_out(
            functools.partial(notify, subscription, destination)
            for subscription in subscriptions
            if (destination := self.watcher.resolve(subscription.destination_key)) is not None
        )


@dataclass(slots=True)
class _Revising:
    """A destination whose ``send`` edits the message an announcement went out in (its settled state)."""

    inner: Destination
    message_ref: str
    key: str = ""

    def __post_init__(self) -> None:
        self.key = self.inner.key

    async def send(self, post: Post, *, retry: bool, accepted: Accepted | None = None) -> str | None:
        revise = self.inner.revise  # type: ignore[attr-defined]  # checked by the caller
        ref: str | None = await revise(self.message_ref, post)
        return ref
