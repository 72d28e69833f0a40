"""The delivery ledger: each (event, destination) is claimed before it is sent and finished after.

A claim is a set of rows inserted in one transaction (a catch-up digest covers several changes):
of several processes claiming the same event for the same destination, UNIQUE(event, destination)
lets exactly one win. The winner holds a *lease* (``lease_until``), renews it during a long send,
and ends the claim in an explicit final state: ``sent`` (with the message id), ``filtered`` (below
the destination's thresholds) or ``failed`` (with the error). Every change to a claim is fenced:
``WHERE claimed_by = :me AND attempts = :n`` with the row count checked, so a process whose lease
ran out and was taken over can neither finish nor release the claim it lost.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, Update, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.sql import dialect_insert, utc, utc_required, violates
from bot.store.tables import deliveries, subscriptions

FinalStatus = Literal["sent", "filtered", "failed"]


def change_event(mission: str, position: int) -> str:
    """The ledger key of the change that produced snapshot ``position``."""
    return f"change:{mission}:{position}"


def change_positions(mission: str, event_keys: Sequence[str]) -> list[int] | None:
    """The chain positions of change events, or None when a key is not a change of ``mission``."""
    prefix = f"change:{mission}:"
    if not all(key.startswith(prefix) for key in event_keys):
        return None
    return [int(key[len(prefix) :]) for key in event_keys]


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery this process owns until ``lease_until``, identified for fencing by owner and attempt.

    ``claimed_at`` is when the delivery was first claimed; a take-over keeps it, so a retry knows
    since when to look for a message that may have arrived.
    """

    event_keys: tuple[str, ...]
    destination_key: str
    nonce: str
    attempts: int
    owner: str
    claimed_at: dt.datetime
    lease_until: dt.datetime
    #: The post to send, as JSON, so that any process can resume the claim after its owner died.
    payload: str | None = None


@dataclass(frozen=True, slots=True)
class Wanted:
    """One destination's part of a batched claim (:meth:`Ledger.claim_many`).

    The post is built before claiming (with this nonce), so it is stored in the claim's own insert.
    ``payload`` None: the changes are below the destination's thresholds, and the rows go in as
    ``filtered``, final at once, with the destination's cursor moved to ``cursor``.
    """

    event_keys: tuple[str, ...]
    destination_key: str
    nonce: str
    payload: str | None
    cursor: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """A claim sent and waiting to be finished in a batch (:meth:`Ledger.finish_many`)."""

    claim: Claim
    message_ref: str | None
    cursor: int | None


def new_nonce() -> str:
    """A claim's nonce: Discord accepts nonces of up to 25 characters."""
    return secrets.token_hex(12)


#: The shortest lease the ledger grants, whatever it is asked for. A lease of 0 is taken over by the next
#: process at once, while its owner is still sending: the message goes out twice. The owner renews
#: every third of the lease, so one second still leaves it a third of a second between renewals.
MIN_LEASE = dt.timedelta(seconds=1)


