"""Shared pieces for alert tests: a recording destination and a watched report file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.alerts.destinations import Destination, Post
from bot.alerts.watcher import Watcher
from bot.core.models import Source
from bot.core.reports import ReportMeta
from bot.sources.fetch import FileSource
from bot.store.database import Store
from tests.conftest import SEED_FIGURES, snapshot_of

T0 = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
META = ReportMeta(mission="KFOR", as_of="2025-06", source=Source(title="test report", publisher="tests"))


class Crash(BaseException):
    """A process dying mid-delivery (not an Exception: nothing in the bot may catch it)."""


@dataclass
class Inbox:
    """A destination's side of the wire: what has really arrived there, across 'restarts'."""

    posts: list[Post] = field(default_factory=list)


@dataclass
class RecordingDestination:
    """A destination that keeps what it receives; like the Discord one, it finds a post by its ref on retry."""

    key: str
    inbox: Inbox
    crash_after_send: bool = False
    crash_before_send: bool = False
    calls: int = 0

    async def send(self, post: Post, *, retry: bool, accepted=None) -> str | None:
        self.calls += 1
        if self.crash_before_send:
            raise Crash
        if retry:
            for index, earlier in enumerate(self.inbox.posts):
                if earlier.ref == post.ref:
                    return f"msg-{index}"  # it did arrive: no duplicate
        self.inbox.posts.append(post)
        if self.crash_after_send:
            raise Crash
        return f"msg-{len(self.inbox.posts) - 1}"


def write_report(path: Path, figures: dict[str, int], as_of: str = "2025-06") -> None:
    path.write_text(snapshot_of(figures, as_of).to_json())


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    write_report(path, SEED_FIGURES, "2025-02")
    return path


class Clock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def make_watcher(store: Store, report: Path, registry, destinations: dict[str, Destination], clock: Clock,
                 worker: str = "w1") -> Watcher:  # fmt: skip
    return Watcher(store, FileSource(report), registry, META, destinations.get, worker=worker, clock=clock)


def figures_json(path: Path) -> dict[str, int]:
    return {c["nation"]: c["troops"] for c in json.loads(path.read_text())["contingents"]}
