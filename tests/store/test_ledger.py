"""The fenced delivery ledger, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.store.database import Store
from bot.store.ledger import change_event
from tests.store.conftest import NOW

LATER = NOW + dt.timedelta(minutes=6)  # past the default five-minute lease


async def test_claims_are_exclusive_and_cover_several_events(database_url) -> None:
    async with Store.open(database_url) as store:
        events = [change_event("KFOR", 1), change_event("KFOR", 2)]
        claims = await asyncio.gather(*(store.ledger.claim(events, "channel:7", f"w{i}", NOW) for i in range(4)))
        winners = [c for c in claims if c is not None]
        assert len(winners) == 1 and winners[0].event_keys == tuple(events)
        # an overlapping catch-up claim by another worker fails as a whole
        overlapping = [change_event("KFOR", 2), change_event("KFOR", 3)]
        assert await store.ledger.claim(overlapping, "channel:7", "w9", NOW) is None
        assert await store.ledger.finish(winners[0], "sent", NOW, message_ref="123")
        rows = await store.ledger.rows("channel:7")
        assert [(r["status"], r["message_ref"], r["error"]) for r in rows] == [("sent", "123", None)] * 2


async def test_final_states_are_explicit(database_url) -> None:
    """filtered and failed are statuses (with the error in its own column), not text in message_ref."""
    async with Store.open(database_url) as store:
        filtered = await store.ledger.claim(["change:KFOR:1"], "a", "w", NOW)
        failed = await store.ledger.claim(["change:KFOR:1"], "b", "w", NOW)
        await store.ledger.finish(filtered, "filtered", NOW)
        await store.ledger.finish(failed, "failed", NOW, error="channel is gone")
        rows = {r["destination_key"]: r for r in await store.ledger.rows()}
        assert (rows["a"]["status"], rows["a"]["message_ref"]) == ("filtered", None)
        assert (rows["b"]["status"], rows["b"]["error"], rows["b"]["message_ref"]) == (
            "failed",
            "channel is gone",
            None,
        )


async def test_an_expired_lease_cannot_be_released_or_finished_by_its_old_owner(database_url) -> None:
    """The fence: after a take-over, the first owner's release, finish and renew all change nothing."""
    async with Store.open(database_url) as store:
        first = await store.ledger.claim(["change:KFOR:1"], "webhook:x", "old", NOW, payload='{"p": 1}')
        (stale,) = await store.ledger.stale(LATER)
        taken = await store.ledger.take_over(stale, "new", LATER)
        assert taken is not None and taken.attempts == 2 and taken.nonce == first.nonce
        assert taken.claimed_at == first.claimed_at and taken.payload == '{"p": 1}'
        assert not await store.ledger.release(first)
        assert not await store.ledger.finish(first, "sent", LATER, message_ref="dup")
        assert await store.ledger.renew(first, LATER) is None
        (row,) = await store.ledger.rows()
        assert (row["status"], row["claimed_by"], row["attempts"]) == ("claimed", "new", 2)
        assert await store.ledger.finish(taken, "sent", LATER, message_ref="m1")


async def test_stale_claims_are_taken_over_once(database_url) -> None:
    """A claim whose lease ran out is stale; of two takers, one wins; the nonce is kept."""
    async with Store.open(database_url) as store:
        claim = await store.ledger.claim([change_event("KFOR", 1)], "webhook:x", "dead-worker", NOW)
        assert await store.ledger.stale(NOW + dt.timedelta(minutes=4)) == []  # the lease holds
        (stale,) = await store.ledger.stale(LATER)
        assert stale.nonce == claim.nonce
        takes = await asyncio.gather(
            store.ledger.take_over(stale, "a", LATER), store.ledger.take_over(stale, "b", LATER)
        )
        (taken,) = [t for t in takes if t is not None]
        assert taken.attempts == 2 and taken.nonce == claim.nonce
        assert await store.ledger.release(taken)
        assert await store.ledger.rows() == []


async def test_renewing_keeps_a_long_send_from_going_stale(database_url) -> None:
    async with Store.open(database_url) as store:
        claim = await store.ledger.claim(["briefing:7:x"], "channel:7", "w", NOW)
        renewed = await store.ledger.renew(claim, NOW + dt.timedelta(minutes=4))
        assert renewed is not None and await store.ledger.stale(LATER) == []
        assert len(await store.ledger.stale(NOW + dt.timedelta(minutes=10))) == 1


async def test_finishing_a_change_moves_the_cursor_in_the_same_transaction(database_url) -> None:
    async with Store.open(database_url) as store:
        await store.subscriptions.subscribe(destination_key="console", mission="KFOR", now=NOW)
        claim = await store.ledger.claim(["change:KFOR:1", "change:KFOR:2"], "console", "w", NOW)
        await store.ledger.finish(claim, "sent", NOW, cursor=2)
        assert (await store.subscriptions.get("console")).delivered_through == 2


