"""The fast path of ``kfor-bot check`` for the common case: nothing changed.

A cron job checking every few minutes mostly learns "no change". For that answer the full watch
cycle (pydantic-settings, SQLAlchemy, aiohttp: about 0.5 s of imports) is not needed: this module
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
import os
import re
import sqlite3
import sys
import tomllib
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from urllib.parse import urlsplit

from bot.alerts.identity import CONSOLE_KEY, webhook_key
from bot.sources.location import USER_AGENT, local_path
from bot.store.revision import HEAD_REVISION

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
CONFIG_FILE = PROJECT_ROOT / "config" / "kfor.toml"


def _setting(name: str, default: str) -> str:
    """A setting with the precedence of bot.settings: environment, then config/kfor.toml, then default.

    (.env files are left to the full path: when one exists, the probe steps aside.)
    """
    value = os.environ.get(f"KFOR_{name.upper()}")
    if value is not None:
        return value
    try:
        with CONFIG_FILE.open("rb") as handle:
            return str(tomllib.load(handle).get(name, default))
    except (OSError, tomllib.TOMLDecodeError):
        return default


def _database_path(db: str | None) -> Path | None:
    url = db or os.environ.get("DATABASE_URL") or os.environ.get("KFOR_DATABASE_URL")
    if url is None:
        state = Path(_setting("state_dir", str(PROJECT_ROOT / "var")))
        return state / "kfor.db"
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0].lower() != "sqlite" or not rest.startswith("/") or rest == "/:memory:":
        return None
    return Path(rest[1:])


def _sqlite_time(moment: dt.datetime) -> str:
    """The text SQLAlchemy stores for a DateTime on SQLite."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _conditional_get(url: str, etag: str | None, last_modified: str | None) -> tuple[int, bytes, dict[str, str]]:
    parts = urlsplit(url)
    connection_class = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = connection_class(parts.netloc, timeout=float(_setting("http_timeout_seconds", "20")))
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        response = connection.getresponse()
        limit = _max_bytes()
        body = response.read(limit + 1) if response.status == 200 else b""
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def _max_bytes() -> int:
    return int(_setting("http_max_bytes", str(2 * 1024 * 1024)))


def _linked_unchanged(page_url: str, pattern: re.Pattern[str], stored: str | None, content_hash: str | None
                      ) -> str | None:  # fmt: skip
    """The linked source's new validators when its newest document is certainly unchanged; None otherwise.

    They are what :class:`bot.sources.fetch.LinkedSource` would have handed the store.
    """
    from bot.sources.links import LinkedState, newest_link, page_links

    state = LinkedState.decode(stored)
    if state.document_url is None:
        return None
    status, body, headers = _conditional_get(page_url, state.page_etag, state.page_last_modified)
    if status == 200:
        if len(body) > _max_bytes():
            return None
        link = newest_link(page_links(body.decode("utf-8", errors="replace"), page_url), pattern)
        if link is None or link.url != state.document_url:
            return None  # a new edition (or none): the full cycle fetches it
        page_etag, page_last_modified = headers.get("etag"), headers.get("last-modified")
    elif status == 304:
        page_etag, page_last_modified = state.page_etag, state.page_last_modified
    else:
        return None
    status, body, headers = _conditional_get(state.document_url, state.document_etag, state.document_last_modified)
    if status == 304:
        etag, last_modified = state.document_etag, state.document_last_modified
    elif status == 200 and hashlib.sha256(body).hexdigest() == content_hash:
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
    else:
        return None
    return LinkedState(page_etag, page_last_modified, state.document_url, etag, last_modified).encode()


def _up_to_date(db: sqlite3.Connection, mission: str, webhook_ledger_key: str | None) -> bool:
    """No claim in flight, and every destination this command serves has had every change."""
    if db.execute("SELECT 1 FROM deliveries WHERE status = 'claimed' LIMIT 1").fetchone():
        return False
    latest = db.execute("SELECT MAX(position) FROM snapshots WHERE mission = ?", (mission,)).fetchone()[0]
    if latest is None:
        return False
    keys = {CONSOLE_KEY} | ({webhook_ledger_key} if webhook_ledger_key else set())
    rows = db.execute(
        "SELECT destination_key, start_position, webhook_url FROM subscriptions WHERE mission = ?", (mission,)
    ).fetchall()
    present = {key for key, _, _ in rows}
    if not keys <= present:
        return False
    for key, start, webhook_url in rows:
        if key != CONSOLE_KEY and webhook_url is None:
            continue  # a Discord channel: the running bot's to serve
        wanted = {f"change:{mission}:{p}" for p in range(max(start, 0) + 1, latest + 1)}
        if wanted:
            have = {r[0] for r in db.execute("SELECT event_key FROM deliveries WHERE destination_key = ?", (key,))}
            if not wanted <= have:
                return False
    return True


def fast_unchanged_check(source: str | None, db_url: str | None, webhook: str | None, source_link: str | None = None
                         ) -> int | None:  # fmt: skip
    """0 when the check certainly found no change (and recorded it); None to run the full cycle.

    ``source`` and ``source_link`` are ``check``'s ``--source`` and ``--source-link``, resolved as the full
    cycle resolves them (:func:`~bot.sources.links.link_pattern_for`).
    """
    if Path(".env").exists():
        return None
    path = _database_path(db_url)
    if path is None or not path.is_file():
        return None
    location = source or _setting("source", "data/snapshots/kfor/2025-02.json")
    mission = _setting("mission", "KFOR")
    is_http = urlsplit(location).scheme in ("http", "https")
    if not is_http and urlsplit(location).scheme:
        return None
    key = location if is_http else str(local_path(location, PROJECT_ROOT))
    configured_link = _setting("source_link", "")
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
    webhook_ledger_key = webhook_key(webhook) if webhook else None
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
            if health is None or health[3] is not None or not _up_to_date(db, mission, webhook_ledger_key):
                return None
            etag, last_modified, content_hash, _ = health
            if pattern is not None:
                etag = _linked_unchanged(location, pattern, etag, content_hash)
                if etag is None:
                    return None
            elif is_http:
                status, body, headers = _conditional_get(location, etag, last_modified)
                if status == 200 and hashlib.sha256(body).hexdigest() == content_hash:
                    etag, last_modified = headers.get("etag", etag), headers.get("last-modified", last_modified)
                elif status != 304:
                    return None
            elif hashlib.sha256(Path(key).read_bytes()).hexdigest() != content_hash:
                return None
            now = _sqlite_time(dt.datetime.now(dt.UTC))
            db.execute(
                "UPDATE source_health SET last_check_at = ?, last_success_at = ?, consecutive_failures = 0, "
                "etag = ?, last_modified = ? WHERE source_key = ?",
                (now, now, etag, last_modified, key),
            )
    except (sqlite3.Error, OSError, HTTPException):
        return None  # the full cycle will report it properly
    finally:
        db.close()
    print("kfor-bot check: unchanged: the source has not changed (quick check)", file=sys.stderr)
    return 0
