"""The watch cycle: fetch → parse → validate → store → diff → deliver, exactly once per destination.

One cycle (:meth:`Watcher.run_cycle`):

1. Take in the snapshots any instance recorded since this process last looked (the store, not a
   process's memory, says which figures are current).
2. Fetch the source with the validators of the last fetch; "not modified" or the same bytes end
   the cycle (after delivering anything still pending).
3. Parse and validate, in whatever format the source is (PDF, HTML, JSON, CSV, text: see
   :func:`bot.sources.documents.ingest_document`), in a worker thread so that a large page or a
   PDF does not hold up the event loop. A parse error, an empty report or an implausible drop (see
   :mod:`bot.core.plausibility`) is a *source problem*: the last good snapshot stays, no digest is
   made, and subscribers get one notice per distinct problem (for fetch errors, only after a few
   failures in a row, so a passing timeout does not page anyone). When the source recovers, a
   later problem is announced again.
4. Figures equal to the last good snapshot's: nothing to announce.
5. Otherwise the snapshot is appended to the accepted chain (the first one is the baseline and
   announces nothing) and every destination gets a digest of the changes after its cursor: one
   change normally, several summed up in one catch-up digest after downtime.

Every message — digest, problem notice, scheduled briefing — goes through :meth:`Watcher.deliver`:
claimed in the ledger with the post attached, sent while the lease is renewed, finished in an
explicit state. A claim whose owner died is taken over after its lease and the stored post resent
with the same nonce, after asking the destination whether the first attempt arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from bot.alerts.destinations import Accepted, DeliveryError, Destination, Post
from bot.briefings.digest import Digest, build_digest, problem_briefing
from bot.core.diff import Significance
from bot.core.known import known_figures
from bot.core.models import Snapshot
from bot.core.nations import NationRegistry
from bot.core.plausibility import Plausibility, implausible_change
from bot.core.reports import ReportMeta
from bot.core.reports.coverage import decide_coverage
from bot.core.reports.dates import http_date
from bot.sources.documents import ingest_document
from bot.sources.fetch import Source, SourceError, SourceUnreachable, Validators
from bot.sources.location import public_location, public_text
from bot.store.database import Store
from bot.store.ledger import Claim, Outcome, Wanted, change_event, change_positions, new_nonce
from bot.store.snapshots import StoredSnapshot
from bot.store.subscriptions import Subscription

log = logging.getLogger(__name__)

_T = TypeVar("_T")
Status = Literal["baseline", "unchanged", "changed", "problem", "raced"]
#: Destinations claimed in one transaction (and their sent claims finished in one): few enough that the
#: last of a batch starts well within its lease at Discord's pace (100 × 3 requests at 50/s: 6 s).
CLAIM_BATCH = 100
#: How a cycle that recorded nothing new says it delivered what was pending (a change another process recorded).
_DELIVERED = "; delivered what was pending"
#: Attempts after which a delivery whose outcome stays unknown is given up (and recorded as failed).
MAX_ATTEMPTS = 2


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
    #: Deliveries of this cycle that failed, or whose outcome is unknown, one line each.
    failed: tuple[str, ...] = ()
    #: The problem is that the source's host could not be reached at all (no network): a transport may
    #: say so once, calmly, rather than at every poll.
    unreachable: bool = False


@dataclass(slots=True)
class Watcher:
    """Watches one mission's source and delivers its changes; see the module docstring."""

    store: Store
    source: Source
    registry: NationRegistry
    meta: ReportMeta
    #: The destination this process can serve for a ledger key (a channel, a webhook, the console), or None.
    resolve: Callable[[str], Destination | None]
    plausibility: Plausibility = field(default_factory=Plausibility)
    notify_after_failures: int = 3
    #: Failed deliveries in a row to one destination after which its pending message is given up.
    max_delivery_failures: int = 5
    worker: str = field(default_factory=default_worker_id)
    clock: Callable[[], dt.datetime] = utcnow
    #: Called with the snapshots recorded since the last call, by any process, oldest first.
    on_snapshots: Callable[[Sequence[StoredSnapshot]], None] | None = None
    #: How many destinations are sent to at once (each send still waits for discord.py's rate limiter).
    concurrency: int = 8
    #: Told each delivery's outcome: sent, filtered, failed (for good), retry, unknown (the operator's metrics).
    on_delivery: Callable[[str], None] | None = None
    #: The source publishes complete lists (NATO's placemat): a nation its report omits has left, unless
    #: the report itself says it is a selection (see :mod:`bot.core.reports.coverage`).
    publishes_complete: bool = False
    #: Called with the chain position a digest ends at, before the digest is sent: lines the digest adds about
    #: what that list settled (the feed cycle reconciles its announcements here, see :mod:`bot.alerts.feeds`).
    digest_notes: Callable[[int], Awaitable[tuple[str, ...]]] | None = None
    #: The process is stopping: no new delivery starts (see :meth:`fan_out`).
    stopping: bool = field(default=False, init=False)
    _seen_position: int | None = field(default=None, init=False)
    _failures: list[str] = field(default_factory=list, init=False)

    @property
    def mission(self) -> str:
        return self.meta.mission

    # -- the cycle ------------------------------------------------------------------------------
    async def run_cycle(self) -> CycleResult:
        """One cycle (see the module docstring); the result lists the deliveries that failed in it."""
        self._failures = []
        result = await self._cycle()
        return replace(result, failed=tuple(self._failures)) if self._failures else result

    async def _cycle(self) -> CycleResult:
        now = self.clock()
        await self.sync_chain()
        health = await self.store.health.get(self.source.key)
        try:
            fetched = await self.source.fetch(Validators(health.etag, health.last_modified))
        except SourceError as exc:
            return await self._problem(
                str(exc), now, fetch_failure=True, unreachable=isinstance(exc, SourceUnreachable)
            )
        validators = {"etag": fetched.validators.etag or health.etag,
                      "last_modified": fetched.validators.last_modified or health.last_modified}  # fmt: skip
        if fetched.content is None or (fetched.content_hash == health.content_hash and health.problem is None):
            await self.store.health.record_unchanged(self.source.key, now, **validators)
            sent = await self.deliver_pending(now)
            return CycleResult("unchanged", "the source has not changed" + (_DELIVERED if sent else ""), sent=sent)
        checked = {**validators, "content_hash": fetched.content_hash}
        result = await asyncio.to_thread(
            ingest_document, fetched.content, self.meta, self.registry, fetched.name, fetched.content_type
        )
        if result.snapshot is None:
            errors = "; ".join(issue.describe() for issue in result.errors[:3])
            more = f" (and {len(result.errors) - 3} more)" if len(result.errors) > 3 else ""
            return await self._problem(f"the report does not parse: {errors}{more}", now, columns=checked)
        snapshot = self._dated(result.snapshot, now, fetched.modified)
        latest = await self.store.snapshots.latest(self.mission)
        known = await self.known_at(latest.position) if latest else None
        last_complete = known if known is not None and known.is_complete else None
        snapshot = decide_coverage(snapshot, result.coverage_basis, last_complete, self.publishes_complete)
        problem = implausible_change(known, snapshot, self.plausibility)
        if problem:
            return await self._problem(problem, now, columns=checked)
        if health.problem is not None:
            await self._recovered()
        healthy = {**checked, "problem": None, "problem_key": None, "problem_since": None, "consecutive_failures": 0,
                   "last_check_at": now, "last_success_at": now}  # fmt: skip
        if latest is not None and known is not None and _same_figures(known, snapshot):
            await self.store.health.update(self.source.key, **healthy)
            sent = await self.deliver_pending(now)
            return CycleResult("unchanged", "the source changed, but not its figures" + (_DELIVERED if sent else ""),
                               latest.position, sent)  # fmt: skip
        position = latest.position + 1 if latest else 0
        stored = await self.store.snapshots.append(snapshot, _figures_hash(snapshot), self.source.key, now, position)
        if stored is None:  # another process appended this position first
            other = await self.store.snapshots.at(self.mission, position)
            if other is None or other.content_hash != _figures_hash(snapshot):
                return CycleResult("raced", "another process recorded a different change first; next cycle decides")
            # The same change: the process that recorded it reports it, so a change is counted once across
            # instances; this one delivers its share and says so.
            await self.sync_chain()
            sent = await self.deliver_pending(now) if position else 0
            what = f"change #{position}" if position else "the baseline"
            return CycleResult("unchanged", f"another process recorded {what}" + (", delivered here" if sent else ""),
                               position, sent)  # fmt: skip
        await self.store.health.update(self.source.key, last_change_at=now, **healthy)
        await self.sync_chain()
        if position == 0:
            return CycleResult("baseline", f"recorded the baseline: {snapshot.total:,} troops, "
                                           f"{len(snapshot.contingents)} nations", position)  # fmt: skip
        sent = await self.deliver_pending(now)
        return CycleResult("changed", f"recorded change #{position}", position, sent)

    async def sync_chain(self) -> list[StoredSnapshot]:
        """Hand on every snapshot recorded since this process last looked, whoever recorded it."""
        new = await self.store.snapshots.since(self.mission, self._seen_position)
        if new:
            self._seen_position = new[-1].position
            if self.on_snapshots is not None:
                self.on_snapshots(new)
        return new

    async def known_at(self, position: int, lookup: Callable[[int], Awaitable[StoredSnapshot | None]] | None = None,
                        ) -> Snapshot | None:  # fmt: skip
        """The figures known at ``position``: the last complete snapshot up to it, with the partial ones after it."""
        at = lookup or functools.partial(self.store.snapshots.at, self.mission)
        chain: list[Snapshot] = []
        for earlier in range(position, -1, -1):
            stored = await at(earlier)
            if stored is None:
                break
            chain.append(stored.snapshot)
            if stored.snapshot.is_complete:
                break
        return known_figures(chain[::-1])

    def _dated(self, snapshot: Snapshot, now: dt.datetime, last_modified: str | None) -> Snapshot:
        """A report that gives no date of its own: the server's ``Last-Modified`` day, else the day it was
        retrieved, marked so ("undated, retrieved …": the figures were current then, as far as anyone knows)."""
        if snapshot.as_of is not None:
            return snapshot
        if modified := http_date(last_modified):
            return snapshot.replace(as_of=modified)
        return snapshot.replace(as_of=now.date().isoformat(), as_of_retrieved=True)

    async def _problem(self, problem: str, now: dt.datetime, fetch_failure: bool = False,
                       columns: dict[str, str | None] | None = None,
                       unreachable: bool = False) -> CycleResult:  # fmt: skip
        """Record a problem (and the columns this fetch learnt, e.g. its content hash) and notify once."""
        problem = public_text(problem)  # stored, logged, posted and printed: never with a credential in it
        key = hashlib.sha256(problem.encode()).hexdigest()[:16]
        health = await self.store.health.record_problem(self.source.key, problem, key, now, **(columns or {}))
        failures = health.consecutive_failures
        # Unreachable (no network) is the normal state of an offline machine: information, not a warning.
        log.log(logging.INFO if unreachable else logging.WARNING, "Source problem (%s, %d in a row): %s",
                public_location(self.source.key), failures, problem)  # fmt: skip
        sent = 0
        if not fetch_failure or failures >= self.notify_after_failures:
            sent = await self._notify_problem(problem, key, now)
        return CycleResult("problem", problem, sent=sent, problem=problem, unreachable=unreachable)

    async def _recovered(self) -> None:
        """The source is healthy again: a problem that comes back later is news again."""
        forgotten = await self.store.ledger.forget(f"problem:{self.mission}:")
        log.info(
            "Source recovered (%s); %d problem notice(s) may be sent again", public_location(self.source.key), forgotten
        )

    # -- delivery ---------------------------------------------------------------------------------
    async def deliver_pending(self, now: dt.datetime) -> int:
        """Resume interrupted deliveries, then send every destination the changes after its cursor."""
        state = await self.store.delivery_state(self.mission, now)
        if state.last_position is None or not (state.stale or state.behind):
            return 0  # one query answers the common case: nothing recorded, or everyone served
        sent = await self._recover_stale_claims(now) if state.stale else 0
        if not state.behind:
            return sent
        latest = await self.store.snapshots.latest(self.mission)
        if latest is None:
            return sent
        digests = _DigestCache(self, latest)
        behind = await self.store.subscriptions.behind(self.mission, latest.position)
        # A destination this process cannot serve (e.g. a channel, in `check`) is left to those that can.
        served = [(s, d) for s in behind if (d := self.resolve(s.destination_key)) is not None]
        finisher = _Finisher(self)
        for start in range(0, len(served), CLAIM_BATCH):
            claimed = await self._claim_batch(served[start : start + CLAIM_BATCH], digests, now)
            try:
                sent += await self.fan_out(
                    functools.partial(self.deliver, destination, claim, post, cursor=latest.position,
                                      failures=subscription.failures, finisher=finisher)
                    for subscription, destination, claim, post in claimed
                )  # fmt: skip
            finally:
                await finisher.flush()
        return sent

    async def _claim_batch(self, served: Sequence[tuple[Subscription, Destination]], digests: _DigestCache,
                           now: dt.datetime) -> list[tuple[Subscription, Destination, Claim, Post]]:  # fmt: skip
        """Build each destination's post and claim them all in one transaction: what this process is to send.

        Destinations whose changes are below their thresholds are finished as filtered in that same
        transaction; those another process holds are left to it.
        """
        latest, wanted, posts = digests.latest, [], []
        for subscription, _destination in served:
            positions = list(range(max(subscription.delivered_through, 0) + 1, latest.position + 1))
            nonce = new_nonce()
            post = await digests.post(subscription, positions, nonce, now)
            events = tuple(change_event(self.mission, p) for p in positions)
            wanted.append(Wanted(events, subscription.destination_key, nonce, post.to_json() if post else None,
                                 cursor=latest.position))  # fmt: skip
            posts.append(post)
        claims = await self.store.ledger.claim_many(wanted, self.worker, now)
        claimed = []
        for (subscription, destination), claim, post in zip(served, claims, posts, strict=True):
            if claim is None:
                continue  # another process is on it
            if post is None:
                self._observe("filtered")
            else:
                claimed.append((subscription, destination, claim, post))
        return claimed

    async def fan_out(self, deliveries: Iterable[Callable[[], Awaitable[int]]]) -> int:
        """Run deliveries to distinct destinations, at most ``concurrency`` at a time; the number sent.

        Each destination has its own claim, so their order does not matter and exactly-once holds for
        each. Discord's limits are kept by the pacer and discord.py's rate limiter, which every request
        goes through. Public: the feed watcher delivers its announcements through it too.
        One delivery failing unexpectedly does not cancel the others mid-send (which would leave their
        outcome unknown): they finish, then the first error is raised. Once the process is
        :attr:`stopping`, the deliveries under way finish and are recorded, and no other starts: a
        change to 1,000 channels takes a minute, more than a platform waits after SIGTERM, and a
        delivery cut off between its message and its record would be sent twice. Those not started
        keep their claim, and the next start (or another instance) sends them once its lease runs out.
        """
        limit = asyncio.Semaphore(self.concurrency)

        async def bounded(delivery: Callable[[], Awaitable[int]]) -> int:
            async with limit:
                return 0 if self.stopping else await delivery()

        results = await asyncio.gather(*(bounded(d) for d in deliveries), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(r for r in results if isinstance(r, int))

    async def deliver(self, destination: Destination, claim: Claim, post: Post, *, cursor: int | None = None,
                      retry: bool = False, failures: int | None = None, finisher: _Finisher | None = None,
                      ) -> int:  # fmt: skip
        """Send one claimed post and finish its claim: the one delivery path of every kind of message.

        The post is stored with the claim first, so another process can resume it if this one dies.
        While the destination works (a webhook may wait out rate limits), the lease is renewed.
        ``failures``: the destination's failures in a row as this cycle read them; 0 spares the write
        that would reset them (one transaction per destination of a change, for nothing). With a
        ``finisher``, the sent claim is finished in its next batch: every message is recorded as it is
        accepted, so a claim whose finish a crash lost is resumed with nothing left to send. Returns 1
        when a message was sent.
        """
        if claim.lease_until - self.clock() < self.store.ledger.lease / 3:  # it waited its turn: renew before sending
            renewed = await self.store.ledger.renew(claim, self.clock())
            if renewed is None:
                log.warning("Lost the claim of %s for %s before sending", claim.event_keys, claim.destination_key)
                return 0
            claim = renewed
        if claim.payload is None:
            attached = await self.store.ledger.attach(claim, post.to_json())
            if attached is None:
                log.warning("Lost the claim of %s for %s before sending", claim.event_keys, claim.destination_key)
                return 0
            claim = attached
        owned = claim

        async def record(count: int, head_ref: str | None) -> None:
            """Each message the destination accepted, in the ledger before the next goes out."""
            progress = replace(post, accepted=count, head_ref=head_ref).to_json()
            try:
                progressed = await self._retrying(lambda: self.store.ledger.attach(owned, progress))
            except Exception as exc:  # the store's fault, not the destination's: raised as it is, below
                raise _NotRecorded(exc) from exc
            if progressed is None:
                raise _ClaimLost

        try:
            async with self._lease_kept(claim):
                message_ref = await _sent(destination, post, retry, record)
        except DeliveryError as exc:
            return await self._failed(claim, exc, cursor)
        except _NotRecorded as exc:
            raise exc.fault from None
        except _ClaimLost:
            log.warning("Lost the claim of %s for %s mid-send; its new owner sends the rest", claim.event_keys,
                        claim.destination_key)  # fmt: skip
            return 0
        if finisher is not None:
            finisher.add(Outcome(claim, message_ref, cursor))
        else:
            finished = await self._retrying(
                lambda: self.store.ledger.finish(claim, "sent", self.clock(), message_ref=message_ref, cursor=cursor)
            )
            if not finished:
                log.warning("Sent %s to %s, but its claim was taken over meanwhile", claim.event_keys, destination.key)
        if failures != 0:  # a failure recorded since this cycle read 0 is reset by the next success
            await self._retrying(lambda: self.store.subscriptions.reset_failures(claim.destination_key))
        self._observe("sent")
        return 1

    async def _retrying(self, write: Callable[[], Awaitable[_T]]) -> _T:
        """A ledger write that records a message already accepted, retried while the lease still protects it.

        The message is out: if its record is lost, a later attempt sends it again. A store that is away
        for a moment (a PostgreSQL restart, a failover) is waited for, up to half the lease (and 30 s),
        before the fault is raised.
        """
        budget = min(self.store.ledger.lease.total_seconds() / 2, 30.0)
        loop = asyncio.get_running_loop()
        deadline, delay = loop.time() + budget, 0.1
        while True:
            try:
                return await write()
            except Exception as exc:
                if loop.time() + delay > deadline:
                    raise
                log.warning("Could not record a sent message yet (%s); trying again in %.1f s", type(exc).__name__,
                            delay)  # fmt: skip
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _failed(self, claim: Claim, exc: DeliveryError, cursor: int | None) -> int:
        """Settle a failed send: give up for good, keep an unknown outcome for one retry, or retry later."""
        now, key = self.clock(), claim.destination_key
        if exc.permanent or (exc.unknown and claim.attempts >= MAX_ATTEMPTS):
            log.error("Delivery to %s failed for good: %s", key, exc)
            await self.store.ledger.finish(claim, "failed", now, error=str(exc)[:500], cursor=cursor)
            self._failures.append(f"{key}: {exc} (given up)")
            self._observe("failed")
        elif exc.unknown:  # it may have arrived: keep the claim; after its lease, one careful retry
            log.warning("Delivery to %s: outcome unknown (%s); one retry after the lease", key, exc)
            self._failures.append(f"{key}: {exc} (outcome unknown; one retry after the lease)")
            self._observe("unknown")
        elif (failures := await self.store.subscriptions.record_failure(key)) >= self.max_delivery_failures:
            log.error("Delivery to %s failed %d times in a row; giving it up: %s", key, failures, exc)
            await self.store.ledger.finish(claim, "failed", now, error=f"{failures} failures in a row: {exc}"[:500],
                                           cursor=cursor)  # fmt: skip
            await self.store.subscriptions.reset_failures(key)
            self._failures.append(f"{key}: {exc} ({failures} failures in a row: given up)")
            self._observe("failed")
        else:
            log.warning("Delivery to %s failed (%d in a row); will retry: %s", key, failures, exc)
            await self.store.ledger.release(claim)
            self._failures.append(f"{key}: {exc} (failure {failures} of {self.max_delivery_failures}; retried later)")
            self._observe("retry")
        return 0

    def _observe(self, outcome: str) -> None:
        if self.on_delivery is not None:
            self.on_delivery(outcome)

    @contextlib.asynccontextmanager
    async def _lease_kept(self, claim: Claim) -> AsyncIterator[None]:
        """Renew the claim's lease every third of its length while the body runs."""
        interval = self.store.ledger.lease.total_seconds() / 3

        async def renew() -> None:
            current = claim
            while True:
                await asyncio.sleep(interval)
                try:
                    renewed = await self.store.ledger.renew(current, self.clock())
                except Exception as exc:  # the store is away for a moment: the send goes on, the next renewal may work
                    log.warning("Could not renew the lease of %s for %s: %s", claim.event_keys, claim.destination_key,
                                type(exc).__name__)  # fmt: skip
                    continue
                if renewed is None:
                    log.warning("Lost the lease of %s for %s mid-send", claim.event_keys, claim.destination_key)
                    return
                current = renewed

        task = asyncio.create_task(renew())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _recover_stale_claims(self, now: dt.datetime) -> int:
        """Take over claims whose lease ran out and resend their stored post (every kind of message)."""
        sent = 0
        for stale in await self.store.ledger.stale(now):
            destination = self.resolve(stale.destination_key)
            if destination is None:
                continue
            claim = await self.store.ledger.take_over(stale, self.worker, now)
            if claim is None:
                continue  # another process took it
            positions = change_positions(self.mission, claim.event_keys)
            cursor = positions[-1] if positions else None
            if claim.payload is None:  # its owner died before building the post: nothing was sent
                await self.store.ledger.release(claim)
                continue
            if claim.attempts > MAX_ATTEMPTS + 1:
                await self.store.ledger.finish(claim, "failed", now, error="abandoned after repeated interruptions",
                                               cursor=cursor)  # fmt: skip
                continue
            log.info("Resending %s to %s after an interrupted delivery", claim.event_keys, claim.destination_key)
            sent += await self.deliver(destination, claim, Post.from_json(claim.payload), cursor=cursor, retry=True)
        return sent

    async def _notify_problem(self, problem: str, key: str, now: dt.datetime) -> int:
        latest = await self.store.snapshots.latest(self.mission)
        notice = problem_briefing(self.mission, public_location(self.source.key), problem,
                                  latest.snapshot if latest else None)  # fmt: skip
        event = f"problem:{self.mission}:{key}"

        async def notify(subscription: Subscription, destination: Destination) -> int:
            claim = await self.store.ledger.claim([event], subscription.destination_key, self.worker, now)
            if claim is None:
                return 0  # this problem was already reported there
            post = Post(notice, nonce=claim.nonce, ref=claim.nonce[:8], claimed_at=claim.claimed_at)
            return await self.deliver(destination, claim, post)

        subscriptions = await self.store.subscriptions.all(self.mission)
        return await self.fan_out(
            functools.partial(notify, subscription, destination)
            for subscription in subscriptions
            if (destination := self.resolve(subscription.destination_key)) is not None
        )


class _Finisher:
    """Sent claims finished in batches: one transaction for a batch of claims, each still fenced.

    Flushed when a batch of destinations has been sent (see ``deliver_pending``), well within the
    claims' lease; a crash before the flush leaves claims whose every message is recorded, which the
    next owner resumes with nothing left to send.
    """

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self._pending: list[Outcome] = []

    def add(self, outcome: Outcome) -> None:
        self._pending.append(outcome)

    async def flush(self) -> None:
        """Finish what is pending (retried while the store is away for a moment, as a single finish is)."""
        batch, self._pending = self._pending, []
        if not batch:
            return
        ledger = self.watcher.store.ledger
        finished = await self.watcher._retrying(lambda: ledger.finish_many(batch, self.watcher.clock()))
        for outcome, ours in zip(batch, finished, strict=True):
            if not ours:
                log.warning("Sent %s to %s, but its claim was taken over meanwhile", outcome.claim.event_keys,
                            outcome.claim.destination_key)  # fmt: skip


class _ClaimLost(Exception):
    """The claim was taken over mid-send (its lease ran out): its new owner resumes from the recorded messages."""


class _NotRecorded(Exception):
    """The store failed while recording an accepted message: a store fault, passed through the destination."""

    def __init__(self, fault: Exception) -> None:
        super().__init__(str(fault))
        self.fault = fault


async def _sent(destination: Destination, post: Post, retry: bool, accepted: Accepted) -> str | None:
    """``destination.send``, with anything it raises made that destination's failure, not the cycle's.

    A surprise inside a client library (discord.py reading a 429 whose Content-Type has a charset
    raises TypeError) must not abort the other destinations' deliveries or leave this claim leased
    with nobody to finish it. The request may have gone out, so the outcome is unknown: one careful
    retry after the lease.
    """
    try:
        return await destination.send(post, retry=retry, accepted=accepted)
    except (DeliveryError, _ClaimLost, _NotRecorded):
        raise
    except Exception as exc:
        log.warning("Delivery to %s raised %s", destination.key, type(exc).__name__, exc_info=True)
        raise DeliveryError(f"unexpected error: {type(exc).__name__}: {exc}"[:300], unknown=True) from None


def _same_figures(known: Snapshot, new: Snapshot) -> bool:
    """Alerts are about troop figures: a new date or layout with the same figures is no change.

    A partial report is no change when every figure it lists is the one already known (the nations it
    leaves out say nothing). (An undated report is dated by its fetch day, so comparing dates would
    announce every new day.)
    """
    if new.is_complete:
        return known.troops_by_nation == new.troops_by_nation
    return all(known.troops_by_nation.get(nation, 0) == troops for nation, troops in new.troops_by_nation.items())


def _figures_hash(snapshot: Snapshot) -> str:
    """Identity of a change: the figures and date (not the bytes, which may differ in layout only)."""
    # Compact JSON, as pydantic wrote it when the stored hashes were first made: a new form would make
    # every stored snapshot look changed.
    figures = {"mission": snapshot.mission, "as_of": snapshot.as_of,
               "contingents": [c.model_dump() for c in snapshot.contingents]}  # fmt: skip
    return hashlib.sha256(json.dumps(figures, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


class _DigestCache:
    """One delivery pass's digests: each distinct (changes, filters) is built once, whatever the fan-out.

    Destinations share the digest and its chart request (so a transport that draws charts can draw
    each once); each gets its own copy with the claim's nonce and reference.
    """

    def __init__(self, watcher: Watcher, latest: StoredSnapshot) -> None:
        self.watcher = watcher
        self.latest = latest
        self._snapshots: dict[int, StoredSnapshot | None] = {latest.position: latest}
        self._digests: dict[tuple[int, int, Significance], Digest] = {}
        self._notes: dict[int, tuple[str, ...]] = {}
        self._notes_lock = asyncio.Lock()

    async def notes(self, position: int) -> tuple[str, ...]:
        """What the list at ``position`` settled (announcements), asked once per pass however many destinations."""
        if self.watcher.digest_notes is None:
            return ()
        async with self._notes_lock:
            if position not in self._notes:
                self._notes[position] = await self.watcher.digest_notes(position)
            return self._notes[position]

    async def _at(self, position: int) -> StoredSnapshot | None:
        if position not in self._snapshots:
            self._snapshots[position] = await self.watcher.store.snapshots.at(self.watcher.mission, position)
        return self._snapshots[position]

    async def post(self, subscription: Subscription, positions: list[int], nonce: str, claimed_at: dt.datetime,
                   ) -> Post | None:  # fmt: skip
        """The post for this subscription and its claim's nonce, or None when the changes are below its thresholds."""
        significance = Significance(subscription.min_change, subscription.min_percent, subscription.nations)
        key = (positions[0], positions[-1], significance)
        digest = self._digests.get(key)
        if digest is None:
            before = await self.watcher.known_at(positions[0] - 1, self._at)
            after = await self._at(positions[-1])
            if before is None or after is None:
                mission = self.watcher.mission
                raise RuntimeError(f"the {mission} snapshot chain has a hole before position {positions[-1]}")
            digest = build_digest(before, after.snapshot, self.watcher.registry, significance, len(positions))
            self._digests[key] = digest
        if not digest.significant:
            return None
        ref = nonce[:8]
        footer = replace(digest.head.footer, ref=ref) if digest.head.footer else None
        settled = await self.notes(positions[-1])
        head = replace(digest.head, notes=(*digest.head.notes, *settled)) if settled else digest.head
        return Post(replace(head, footer=footer), digest.detail, digest.thread_name,
                    subscription.mention_role_id, nonce, ref, claimed_at)  # fmt: skip