class Ledger:
    def __init__(self, engine: AsyncEngine, lease: dt.timedelta = dt.timedelta(minutes=5)) -> None:
        self.engine = engine
        self.lease = max(lease, MIN_LEASE)

    def _fence(self, claim: Claim) -> ColumnElement[bool]:
        return and_(
            deliveries.c.destination_key == claim.destination_key,
            deliveries.c.event_key.in_(claim.event_keys),
            deliveries.c.status == "claimed",
            deliveries.c.claimed_by == claim.owner,
            deliveries.c.attempts == claim.attempts,
        )

    async def claim(
        self, event_keys: Sequence[str], destination_key: str, owner: str, now: dt.datetime, payload: str | None = None
    ) -> Claim | None:
        """Claim one delivery covering ``event_keys``; None when another process has one of them already."""
        nonce = new_nonce()
        group_key = event_keys[-1]
        lease_until = now + self.lease
        rows = [
            {
                "event_key": key,
                "destination_key": destination_key,
                "status": "claimed",
                "claimed_by": owner,
                "claimed_at": now,
                "lease_until": lease_until,
                "attempts": 1,
                "nonce": nonce,
                "group_key": group_key,
                "payload": payload if key == group_key else None,
            }
            for key in event_keys
        ]
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(deliveries), rows)
        except IntegrityError as exc:
            if violates(exc, "uq_deliveries_event_destination", ("deliveries.event_key", "deliveries.destination_key")):
                return None
            raise
        return Claim(tuple(event_keys), destination_key, nonce, 1, owner, now, lease_until, payload)

    async def claim_many(self, wanted: Sequence[Wanted], owner: str, now: dt.datetime) -> list[Claim | None]:
        """Claim many destinations' deliveries in one transaction; for each, its claim or None (another has it).

        ``INSERT … ON CONFLICT DO NOTHING RETURNING`` takes what nobody holds and tells which rows it
        took: a destination wins when all of its events are among them. One that won only some (a race
        with another process's catch-up digest) gives them back in the same transaction, so a claim is
        still all of its events or none. A filtered destination's rows are final at once, and its cursor
        moves with them.
        """
        if not wanted:
            return []
        lease_until = now + self.lease
        rows = [
            {"event_key": key, "destination_key": w.destination_key,
             "status": "claimed" if w.payload is not None else "filtered", "claimed_by": owner, "claimed_at": now,
             "lease_until": lease_until, "attempts": 1, "nonce": w.nonce, "group_key": w.event_keys[-1],
             "payload": w.payload if key == w.event_keys[-1] else None, "sent_at": None if w.payload else now}
            for w in wanted for key in w.event_keys
        ]  # fmt: skip
        async with self.engine.begin() as conn:
            statement = (
                dialect_insert(conn, deliveries).values(rows)
                .on_conflict_do_nothing(index_elements=["event_key", "destination_key"])
                .returning(deliveries.c.event_key, deliveries.c.destination_key)
            )  # fmt: skip
            taken = {(row.event_key, row.destination_key) for row in await conn.execute(statement)}
            claims: list[Claim | None] = []
            for w in wanted:
                mine = [key for key in w.event_keys if (key, w.destination_key) in taken]
                if len(mine) != len(w.event_keys):
                    if mine:  # part of a catch-up: give it back, so that nobody holds half a digest
                        await conn.execute(delete(deliveries).where(and_(
                            deliveries.c.destination_key == w.destination_key, deliveries.c.event_key.in_(mine),
                            deliveries.c.claimed_by == owner, deliveries.c.nonce == w.nonce)))  # fmt: skip
                    claims.append(None)
                    continue
                if w.payload is None and w.cursor is not None:
                    await conn.execute(_cursor_moved(w.destination_key, w.cursor))
                claims.append(Claim(w.event_keys, w.destination_key, w.nonce, 1, owner, now, lease_until, w.payload))
        return claims

    async def finish_many(self, outcomes: Sequence[Outcome], now: dt.datetime) -> list[bool]:
        """Finish sent claims in one transaction, each fenced as :meth:`finish` does; for each, whether it was ours.

        A claim lost meanwhile (taken over after its lease) matches no row and is left to its new owner;
        the others are finished, their cursors moved, in the same commit.
        """
        results: list[bool] = []
        async with self.engine.begin() as conn:
            for outcome in outcomes:
                claim = outcome.claim
                result = await conn.execute(_SENT, {**_fenced(claim), "p_now": now, "p_ref": outcome.message_ref})
                if result.rowcount not in (0, len(claim.event_keys)):  # half a claim: not one this ledger makes
                    raise RuntimeError(f"claim of {claim.event_keys} for {claim.destination_key} is split")
                results.append(result.rowcount == len(claim.event_keys))
                if results[-1] and outcome.cursor is not None:
                    await conn.execute(_cursor_moved(claim.destination_key, outcome.cursor))
        return results

    async def attach(self, claim: Claim, payload: str) -> Claim | None:
        """Store the post a claim will send (built after claiming); None when the claim was lost.

        Also how each accepted message is recorded (several times per delivery): one statement built
        once, its values bound at each call.
        """
        async with self.engine.begin() as conn:
            result = await conn.execute(
                _ATTACH, {**_fenced(claim), "p_group": claim.event_keys[-1], "p_payload": payload}
            )
        return replace(claim, payload=payload) if result.rowcount == 1 else None

    async def renew(self, claim: Claim, now: dt.datetime) -> Claim | None:
        """Extend the lease of a claim still owned; None when it was lost (taken over after it ran out)."""
        lease_until = now + self.lease
        async with self.engine.begin() as conn:
            result = await conn.execute(update(deliveries).where(self._fence(claim)).values(lease_until=lease_until))
            if result.rowcount != len(claim.event_keys):
                await conn.rollback()
                return None
        return replace(claim, lease_until=lease_until)

    async def finish(
        self, claim: Claim, status: FinalStatus, now: dt.datetime, message_ref: str | None = None,
        error: str | None = None, cursor: int | None = None,
    ) -> bool:  # fmt: skip
        """End a claim in a final state; False when it was no longer ours (nothing is written then).

        ``cursor``: the chain position the claim's changes reach; the destination's subscription moves
        its delivered-through cursor there in the same transaction, so a crash cannot leave one
        without the other.
        """
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(deliveries)
                .where(self._fence(claim))
                .values(status=status, sent_at=now, message_ref=message_ref, error=error, payload=None)
            )
            if result.rowcount != len(claim.event_keys):
                await conn.rollback()
                return False
            if cursor is not None:
                await conn.execute(_cursor_moved(claim.destination_key, cursor))
        return True

    async def release(self, claim: Claim) -> bool:
        """Give back a claim whose send certainly failed, so a later cycle retries it; False when not ours."""
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(deliveries).where(self._fence(claim)))
            if result.rowcount != len(claim.event_keys):
                await conn.rollback()
                return False
        return True

    async def stale(self, now: dt.datetime) -> list[Claim]:
        """Claims whose lease ran out: their owner died, or hung, between claiming and finishing."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(deliveries)
                    .where(and_(deliveries.c.status == "claimed", deliveries.c.lease_until < now))
                    .order_by(deliveries.c.id)
                )
            ).all()
        groups: dict[tuple[str, str, int], list[Row[Any]]] = {}
        for row in rows:
            groups.setdefault((row.destination_key, row.group_key, row.attempts), []).append(row)
        claims = []
        for (destination, group_key, attempts), group in groups.items():
            head = next((r for r in group if r.event_key == group_key), group[-1])
            events = tuple(r.event_key for r in group)
            claimed_at, lease_until = utc_required(head.claimed_at), utc_required(head.lease_until)
            claims.append(Claim(events, destination, head.nonce, attempts, head.claimed_by, claimed_at, lease_until,
                                head.payload))  # fmt: skip
        return claims

    async def take_over(self, stale: Claim, owner: str, now: dt.datetime) -> Claim | None:
        """Take over a claim whose lease ran out; None if another process took it (or it ended) meanwhile."""
        lease_until = now + self.lease
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(deliveries)
                .where(and_(self._fence(stale), deliveries.c.lease_until < now))
                .values(claimed_by=owner, lease_until=lease_until, attempts=deliveries.c.attempts + 1)
            )
            if result.rowcount != len(stale.event_keys):
                await conn.rollback()
                return None
        return replace(stale, owner=owner, attempts=stale.attempts + 1, lease_until=lease_until)

    async def rows(self, destination_key: str | None = None) -> list[dict[str, Any]]:
        """The ledger rows (for status pages and tests)."""
        query = select(deliveries).order_by(deliveries.c.id)
        if destination_key is not None:
            query = query.where(deliveries.c.destination_key == destination_key)
        async with self.engine.connect() as conn:
            return [dict(row._mapping) for row in await conn.execute(query)]

    async def message_ref(self, event_key: str, destination_key: str) -> str | None:
        """The id of the message that carried ``event_key`` to the destination, once it was sent."""
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    select(deliveries.c.message_ref).where(
                        deliveries.c.event_key == event_key,
                        deliveries.c.destination_key == destination_key,
                        deliveries.c.status == "sent",
                    )
                )
            ).scalar()
        return str(value) if value is not None else None

    async def last_sent(self, destination_key: str, prefix: str) -> dt.datetime | None:
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    select(func.max(deliveries.c.sent_at)).where(
                        and_(
                            deliveries.c.destination_key == destination_key,
                            deliveries.c.event_key.like(f"{prefix}%"),
                            deliveries.c.status == "sent",
                        )
                    )
                )
            ).scalar()
        return utc(value)

    async def forget(self, event_prefix: str) -> int:
        """Delete the finished rows of events starting with ``event_prefix`` (a resolved problem may recur)."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                delete(deliveries).where(
                    and_(deliveries.c.event_key.like(f"{event_prefix}%"), deliveries.c.status != "claimed")
                )
            )
        return result.rowcount

    async def prune(self, finished_before: dt.datetime) -> int:
        """Delete rows finished before ``finished_before``; the cursors already record that they were dealt with."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                delete(deliveries).where(and_(deliveries.c.status != "claimed", deliveries.c.sent_at < finished_before))
            )
        return result.rowcount


#: ``Ledger._fence`` with its values bound at execution: the statements the hot path runs are built once.
_FENCE = and_(
    deliveries.c.destination_key == bindparam("f_destination"),
    deliveries.c.event_key.in_(bindparam("f_events", expanding=True)),
    deliveries.c.status == "claimed",
    deliveries.c.claimed_by == bindparam("f_owner"),
    deliveries.c.attempts == bindparam("f_attempts"),
)
_ATTACH = (
    update(deliveries)
    .where(and_(_FENCE, deliveries.c.event_key == bindparam("p_group")))
    .values(payload=bindparam("p_payload"))
)

_SENT = (
    update(deliveries)
    .where(_FENCE)
    .values(status="sent", sent_at=bindparam("p_now"), message_ref=bindparam("p_ref"), error=None, payload=None)
)


def _fenced(claim: Claim) -> dict[str, Any]:
    """The values of :data:`_FENCE` for ``claim``."""
    return {"f_destination": claim.destination_key, "f_events": list(claim.event_keys), "f_owner": claim.owner,
            "f_attempts": claim.attempts}  # fmt: skip


def _cursor_moved(destination_key: str, cursor: int) -> Update:
    """The destination's delivered-through cursor moved forward to ``cursor`` (never back)."""
    return (
        update(subscriptions)
        .where(and_(subscriptions.c.destination_key == destination_key, subscriptions.c.delivered_through < cursor))
        .values(delivered_through=cursor)
    )
