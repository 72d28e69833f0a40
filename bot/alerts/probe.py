"""The fast path of ``kfor-bot check`` for the common case: nothing changed.

A cron job checking every few minutes mostly learns "no change". For that answer the full watch
cycle (SQLAlchemy, aiohttp, the parsers: about 0.4 s of imports) is not needed: this module
asks the same question with the standard library only — one conditional HTTP request (or one file
read) and a few rows of the SQLite store — and records the check the way the store would.

It takes the fast path only when it is certainly equivalent to a full cycle: a SQLite store at the
current schema revision, a source that was healthy last time and answers "not modified" (or the
same bytes), no delivery in flight and no destination of this command behind. In every other case
it returns None and the full cycle runs.

A linked source (a page and a link pattern) is unchanged when the page still links to the same
newest document (it answers "not modified", or its links, chosen by the same
:mod:`bot.sources.links`, lead to the same address) and that document is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import sys
import threading
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from urllib.parse import urlsplit

from bot.alerts.identity import CONSOLE_KEY, webhook_key
from bot.settings import PROJECT_ROOT, Settings
from bot.sources.location import USER_AGENT, local_path
from bot.store import rules
from bot.store.revision import HEAD_REVISION
from bot.store.urls import sqlite_path


def _conditional_get(
    url: str, etag: str | None, last_modified: str | None, settings: Settings
) -> tuple[int, bytes, dict[str, str]]:
    """One GET within the configured timeout in all (http.client's own timeout is per read, so a source
    dripping a byte at a time would hang it). Runs in a daemon thread; a timeout raises TimeoutError."""
    outcome: list[tuple[int, bytes, dict[str, str]] | BaseException] = []

    def get() -> None:
        try:
            outcome.append(_get(url, etag, last_modified, settings))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=get, name="kfor-quick-check", daemon=True)
    worker.start()
    worker.join(settings.http_timeout_seconds)
    if not outcome:
        raise TimeoutError(f"{url}: no complete answer within {settings.http_timeout_seconds:g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _get(
    url: str, etag: str | None, last_modified: str | None, settings: Settings
) -> tuple[int, bytes, dict[str, str]]:
    parts = urlsplit(url)
    connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = connection_class(parts.netloc, timeout=settings.http_timeout_seconds)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        response = connection.getresponse()
        body = response.read(settings.http_max_bytes + 1) if response.status == 200 else b""
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def _linked_unchanged(page_url: str, pattern: re.Pattern[str], stored: str | None, content_hash: str | None,
                      settings: Settings) -> str | None:  # fmt: skip
    """The linked source's new validators when its newest document is certainly unchanged; None otherwise.

    They are what :class:`bot.sources.fetch.LinkedSource` would have handed the store.
    """
    from bot.sources.links import LinkedState, newest_link, page_links

    state = LinkedState.decode(stored)
    if state.document_url is None:
        return None
    status, body, headers = _conditional_get(page_url, state.page_etag, state.page_last_modified, settings)
    if status == 200:
        if len(body) > settings.http_max_bytes:
            return None
        link = newest_link(page_links(body.decode("utf-8", errors="replace"), page_url), pattern)
        if link is None or link.url != state.document_url:
            return None  # a new edition (or none): the full cycle fetches it
        page_etag, page_last_modified = headers.get("etag"), headers.get("last-modified")
    elif status == 304:
        page_etag, page_last_modified = state.page_etag, state.page_last_modified
    else:
        return None
    status, body, headers = _conditional_get(
        state.document_url, state.document_etag, state.document_last_modified, settings
    )
    if status == 304:
        etag, last_modified = state.document_etag, state.document_last_modified
    elif status == 200 and hashlib.sha256(body).hexdigest() == content_hash:
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
    else:
        return None
    return LinkedState(page_etag, page_last_modified, state.document_url, etag, last_modified).encode()


def _up_to_date(db: sqlite3.Connection, mission: str, keys: set[str]) -> bool:
    """No claim in flight, a chain to compare with, and none of this command's destinations behind."""
    if db.execute(rules.OPEN_CLAIM).fetchone():
        return False
    if db.execute(rules.LAST_POSITION, {"mission": mission}).fetchone()[0] is None:
        return False
    present = {row[0] for row in db.execute(rules.SUBSCRIBED, {"mission": mission})}
    behind = {row[0] for row in db.execute(rules.BEHIND, {"mission": mission})}
    return keys <= present and not keys & behind


def fast_unchanged_check(source: str | None, db_url: str | None, webhook: str | None, source_link: str | None,
                         settings: Settings) -> int | None:  # fmt: skip
    """0 when the check certainly found no change (and recorded it); None to run the full cycle.

    ``source`` and ``source_link`` are ``check``'s ``--source`` and ``--source-link``, resolved as the full
    cycle resolves them (:func:`~bot.sources.links.link_pattern_for`).
    """
    path = sqlite_path(db_url or settings.store_url)  # None for PostgreSQL: the full cycle runs
    if path is None or not path.is_file():
        return None
    location = source or settings.source
    mission = settings.mission
    is_http = urlsplit(location).scheme in ("http", "https")
    if not is_http and urlsplit(location).scheme:
        return None
    key = location if is_http else str(local_path(location, PROJECT_ROOT))
    configured_link = settings.source_link
    pattern = None
    if source_link or (source_link is None and configured_link):  # links.py costs ~15 ms to import: only if needed
        from bot.sources.links import compile_link_pattern, link_pattern_for, linked_key

        link = link_pattern_for(source, source_link, configured_link)
        if link:
            if not is_http:
                return None  # the full cycle says a link needs a page
            try:
                pattern = compile_link_pattern(link)
            except ValueError:
                return None  # and what is wrong with the pattern
            key = linked_key(location, link)
    try:
        db = sqlite3.connect(path, timeout=5)
    except sqlite3.Error:
        return None
    try:
        with db:
            if db.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD_REVISION,):
                return None
            health = db.execute(
                "SELECT etag, last_modified, content_hash, problem FROM source_health WHERE source_key = ?", (key,)
            ).fetchone()
            keys = {CONSOLE_KEY} | ({webhook_key(webhook)} if webhook else set())
            if health is None or health[3] is not None or not _up_to_date(db, mission, keys):
                return None
            etag, last_modified, content_hash, _ = health
            if pattern is not None:
                etag = _linked_unchanged(location, pattern, etag, content_hash, settings)
                if etag is None:
                    return None
            elif is_http:
                status, body, headers = _conditional_get(location, etag, last_modified, settings)
                if status == 200 and hashlib.sha256(body).hexdigest() == content_hash:
                    etag, last_modified = headers.get("etag", etag), headers.get("last-modified", last_modified)
                elif status != 304:
                    return None
            elif hashlib.sha256(Path(key).read_bytes()).hexdigest() != content_hash:
                return None
            db.execute(rules.RECORD_UNCHANGED, {"now": rules.sqlite_time(dt.datetime.now(dt.UTC)), "etag": etag,
                                                "last_modified": last_modified, "source_key": key})  # fmt: skip
    except (sqlite3.Error, OSError, HTTPException):  # TimeoutError is an OSError
        return None  # the full cycle will report it properly
    finally:
        db.close()
    print("kfor-bot check: unchanged: the source has not changed (quick check)", file=sys.stderr)
    return 0
