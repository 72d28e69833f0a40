"""News feeds (RSS 2.0 and Atom) read through the same machinery as reports, parsed with feedparser.

A feed is fetched as any source is (:mod:`bot.sources.fetch`: conditional GET, size cap, one deadline,
backoff, the outbound address guard), so an unchanged feed costs one 304 and nothing is parsed. The
bytes are handed to feedparser, never an address: feedparser would fetch a URL itself, around every
guard. What is not a feed (an HTML page, an empty body, broken XML with no entry) is a
:class:`~bot.sources.fetch.SourceError`, as a broken report is.

Each entry has a key that stays the same when a feed re-issues it: its link without tracking
parameters or fragment, else its id, else its title; a new GUID on the same story is the same entry.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.sax import SAXException  # the exception type only: feedparser parses

from bot.sources.fetch import Fetched, Source, SourceError, Validators, open_source

if TYPE_CHECKING:
    import aiohttp

__all__ = ["FeedEntry", "FeedRead", "entry_key", "open_feed", "parse_feed", "read_feed"]

#: Entries read from one feed at most: a feed is a list of recent items, not an archive.
MAX_ENTRIES = 200
_TRACKING = ("utm_", "at_", "wt_", "fbclid", "gclid", "mc_", "ref")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, as text: what the claims are read from."""

    key: str
    title: str
    summary: str
    link: str | None
    published: dt.datetime | None


@dataclass(frozen=True, slots=True)
class FeedRead:
    """A poll of a feed: its entries, or None when the server said "not modified" (nothing parsed)."""

    entries: tuple[FeedEntry, ...] | None
    validators: Validators


def open_feed(location: str, session: aiohttp.ClientSession | None, base: Path | None = None) -> Source:
    """The source of a configured feed: an http(s) address or a path, as a report's source is opened."""
    return open_source(location, session, base)


async def read_feed(source: Source, validators: Validators) -> FeedRead:
    """Fetch ``source`` (a conditional GET with ``validators``) and parse what came back."""
    fetched: Fetched = await source.fetch(validators)
    if fetched.content is None:
        return FeedRead(None, fetched.validators)
    shown = getattr(source, "shown", None) or Path(source.key).name
    entries = await asyncio.to_thread(parse_feed, fetched.content, shown)
    return FeedRead(entries, fetched.validators)


def parse_feed(content: bytes, shown: str = "the feed") -> tuple[FeedEntry, ...]:
    """The entries of an RSS or Atom document, newest first as the feed lists them.

    Raises :class:`SourceError` for what is not a feed: feedparser is lenient and reads much broken XML,
    so only a document in which it found no feed at all, or a broken one with no entry, is refused.
    """
    import feedparser

    if not content.strip():
        raise SourceError(f"{shown}: the feed is empty")
    parsed = feedparser.parse(content)  # bytes, never an address: feedparser must not fetch anything itself
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if not version and not entries:
        raise SourceError(f"{shown}: not an RSS or Atom feed")
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # Malformed XML (cut off, never closed) is refused even when the lenient parser found entries in it: their
    # text may be cut too. A wrong content type or encoding declaration is only noted by feedparser, and read.
    if problem is not None and (isinstance(problem, SAXException) or not entries):
        raise SourceError(f"{shown}: the feed is broken ({type(problem).__name__}: {str(problem)[:120]})")
    return tuple(_entry(entry) for entry in entries[:MAX_ENTRIES])


def _entry(entry: Any) -> FeedEntry:
    title = str(entry.get("title") or "")
    summary = str(entry.get("summary") or entry.get("description") or "")
    link = str(entry.get("link") or "") or None
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.datetime.fromtimestamp(calendar.timegm(when), dt.UTC) if when else None
    return FeedEntry(entry_key(link, entry.get("id"), title), title, summary, link, published)


def entry_key(link: str | None, guid: object, title: str) -> str:
    """What identifies an entry across re-issues: its cleaned link, else its id, else its title (hashed)."""
    if link:
        parts = urlsplit(link.strip())
        query = [(k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING)]
        basis = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), urlencode(query), ""))
    elif guid:
        basis = f"id:{guid}"
    else:
        basis = "title:" + " ".join(title.casefold().split())
    return hashlib.sha256(basis.encode()).hexdigest()[:40]
