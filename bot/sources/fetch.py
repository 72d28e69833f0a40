"""Where the tracked figures come from: a file or an HTTP(S) URL, read politely.

HTTP sources use conditional requests (ETag / Last-Modified, so an unchanged source costs one
304), a timeout, a cap on the body size, retries with exponential backoff on 5xx, 429 and
timeouts, and a User-Agent that says who is asking. Only http and https are fetched, and the
location comes from the operator's configuration, never from a Discord user.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from bot.core.errors import UserError
from bot.sources.location import USER_AGENT, local_path

if TYPE_CHECKING:
    import aiohttp

__all__ = ["USER_AGENT", "Fetched", "FileSource", "HttpSource", "Source", "SourceError", "Validators", "open_source"]

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024


class SourceError(Exception):
    """The source could not be read; the message is safe to show to people."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What the previous fetch returned, to ask "has it changed since?"."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetch result: ``content`` is None when the server said "not modified"."""

    content: bytes | None
    validators: Validators
    name: str  # a file name hinting at the format (".csv", ".json", ".txt", ".pdf", ".html")
    #: The server's Content-Type header, another hint (bot.sources.documents decides; the bytes win).
    content_type: str | None = None

    @property
    def content_hash(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None

    def text(self) -> str:
        if self.content is None:
            raise SourceError("no content (not modified)")
        try:
            return self.content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(f"the source is not UTF-8 text (byte {exc.start})") from None


class Source(Protocol):
    @property
    def key(self) -> str:
        """Identifies the source in the store (its path or URL)."""
        ...

    async def fetch(self, validators: Validators) -> Fetched: ...


@dataclass(slots=True)
class FileSource:
    """A report on disk (the snapshot in data/ by default)."""

    path: Path

    @property
    def key(self) -> str:
        return str(self.path)

    async def fetch(self, validators: Validators) -> Fetched:
        try:
            content = await asyncio.to_thread(self.path.read_bytes)
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}") from None
        return Fetched(content, Validators(), self.path.name)


Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class HttpSource:
    """A report at an http(s) URL, fetched with aiohttp."""

    url: str
    session: aiohttp.ClientSession
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    attempts: int = 3
    backoff: float = 1.0
    sleep: Sleep = asyncio.sleep

    @property
    def key(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return Path(urlsplit(self.url).path).name or "report.txt"

    async def fetch(self, validators: Validators) -> Fetched:
        import aiohttp

        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/csv, application/json, text/html, application/pdf, text/plain, text/markdown, */*",
        }
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        problem = "no attempt made"
        for attempt in range(1, self.attempts + 1):
            try:
                return await self._get(headers, validators, aiohttp.ClientTimeout(total=self.timeout))
            except _Retryable as exc:
                problem = str(exc)
                delay = exc.retry_after
            except (TimeoutError, aiohttp.ClientError) as exc:
                problem = (
                    f"{type(exc).__name__}: {exc}" if str(exc) else f"{type(exc).__name__} after {self.timeout:g} s"
                )
                delay = None
            if attempt < self.attempts:
                wait = delay if delay is not None else self.backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)  # noqa: S311
                log.info("Source %s: %s; retrying in %.1f s", self.url, problem, wait)
                await self.sleep(wait)
        raise SourceError(f"{self.url}: {problem} (after {self.attempts} attempts)")

    async def _get(self, headers: dict[str, str], validators: Validators, limit: aiohttp.ClientTimeout) -> Fetched:
        async with self.session.get(self.url, headers=headers, timeout=limit) as response:
            if response.status == 304:
                return Fetched(None, validators, self.name)
            if response.status == 429 or response.status >= 500:
                raise _Retryable(f"HTTP {response.status}", _retry_after(response.headers.get("Retry-After")))
            if response.status != 200:
                raise SourceError(f"{self.url}: HTTP {response.status} {response.reason or ''}".rstrip())
            if response.content_length is not None and response.content_length > self.max_bytes:
                raise SourceError(
                    f"{self.url}: {response.content_length:,} bytes is over the {self.max_bytes:,}-byte cap"
                )
            body = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                body += chunk
                if len(body) > self.max_bytes:
                    raise SourceError(f"{self.url}: the body is over the {self.max_bytes:,}-byte cap")
            fresh = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
            return Fetched(bytes(body), fresh, self.name, response.headers.get("Content-Type"))


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def open_source(location: str, session: aiohttp.ClientSession | None, base: Path | None = None) -> Source:
    """A source for a configured location: an http(s) URL or a file path (relative to ``base``)."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        if session is None:
            raise ValueError("an HTTP source needs an aiohttp session")
        return HttpSource(location, session)
    if scheme == "file":
        return FileSource(Path(urlsplit(location).path))
    if scheme and len(scheme) > 1:  # "C:" is a Windows drive, not a scheme
        raise UserError(f"Unsupported source {location!r}: only http(s) URLs and file paths are read.")
    return FileSource(local_path(location, base))
