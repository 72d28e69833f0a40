"""Where the tracked figures come from: a file, an HTTP(S) URL, or the newest link on a page, read politely.

HTTP sources use conditional requests (ETag / Last-Modified, so an unchanged source costs one
304), a timeout, a cap on the body size, retries with exponential backoff on 5xx, 429 and
timeouts, and a User-Agent that says who is asking. Only http and https are fetched, and the
location comes from the operator's configuration, never from a Discord user. A linked source
(:class:`LinkedSource`) is a page plus a link pattern, for publications whose address changes with
every edition; choosing the link is :mod:`bot.sources.links`'s job.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

from bot.core.durations import seconds
from bot.core.errors import UserError
from bot.sources.guard import HopPolicy, RefusedHop
from bot.sources.links import LinkedState, compile_link_pattern, linked_key, newest_link, page_links
from bot.sources.location import USER_AGENT, local_path, public_address, public_location, public_text

if TYPE_CHECKING:
    import aiohttp

__all__ = [
    "USER_AGENT",
    "Fetched",
    "FileSource",
    "HttpSource",
    "LinkedSource",
    "Source",
    "SourceError",
    "SourceUnreachable",
    "Validators",
    "open_source",
]

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
#: Redirects followed in one request, as browsers bound them; more is a misconfigured server.
MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class SourceError(Exception):
    """The source could not be read; the message is safe to show to people."""


class SourceUnreachable(SourceError):
    """The source's host could not be reached at all (no network, a name that does not resolve, a refused
    connection): nothing was read, so nothing is known to be wrong with the report. A machine without a
    network meets this at every poll; the console says it once, calmly, and answers from the history."""


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
    #: Where the bytes came from after redirects (HTTP only): a page's relative links resolve against it.
    url: str | None = None
    #: The server's Content-Type header, another hint (bot.sources.documents decides; the bytes win).
    content_type: str | None = None
    #: The document's Last-Modified header: its date when the report gives none of its own.
    modified: str | None = None

    @property
    def content_hash(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None


class Source(Protocol):
    @property
    def key(self) -> str:
        """Identifies the source in the store (its path or URL)."""
        ...

    async def fetch(self, validators: Validators) -> Fetched: ...


@dataclass(slots=True)
class FileSource:
    """A report on disk (the snapshot in data/ by default), within the same byte cap as an HTTP source."""

    path: Path
    max_bytes: int = MAX_BYTES

    @property
    def key(self) -> str:
        return str(self.path)

    async def fetch(self, validators: Validators) -> Fetched:
        try:
            size = self.path.stat().st_size
            if size > self.max_bytes:
                raise SourceError(f"{self.path.name}: {size:,} bytes is over the {self.max_bytes:,}-byte cap")
            content = await asyncio.to_thread(self.path.read_bytes)
        except OSError as exc:
            raise SourceError(f"cannot read {self.path.name}: {exc.strerror}") from None
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
    #: Where redirects may lead (:mod:`bot.sources.guard`); by default anywhere on this URL's host, public elsewhere.
    policy: HopPolicy | None = None
    #: The timeout messages quote: the configured one, when ``timeout`` is what is left of it (``check``'s quick
    #: path spent the rest), so a hung source reads "no answer within 20 s", not "within 0.1 s".
    timeout_shown: float | None = None

    @property
    def key(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return Path(urlsplit(self.url).path).name or "report.txt"

    @property
    def shown(self) -> str:
        """The address as messages and logs show it: without credentials or query (see :func:`public_address`)."""
        return public_address(self.url)

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
        # One deadline for the whole fetch, retries included: a source that hangs or drips a byte at a
        # time is a source problem after `timeout` seconds, not after attempts × timeout.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        problem, attempt, unreachable = "no attempt made", 0, False
        while attempt < self.attempts and (remaining := deadline - loop.time()) > 0:
            attempt += 1
            try:
                async with asyncio.timeout(remaining):
                    return await self._get(headers, validators, aiohttp.ClientTimeout(total=remaining))
            except _Retryable as exc:
                problem, delay, unreachable = str(exc), exc.retry_after, False
            except (TimeoutError, aiohttp.ClientError) as exc:
                problem = _client_problem(exc, self.timeout_shown or self.timeout)
                delay, unreachable = None, isinstance(exc, aiohttp.ClientConnectorError)
            wait = delay if delay is not None else self.backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)  # noqa: S311
            if attempt >= self.attempts or loop.time() + wait >= deadline:
                break
            log.info("Source %s: %s; retrying in %.1f s", self.shown, public_text(problem), wait)
            await self.sleep(wait)
        error = SourceUnreachable if unreachable else SourceError
        raise error(f"{self.shown}: {public_text(problem)} (after {attempt} attempt{'s' * (attempt != 1)})")

    async def _get(self, headers: dict[str, str], validators: Validators, limit: aiohttp.ClientTimeout) -> Fetched:
        """One attempt: the redirects followed by hand, each hop checked by the policy before it is requested."""
        policy = self.policy or HopPolicy.for_source(self.url)
        url, seen = self.url, [self.url]
        while True:
            try:
                await policy.check(url)
            except RefusedHop as exc:
                raise SourceError(f"{self.shown}: {exc}") from None
            async with self.session.get(url, headers=headers, timeout=limit, allow_redirects=False) as response:
                if response.status in _REDIRECTS and "Location" in response.headers:
                    url = urljoin(url, response.headers["Location"])
                    if url in seen:
                        hops = " → ".join(public_address(u) for u in [*seen[seen.index(url) :], url])
                        raise SourceError(f"{self.shown}: redirect loop ({hops})")
                    seen.append(url)
                    if len(seen) > MAX_REDIRECTS + 1:
                        raise SourceError(f"{self.shown}: more than {MAX_REDIRECTS} redirects")
                    continue
                try:
                    policy.check_peer(url, response.connection.transport.get_extra_info("peername")
                                      if response.connection and response.connection.transport else None)  # fmt: skip
                except RefusedHop as exc:
                    raise SourceError(f"{self.shown}: {exc}") from None
                return await self._read(response, validators)

    async def _read(self, response: aiohttp.ClientResponse, validators: Validators) -> Fetched:
        if response.status == 304:
            return Fetched(None, validators, self.name)
        if response.status == 429 or response.status >= 500:
            raise _Retryable(f"HTTP {response.status}", _retry_after(response.headers.get("Retry-After")))
        if response.status != 200:
            raise SourceError(f"{self.shown}: HTTP {response.status} {response.reason or ''}".rstrip())
        if response.content_length is not None and response.content_length > self.max_bytes:
            size = response.content_length
            raise SourceError(f"{self.shown}: {size:,} bytes is over the {self.max_bytes:,}-byte cap")
        body = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            body += chunk
            if len(body) > self.max_bytes:
                raise SourceError(f"{self.shown}: the body is over the {self.max_bytes:,}-byte cap")
        fresh = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        return Fetched(bytes(body), fresh, self.name, str(response.url), response.headers.get("Content-Type"),
                       response.headers.get("Last-Modified"))  # fmt: skip


@dataclass(slots=True)
class LinkedSource:
    """The newest document a page links to (NATO's placemat page → this edition's PDF).

    Each fetch reads the page, picks the newest http(s) link whose address or text ``pattern``
    matches (:func:`~bot.sources.links.newest_link`) and fetches that document exactly as an
    :class:`HttpSource` would, with the same limits on both requests. The result is the document's:
    its bytes and its file name (so its format is detected from it, e.g. ``.pdf``).

    Both requests are conditional. The validators handed back (:class:`~bot.sources.links.LinkedState`)
    hold the page's, the chosen address and the document's; a page that answers "not modified"
    still links to that address, and the document's validators are only sent to the address they
    came from, so a new edition is always fetched in full and an unchanged one costs two 304s.
    """

    url: str
    pattern: str
    session: aiohttp.ClientSession
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    attempts: int = 3
    backoff: float = 1.0
    sleep: Sleep = asyncio.sleep
    #: Hosts besides the page's that links and redirects may lead to when they resolve to internal addresses.
    allowed_hosts: frozenset[str] = frozenset()
    #: The configured timeout, which messages quote when ``timeout`` is what is left of it (see :class:`HttpSource`).
    timeout_shown: float | None = None
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._regex = compile_link_pattern(self.pattern)

    @property
    def key(self) -> str:
        """The page and the pattern: the store's record of this source outlives every edition's address."""
        return linked_key(self.url, self.pattern)

    def _http(self, url: str) -> HttpSource:
        policy = HopPolicy.for_source(self.url, self.allowed_hosts)  # the page's host is the configured one
        return HttpSource(url, self.session, self.timeout, self.max_bytes, self.attempts, self.backoff, self.sleep,
                          policy, self.timeout_shown)  # fmt: skip

    async def fetch(self, validators: Validators) -> Fetched:
        """The page, then its newest document, both within one ``timeout``."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(validators)
        except TimeoutError:
            shown = seconds(self.timeout_shown or self.timeout)
            raise SourceError(f"{public_address(self.url)}: no complete answer within {shown} s") from None

    async def _fetch(self, validators: Validators) -> Fetched:
        state = LinkedState.decode(validators.etag)
        page = await self._http(self.url).fetch(Validators(state.page_etag, state.page_last_modified))
        if page.content is not None:
            html = page.content.decode("utf-8", errors="replace")  # addresses are ASCII; the text only hints
            link = newest_link(page_links(html, page.url or self.url), self._regex)
            if link is None and "<table" not in html.lower():
                raise SourceError(
                    f"{public_address(self.url)}: no http(s) link on the page matches the source link '{self.pattern}'"
                )
            if link is None:  # no edition linked, but a table: the page carries the figures itself
                log.info("Source %s: no link matches '%s'; reading the page itself", public_location(self.key),
                         self.pattern)  # fmt: skip
                itself = LinkedState(page.validators.etag, page.validators.last_modified, self.url,
                                     page.validators.etag, page.validators.last_modified)  # fmt: skip
                return Fetched(page.content, Validators(itself.encode()), page.name, page.url or self.url,
                               page.content_type, page.modified)  # fmt: skip
            document_url = link.url
        elif state.document_url == self.url:  # the page is the report, and it has not changed
            return Fetched(None, validators, "page.html")
        elif state.document_url is not None:  # the page has not changed, so neither has its newest link
            document_url = state.document_url
        else:
            raise SourceError(
                f"{public_address(self.url)}: the page answered 'not modified' to a request without validators"
            )
        if document_url == state.document_url:
            ask = Validators(state.document_etag, state.document_last_modified)
        else:
            log.info("Source %s: following %s", public_location(self.key), public_address(document_url))
            ask = Validators()
        document = await self._http(document_url).fetch(ask)
        fresh = LinkedState(page.validators.etag, page.validators.last_modified, document_url,
                            document.validators.etag, document.validators.last_modified)  # fmt: skip
        return Fetched(document.content, Validators(fresh.encode()), document.name, document.url or document_url,
                       document.content_type, document.modified)  # fmt: skip