async def test_forget_and_prune_drop_finished_rows_only(database_url) -> None:
    async with Store.open(database_url) as store:
        done = await store.ledger.claim(["problem:KFOR:a"], "console", "w", NOW)
        await store.ledger.finish(done, "sent", NOW)
        await store.ledger.claim(["problem:KFOR:b"], "console", "w", NOW)  # still in flight
        assert await store.ledger.forget("problem:KFOR:") == 1
        assert [r["event_key"] for r in await store.ledger.rows()] == ["problem:KFOR:b"]
        old = await store.ledger.claim(["change:KFOR:1"], "console", "w", NOW)
        await store.ledger.finish(old, "sent", NOW)
        assert await store.ledger.prune(NOW + dt.timedelta(days=1)) == 1
        assert [r["event_key"] for r in await store.ledger.rows()] == ["problem:KFOR:b"]


async def test_a_lease_of_zero_is_raised_to_the_minimum_so_no_one_takes_over_mid_send(database_url) -> None:
    """KFOR_DELIVERY_LEASE_SECONDS=0 must not make a fresh claim stale at once (another process would resend it)."""
    from bot.store.ledger import MIN_LEASE

    async with Store.open(database_url, dt.timedelta(0)) as store:
        claim = await store.ledger.claim(["change:KFOR:1"], "webhook:x", "w1", NOW)
        assert claim is not None and claim.lease_until == NOW + MIN_LEASE
        assert await store.ledger.stale(NOW + MIN_LEASE / 2) == []
        assert await store.ledger.take_over(claim, "w2", NOW + MIN_LEASE / 2) is None


async def test_the_message_that_carried_an_event_is_found_once_it_was_sent(database_url) -> None:
    """An announcement's message id, for editing it in place; none while the delivery is only claimed."""
    import datetime as dt

    from bot.store.database import Store

    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    async with Store.open(database_url) as store:
        claim = await store.ledger.claim(["announcement:KFOR:1"], "channel:1", "w1", now)
        assert claim is not None
        assert await store.ledger.message_ref("announcement:KFOR:1", "channel:1") is None
        assert await store.ledger.finish(claim, "sent", now, message_ref="1234")
        assert await store.ledger.message_ref("announcement:KFOR:1", "channel:1") == "1234"
        assert await store.ledger.message_ref("announcement:KFOR:1", "channel:2") is None


async def _subscribed(store: Store, *keys: str) -> None:
    for key in keys:
        await store.subscriptions.subscribe(destination_key=key, mission="KFOR", now=NOW)


async def test_a_batched_claim_gives_each_destination_to_one_process_whole(database_url) -> None:
    """Two processes claim the same destinations in batches: each goes to one of them, a catch-up digest is all of
    its events or none, and a filtered destination is final at once with its cursor moved."""
    from bot.store.ledger import Wanted, new_nonce

    async with Store.open(database_url) as store:
        await _subscribed(store, "a", "b", "c", "quiet")
        # another process already holds b's change 2 (part of the catch-up 1-2 this one wants)
        assert await store.ledger.claim([change_event("KFOR", 2)], "b", "other", NOW) is not None
        catch_up = (change_event("KFOR", 1), change_event("KFOR", 2))
        wanted = [Wanted(catch_up, "a", new_nonce(), "{}", cursor=2),
                  Wanted(catch_up, "b", new_nonce(), "{}", cursor=2),
                  Wanted(catch_up, "quiet", new_nonce(), None, cursor=2)]  # fmt: skip
        first, second = await asyncio.gather(store.ledger.claim_many(wanted, "w1", NOW),
                                             store.ledger.claim_many(wanted, "w2", NOW))  # fmt: skip
        for index in range(3):
            assert (first[index] is None) or (second[index] is None)  # never both
        a = first[0] or second[0]
        assert a is not None and a.event_keys == catch_up and first[1] is None and second[1] is None
        rows = await store.ledger.rows("b")
        assert [(r["event_key"], r["claimed_by"]) for r in rows] == [(change_event("KFOR", 2), "other")]  # no half
        quiet = await store.ledger.rows("quiet")
        assert [r["status"] for r in quiet] == ["filtered", "filtered"]
        assert (await store.subscriptions.get("quiet")).delivered_through == 2
        assert (await store.subscriptions.get("a")).delivered_through == 0  # sent claims move it when finished


async def test_a_batched_finish_is_fenced_claim_by_claim(database_url) -> None:
    """Of a batch of sent claims, one taken over after its lease is left to its new owner; the others are
    finished and their cursors moved, in one commit."""
    from bot.store.ledger import Outcome

    async with Store.open(database_url) as store:
        await _subscribed(store, "a", "b")
        mine = [await store.ledger.claim([change_event("KFOR", 1)], key, "w1", NOW) for key in ("a", "b")]
        (stale,) = [c for c in await store.ledger.stale(LATER) if c.destination_key == "b"]
        assert await store.ledger.take_over(stale, "w2", LATER) is not None
        finished = await store.ledger.finish_many([Outcome(claim, f"m-{claim.destination_key}", 1) for claim in mine],
                                                  LATER)  # fmt: skip
        assert finished == [True, False]
        rows = {r["destination_key"]: r for r in await store.ledger.rows()}
        assert (rows["a"]["status"], rows["a"]["message_ref"]) == ("sent", "m-a")
        assert (rows["b"]["status"], rows["b"]["claimed_by"]) == ("claimed", "w2")
        assert [(await store.subscriptions.get(k)).delivered_through for k in ("a", "b")] == [1, 0]
