"""Pacing: every request the bot sends to Discord's REST API waits here for its share of the global limit.

Discord allows a bot 50 requests per second in all, across every route. discord.py keeps each
route's own bucket and honours ``Retry-After``, but it learns of the global limit only from a 429
``global: true``; a change sent to a thousand channels (each its own bucket) would meet the limit by
collecting 429s, and enough of those get the bot's address banned for an hour. So the bot's one
:class:`discord.http.HTTPClient` gets a :class:`Pacer` in front of ``request`` (see :func:`pace`):
discord.py's per-route buckets, retries and ``Retry-After`` still apply behind it.

The pacer is a sliding window, not a bursty token bucket: at most ``capacity`` requests start in
any ``span`` seconds, so no second Discord might count holds more than the budget. The span is a
few per cent longer than the budget implies, so that requests leaving a little late or early
(network jitter) cannot make 51 arrive in one of Discord's seconds.

Several instances on one bot token share Discord's one budget. The budget is *split*, not
negotiated: each instance paces itself at its share (``Settings.request_budget``: the bot's rate
times the share of the shards it runs, or ``KFOR_DISCORD_REQUESTS_PER_SECOND`` divided by hand for
unsharded replicas), so together they stay under the limit with no store round trip per request.
Webhooks are not paced here: each has its own per-webhook limit, which discord.py keeps.
"""

from __future__ import annotations

import asyncio
import collections
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

#: How much longer than the budget implies each window is: room for jitter between here and Discord.
JITTER_MARGIN = 0.05


class Pacer:
    """At most ``rate`` requests per second, as a sliding window; waiters are served in arrival order."""

    def __init__(self, rate: float, *, margin: float = JITTER_MARGIN, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:  # fmt: skip
        if not (rate > 0 and math.isfinite(rate)):
            raise ValueError(f"a request rate must be a positive number, not {rate!r}")
        self.rate = rate
        #: Requests a window may hold, and how long a window is: 50/s → 50 in 1.05 s; 12.5/s → 12 in 1.008 s.
        self.capacity = max(1, math.floor(rate))
        self.span = self.capacity / rate * (1 + margin)
        self._clock, self._sleep = clock, sleep
        self._started: collections.deque[float] = collections.deque(maxlen=self.capacity)
        self._lock = asyncio.Lock()  # FIFO: the first to ask is the first to go
        #: How many requests had to wait for the budget (the operator's metrics read it).
        self.waited = 0

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, and count it as started now."""
        async with self._lock:
            if len(self._started) == self.capacity:
                delay = self._started[0] + self.span - self._clock()
                if delay > 0:
                    self.waited += 1
                    await self._sleep(delay)
            self._started.append(self._clock())


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