def _client_problem(exc: BaseException, timeout: float) -> str:
    """What a failed request says: its reason, or how long it waited (rounded) when it has none."""
    if isinstance(exc, TimeoutError) or not str(exc):
        return f"no answer within {seconds(timeout)} s"
    return f"{type(exc).__name__}: {exc}"


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def open_source(
    location: str, session: aiohttp.ClientSession | None, base: Path | None = None, link: str | None = None
) -> Source:
    """A source for a configured location: an http(s) URL or a file path (relative to ``base``).

    With ``link`` (a regular expression), ``location`` is a page and the source is the newest
    document it links to whose address or text matches (:class:`LinkedSource`).
    """
    scheme = urlsplit(location).scheme.lower()
    if link:
        if scheme not in ("http", "https"):
            shown = public_location(location)
            raise UserError(f"A source link needs an http(s) page to read the links from, not {shown!r}.")
        if session is None:
            raise ValueError("an HTTP source needs an aiohttp session")
        try:
            return LinkedSource(location, link, session)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    if scheme in ("http", "https"):
        if session is None:
            raise ValueError("an HTTP source needs an aiohttp session")
        return HttpSource(location, session)
    if scheme == "file":
        return FileSource(Path(urlsplit(location).path))
    if scheme and len(scheme) > 1:  # "C:" is a Windows drive, not a scheme
        raise UserError(f"Unsupported source {public_location(location)!r}: only http(s) URLs and file paths are read.")
    return FileSource(local_path(location, base))
