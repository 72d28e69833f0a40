"""Announcements in the store, on SQLite and PostgreSQL: each entry once, each story once, settled once."""

from __future__ import annotations

import datetime as dt

from bot.core.announcements import Verdict
from bot.core.claims import Claim
from bot.store.announcements import ClaimSource
from bot.store.database import Store
from tests.store.conftest import NOW

PUBLISHED = dt.datetime(2025, 5, 30, tzinfo=dt.UTC)


def source(change: int = 150, publisher: str = "BMVg", tier: str = "official", link: str = "https://a.test/1"
           ) -> ClaimSource:  # fmt: skip
    claim = Claim("Germany", "increase", change, None, True, "2025-07", link, PUBLISHED, "quote")
    return ClaimSource(claim, publisher, tier, 300, "2025-02")


async def test_an_entry_is_recorded_once_and_its_official_claim_is_announced(database_url) -> None:
    """The second reading of the same entry adds nothing; the claim round-trips with its baseline."""
    async with Store.open(database_url) as store:
        first = await store.announcements.record_entry("KFOR", "feed", "item-1", [source()], NOW)
        assert first is not None and len(first) == 1
        assert first[0].new and first[0].announced and first[0].announcement.state == "announced"
        assert await store.announcements.record_entry("KFOR", "feed", "item-1", [source()], NOW) is None
        stored = await store.announcements.get(first[0].announcement.id)
        assert stored is not None
        assert (stored.claim, stored.baseline, stored.publishers) == (source().claim, 300, ("BMVg",))


async def test_a_press_story_is_a_candidate_until_a_second_publisher_tells_it(database_url) -> None:
    """One press claim is listed, not pushed; a copy by another publisher (within 10 %) announces it, once."""
    async with Store.open(database_url) as store:
        first = await store.announcements.record_entry("KFOR", "press-a", "x", [source(150, "Zeitung", "press")], NOW)
        assert first is not None and not first[0].announced and first[0].announcement.state == "candidate"
        again = await store.announcements.record_entry("KFOR", "press-a", "y", [source(150, "Zeitung", "press")], NOW)
        assert again is not None and not again[0].new and not again[0].announced
        second = await store.announcements.record_entry("KFOR", "press-b", "z", [source(140, "Reuters", "press")], NOW)
        assert second is not None and not second[0].new and second[0].announced
        assert second[0].announcement.publishers == ("Zeitung", "Reuters")
        assert len(await store.announcements.open("KFOR")) == 1


async def test_a_settled_or_dismissed_announcement_stays_so(database_url) -> None:
    """Settling is conditional on the state being open: two processes settle it once; dismissed stays dismissed."""
    async with Store.open(database_url) as store:
        recorded = await store.announcements.record_entry("KFOR", "f", "1", [source(), source(-80)], NOW)
        assert recorded is not None
        confirmed, other = (r.announcement.id for r in recorded)
        verdict = Verdict("confirmed", "shows 450", 450, 450)
        assert await store.announcements.settle(confirmed, verdict, 3, NOW)
        assert not await store.announcements.settle(confirmed, Verdict("contradicted", "no"), 4, NOW)
        assert await store.announcements.dismiss(other, NOW)
        assert not await store.announcements.dismiss(other, NOW)
        states = {a.id: (a.state, a.observed) for a in await store.announcements.recent("KFOR")}
        assert states == {confirmed: ("confirmed", 450), other: ("dismissed", None)}
        assert await store.announcements.open("KFOR") == []
