"""The watch cycle: fetch → parse → validate → store → diff → deliver, exactly once per destination.

One cycle (:meth:`Watcher.run_cycle`):

1. Fetch the source with the validators of the last fetch; "not modified" or the same bytes end
   the cycle (after delivering anything still pending).
2. Parse and validate, in whatever format the source is (PDF, HTML, JSON, CSV, text: see
   :func:`bot.sources.documents.ingest_document`), in a worker thread so that a large page or a
   PDF does not hold up the event loop. A parse error, an empty report or an implausible drop (see
   :mod:`bot.core.plausibility`) is a *source problem*: the last good snapshot stays, no digest is
   made, and subscribers get one notice per distinct problem (for fetch errors, only after a few
   failures in a row, so a passing timeout does not page anyone).
3. Figures equal to the last good snapshot's: nothing to announce.
4. Otherwise the snapshot is appended to the accepted chain (the first one is the baseline and
   announces nothing) and every destination gets a digest of the changes it has not seen: one
   change normally, several summed up in one catch-up digest after downtime.

Delivery is claimed in the store before sending and marked sent after; a claim that is never
marked (the process died in between) is taken over after a lease and resent with the same nonce,
after asking the destination whether the first attempt arrived.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.alerts.destinations import DeliveryError, Destination, Post
from bot.briefings.digest import build_digest, problem_briefing
from bot.core.diff import Significance
from bot.core.models import Snapshot
from bot.core.nations import NationRegistry
from bot.core.plausibility import Plausibility, implausible_change
from bot.core.reports import ReportMeta
from bot.sources.documents import ingest_document
from bot.sources.fetch import Source, SourceError, Validators
from bot.store.repository import Claim, SourceHealth, Store, StoredSnapshot, Subscription, change_event

log = logging.getLogger(__name__)

Status = Literal["baseline", "unchanged", "changed", "problem", "raced"]


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class CycleResult:
    status: Status
    message: str
    position: int | None = None
    sent: int = 0
    problem: str | None = None


@dataclass(slots=True)
class Watcher:
    """Watches one mission's source and delivers its changes; see the module docstring."""

    store: Store
    source: Source
    registry: NationRegistry
    meta: ReportMeta
    destination_for: Callable[[Subscription], Destination | None]
    plausibility: Plausibility = field(default_factory=Plausibility)
    notify_after_failures: int = 3
    lease: dt.timedelta = dt.timedelta(minutes=5)
    worker: str = field(default_factory=default_worker_id)
    clock: Callable[[], dt.datetime] = utcnow
    on_change: Callable[[StoredSnapshot], None] | None = None
    #: The last health this process read or wrote. Other processes may update the row too; that
    #: only costs a full download (the content hash still decides), never a wrong answer.
    _health: SourceHealth | None = field(default=None, init=False)
    #: The chain position up to which this process found every destination served. Until the chain
    #: grows, only a stale claim (another process died mid-delivery) can create work, and
    #: :meth:`Store.delivery_state` reports those; so an unchanged cycle costs two statements.
    _settled_at: int | None = field(default=None, init=False)
    _unsettled: bool = field(default=False, init=False)

    @property
    def mission(self) -> str:
        return self.meta.mission

    # -- the cycle ------------------------------------------------------------------------------
    async def run_cycle(self) -> CycleResult:
        now = self.clock()
        health = self._health or await self.store.source_health(self.source.key)
        try:
            fetched = await self.source.fetch(Validators(health.etag, health.last_modified))
        except SourceError as exc:
            return await self._problem(health, str(exc), now, fetch_failure=True)
        checked = replace(health, last_check_at=now, etag=fetched.validators.etag or health.etag,
                          last_modified=fetched.validators.last_modified or health.last_modified)  # fmt: skip
        if fetched.content is None or (fetched.content_hash == health.content_hash and health.problem is None):
            await self._save_health(replace(checked, consecutive_failures=0, last_success_at=now))
            sent = await self.deliver_pending(now)
            return CycleResult("unchanged", "the source has not changed", sent=sent)
        result = await asyncio.to_thread(
            ingest_document, fetched.content, self.meta, self.registry, fetched.name, fetched.content_type
        )
        checked = replace(checked, content_hash=fetched.content_hash)
        if result.snapshot is None:
            errors = "; ".join(issue.describe() for issue in result.errors[:3])
            more = f" (and {len(result.errors) - 3} more)" if len(result.errors) > 3 else ""
            return await self._problem(checked, f"the report does not parse: {errors}{more}", now)
        snapshot = self._dated(result.snapshot, now)
        latest = await self.store.latest_snapshot(self.mission)
        problem = implausible_change(latest.snapshot if latest else None, snapshot, self.plausibility)
        if problem:
            return await self._problem(checked, problem, now)
        healthy = replace(checked, problem=None, problem_key=None, problem_since=None, consecutive_failures=0,
                          last_success_at=now)  # fmt: skip
        if latest is not None and _same_figures(latest.snapshot, snapshot):
            await self._save_health(healthy)
            sent = await self.deliver_pending(now)
            return CycleResult("unchanged", "the source changed, but not its figures", latest.position, sent)
        position = latest.position + 1 if latest else 0
        stored = await self.store.append_snapshot(snapshot, _figures_hash(snapshot), self.source.key, now, position)
        if stored is None:  # another process appended this position first
            other = await self.store.snapshot_at(self.mission, position)
            if other is None or other.content_hash != _figures_hash(snapshot):
                return CycleResult("raced", "another process recorded a different change first; next cycle decides")
            stored = other
        await self._save_health(replace(healthy, last_change_at=now))
        if self.on_change is not None:
            self.on_change(stored)
        if position == 0:
            return CycleResult("baseline", f"recorded the baseline: {snapshot.total:,} troops, "
                                           f"{len(snapshot.contingents)} nations", position)  # fmt: skip
        sent = await self.deliver_pending(now)
        return CycleResult("changed", f"recorded change #{position}", position, sent)

    async def _save_health(self, health: SourceHealth) -> None:
        self._health = health
        await self.store.save_source_health(health)

    def _dated(self, snapshot: Snapshot, now: dt.datetime) -> Snapshot:
        """A report without a date is dated by when it was fetched (the figures were current then)."""
        if snapshot.as_of is not None:
            return snapshot
        return snapshot.model_copy(update={"as_of": now.date().isoformat()})

    async def _problem(self, health: SourceHealth, problem: str, now: dt.datetime, fetch_failure: bool = False
                       ) -> CycleResult:  # fmt: skip
        key = hashlib.sha256(problem.encode()).hexdigest()[:16]
        failures = health.consecutive_failures + 1
        health = replace(health, problem=problem, problem_key=key, last_check_at=now, consecutive_failures=failures,
                         problem_since=health.problem_since if health.problem_key == key else now)  # fmt: skip
        await self._save_health(health)
        log.warning("Source problem (%s, %d in a row): %s", self.source.key, failures, problem)
        sent = 0
        if not fetch_failure or failures >= self.notify_after_failures:
            sent = await self._notify_problem(problem, key, now)
        return CycleResult("problem", problem, sent=sent, problem=problem)

    # -- delivery ---------------------------------------------------------------------------------
    async def deliver_pending(self, now: dt.datetime) -> int:
        """Resend stale claims, then send every destination the changes it has not had; returns messages sent."""
        has_stale, position = await self.store.delivery_state(self.mission, now - self.lease)
        if position is None:
            return 0  # nothing recorded yet
        if not has_stale:
            if position == self._settled_at:
                return 0  # this process delivered everything up to here, and nobody's delivery is stuck
            if not await self.store.has_pending_work(self.mission, position):
                self._settled_at = position
                return 0
        self._unsettled = False
        sent = await self._recover_stale_claims(now)
        latest = await self.store.latest_snapshot(self.mission)
        if latest is None or latest.position == 0:
            return sent
        for subscription in await self.store.subscriptions(self.mission):
            destination = self.destination_for(subscription)
            positions = range(max(subscription.start_position, 0) + 1, latest.position + 1)
            events = [change_event(self.mission, p) for p in positions]
            done = await self.store.delivered_events(subscription.destination_key, events)
            pending = [p for p, e in zip(positions, events, strict=True) if e not in done]
            if not pending:
                continue
            if destination is None:  # not ours to serve now (e.g. a channel, in `check`): look again later
                self._unsettled = True
                continue
            claim = await self.store.claim([change_event(self.mission, p) for p in pending],
                                           subscription.destination_key, self.worker, now)  # fmt: skip
            if claim is None:
                continue  # another process is on it
            sent += await self._send_changes(destination, subscription, claim, pending, latest, now)
        if not self._unsettled:
            self._settled_at = latest.position
        return sent

    async def _send_changes(self, destination: Destination, subscription: Subscription, claim: Claim,
                            pending: list[int], latest: StoredSnapshot, now: dt.datetime, retry: bool = False
                            ) -> int:  # fmt: skip
        before = await self.store.snapshot_at(self.mission, pending[0] - 1)
        after = latest if pending[-1] == latest.position else await self.store.snapshot_at(self.mission, pending[-1])
        if before is None or after is None:
            raise RuntimeError(f"the {self.mission} snapshot chain has a hole before position {pending[-1]}")
        significance = Significance(subscription.min_change, subscription.min_percent, subscription.nations)
        digest = build_digest(before.snapshot, after.snapshot, self.registry, significance, len(pending))
        if not digest.significant:
            await self.store.mark_sent(claim, "filtered", now)  # below this destination's thresholds
            return 0
        ref = claim.nonce[:8]
        footer = digest.head.footer.model_copy(update={"ref": ref}) if digest.head.footer else None
        post = Post(digest.head.model_copy(update={"footer": footer}), digest.detail, digest.thread_name,
                    subscription.mention_role_id, claim.nonce, ref)  # fmt: skip
        return await self._send(destination, claim, post, now, retry=retry)

    async def _send(self, destination: Destination, claim: Claim, post: Post, now: dt.datetime, retry: bool) -> int:
        try:
            message_ref = await destination.send(post, retry=retry)
        except DeliveryError as exc:
            if exc.permanent:
                log.error("Delivery to %s failed for good: %s", destination.key, exc)
                await self.store.mark_sent(claim, f"failed: {exc}"[:100], now)
            else:
                log.warning("Delivery to %s failed; will retry: %s", destination.key, exc)
                await self.store.release(claim)
                self._unsettled = True
            return 0
        await self.store.mark_sent(claim, message_ref, self.clock())
        return 1

    async def _recover_stale_claims(self, now: dt.datetime) -> int:
        sent = 0
        subscriptions = {s.destination_key: s for s in await self.store.subscriptions(self.mission)}
        latest = await self.store.latest_snapshot(self.mission)
        for stale in await self.store.stale_claims(now - self.lease):
            subscription = subscriptions.get(stale.destination_key)
            destination = self.destination_for(subscription) if subscription else None
            changes = [int(k.rsplit(":", 1)[1]) for k in stale.event_keys if k.startswith(f"change:{self.mission}:")]
            if destination is None or latest is None or len(changes) != len(stale.event_keys):
                continue
            claim = await self.store.take_over(stale, self.worker, now, now - self.lease)
            if claim is None:
                continue
            log.info("Resending %s to %s after an interrupted delivery", claim.event_keys, claim.destination_key)
            target = await self.store.snapshot_at(self.mission, changes[-1])
            if subscription is None or target is None:
                continue
            sent += await self._send_changes(destination, subscription, claim, changes, target, now, retry=True)
        return sent

    async def _notify_problem(self, problem: str, key: str, now: dt.datetime) -> int:
        latest = await self.store.latest_snapshot(self.mission)
        notice = problem_briefing(self.mission, self.source.key, problem, latest.snapshot if latest else None)
        sent = 0
        for subscription in await self.store.subscriptions(self.mission):
            destination = self.destination_for(subscription)
            if destination is None:
                continue
            claim = await self.store.claim([f"problem:{self.mission}:{key}"], subscription.destination_key,
                                           self.worker, now)  # fmt: skip
            if claim is None:
                continue  # this problem was already reported there
            post = Post(notice, nonce=claim.nonce, ref=claim.nonce[:8])
            sent += await self._send(destination, claim, post, now, retry=False)
        return sent


def _same_figures(a: Snapshot, b: Snapshot) -> bool:
    """Alerts are about troop figures: a new date or layout with the same figures is no change.

    (An undated report is dated by its fetch day, so comparing dates would announce every new day.)
    """
    return a.troops_by_nation == b.troops_by_nation


def _figures_hash(snapshot: Snapshot) -> str:
    """Identity of a change: the figures and date (not the bytes, which may differ in layout only)."""
    return hashlib.sha256(snapshot.model_dump_json(include={"mission", "as_of", "contingents"}).encode()).hexdigest()
