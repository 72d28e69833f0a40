"""Pacing: every request the bot sends to Discord's REST API waits here for its share of the global limit.

Discord allows a bot 50 requests per second in all, across every route. discord.py keeps each
route's own bucket and honours ``Retry-After``, but it learns of the global limit only from a 429
``global: true``; a change sent to a thousand channels (each its own bucket) would meet the limit by
collecting 429s, and enough of those get the bot's address banned for an hour. So the bot's one
:class:`discord.http.HTTPClient` gets a :class:`Pacer` in front of ``request`` (see :func:`pace`):
discord.py's per-route buckets, retries and ``Retry-After`` still apply behind it.

The pacer spaces requests evenly, a little wider than the budget implies (50/s: one every 21 ms),
instead of letting a full second's budget out at once as a token bucket would: a burst of 50 that
leaves together reaches Discord spread by the event loop and the network, and the next burst's
early ones can then meet the last one's late ones in one of Discord's seconds. Evenly spaced, a
request must be delayed by several intervals before 51 meet in a second. A lone request (a reply
to a command) never waits.

Several instances on one bot token share Discord's one budget. The budget is *split*, not
negotiated: each instance paces itself at its share (``Settings.request_budget``: the bot's rate
times the share of the shards it runs, or ``KFOR_DISCORD_REQUESTS_PER_SECOND`` divided by hand for
unsharded replicas), so together they stay under the limit with no store round trip per request.
Webhooks are not paced here: each has its own per-webhook limit, which discord.py keeps.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

#: How much longer than the budget implies each window is: room for jitter between here and Discord.
JITTER_MARGIN = 0.05


class Pacer:
    """At most ``rate`` requests per second, evenly spaced; waiters are served in arrival order."""

    def __init__(self, rate: float, *, margin: float = JITTER_MARGIN, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:  # fmt: skip
        if not (rate > 0 and math.isfinite(rate)):
            raise ValueError(f"a request rate must be a positive number, not {rate!r}")
        self.rate = rate
        #: Seconds between two starts: 50/s → 21 ms (the jitter margin included).
        self.interval = (1 + margin) / rate
        self._clock, self._sleep = clock or _monotonic, sleep
        self._next = -math.inf
        self._lock = asyncio.Lock()  # FIFO: the first to ask is the first to go
        #: Requests started, and how many of them had to wait for the budget (for tests and the operator).
        self.started = 0
        self.waited = 0

    async def acquire(self) -> None:
        """Wait until the interval since the last start has passed, and count this request as started."""
        async with self._lock:
            delay = self._next - self._clock()
            if delay > 0:
                self.waited += 1
                await self._sleep(delay)
            # From when it really starts: a loop that woke it late does not let the next one catch up.
            self._next = self._clock() + self.interval
            self.started += 1


def _monotonic() -> float:
    """``time.monotonic()`` looked up at each call, not bound at import: a simulated Discord (SimCord) that runs
    the process on its own clock gets waits measured on that clock, the one its ``asyncio.sleep`` keeps."""
    return time.monotonic()


def pace(http: Any, pacer: Pacer) -> Pacer:
    """Put ``pacer`` in front of ``http.request`` (a discord.py ``HTTPClient``, real or simulated), once.

    Wrapping the instance's method, not subclassing, keeps whatever client the bot was given (SimCord
    swaps in its own) and every route discord.py builds goes through it: messages, threads, history,
    commands, interactions' follow-ups. Installed twice, the first pacer stays.
    """
    installed = getattr(http, "_kfor_pacer", None)
    if isinstance(installed, Pacer):
        return installed
    request = http.request

    async def paced(route: Any, **kwargs: Any) -> Any:
        await pacer.acquire()
        return await request(route, **kwargs)

    http.request = paced
    http._kfor_pacer = pacer
    return pacer
