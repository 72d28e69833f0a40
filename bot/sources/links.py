"""Following a page to the current edition of a document: the page's links, and which one is newest.

NATO publishes the KFOR placemat as a PDF whose address changes with every edition; the page that
links to it is what stays. A *linked source* is that page plus a regular expression: the watcher
reads the page, keeps the http(s) links whose address or text the expression matches, and follows
the newest one (:func:`newest_link`).

Standard library only (``html.parser``, ``re``, ``json``), so that the fast path of ``kfor-bot
check`` (:mod:`bot.alerts.probe`) picks exactly the link the full watch cycle picks, and reads the
same validators, without importing it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, unquote_plus, urldefrag, urljoin, urlsplit

__all__ = [
    "EditionDate",
    "Link",
    "LinkedState",
    "compile_link_pattern",
    "edition_date",
    "link_pattern_for",
    "linked_key",
    "newest_link",
    "page_links",
]

#: (year, month, day); day 0 when only the month is known, so a dated day sorts after its month.
EditionDate = tuple[int, int, int]

_YEAR = r"(199\d|20\d\d)"
#: 2025-02-25, 2025_02, 2025.2.25, and the /2025/2/ folders of nato.int's file paths.
_NUMERIC = re.compile(rf"(?<!\d){_YEAR}([-_./])(0?[1-9]|1[0-2])(?:\2(0?[1-9]|[12]\d|3[01]))?(?!\d)")
#: 20250225 (eight digits only: six could as well be an id).
_COMPACT = re.compile(rf"(?<!\d){_YEAR}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAME = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
#: "February 2017", "Feb. 2017", "feb_2017", "25 February 2025", "February 25, 2025".
_NAMED = re.compile(
    rf"(?:(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s_.-]+)?(?<![a-z]){_MONTH_NAME}\.?(?![a-z])[\s_.,-]*"
    rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?,?[\s_.-]+)?(?<!\d){_YEAR}(?!\d)",
    re.IGNORECASE,
)


def edition_date(text: str) -> EditionDate | None:
    """The latest date written in ``text`` (see the module's patterns), or None when it names none."""
    found: list[EditionDate] = []
    for match in _NUMERIC.finditer(text):
        found.append((int(match[1]), int(match[3]), int(match[4] or 0)))
    for match in _COMPACT.finditer(text):
        found.append((int(match[1]), int(match[2]), int(match[3])))
    for match in _NAMED.finditer(text):
        day = match[1] or match[3]
        found.append((int(match[4]), _MONTHS[match[2][:3].lower()], int(day or 0)))
    return max((d for d in found if _real(d)), default=None)


def _real(date: EditionDate) -> bool:
    """30 February is no edition date (the patterns only bound each number on its own)."""
    try:
        dt.date(date[0], date[1], date[2] or 1)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Link:
    """An http(s) link on a page: its absolute address (no fragment) and its text."""

    url: str
    text: str

    @property
    def date(self) -> EditionDate | None:
        """The latest date in the address (path and query, percent-decoded) or in the text."""
        parts = urlsplit(self.url)
        dates = [edition_date(unquote(parts.path) + " " + unquote_plus(parts.query)), edition_date(self.text)]
        return max((d for d in dates if d is not None), default=None)


class _LinkParser(HTMLParser):
    """Collects ``<a href>`` in document order with their text (and images' alt text), and ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.anchors: list[tuple[str, list[str]]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if tag == "base" and self.base is None and "href" in values:
            self.base = values["href"]
        elif tag == "a":
            self._text = None  # an <a> inside another closes it, as browsers do
            if "href" in values:
                self._text = [values.get("title", "")]
                self.anchors.append((values["href"], self._text))
        elif tag == "img" and self._text is not None:
            self._text.append(values.get("alt", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def page_links(html: str, page_url: str) -> list[Link]:
    """The page's http(s) links in document order, resolved against its ``<base href>`` or its address.

    Links to other schemes (``javascript:``, ``mailto:``, ``file:``, ``data:``) and links to a
    place on the page itself (``href=""``, ``href="#…"``) are left out: they are never followed.
    """
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    base = page_url
    if parser.base is not None and _http_url(urljoin(page_url, parser.base.strip())):
        base = urljoin(page_url, parser.base.strip())
    links = []
    for href, text in parser.anchors:
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if _http_url(url):
            links.append(Link(url, " ".join(" ".join(text).split())))
    return links


def newest_link(links: list[Link], pattern: re.Pattern[str]) -> Link | None:
    """The newest link whose address or text ``pattern`` matches (``re.search``), or None.

    Newest: the latest date in the link's address or text (:meth:`Link.date`); a dated link beats
    an undated one; among equals (same date, or none dated) the first in document order wins,
    because publishers list the current edition first.
    """
    best: Link | None = None
    best_date: EditionDate | None = None
    for link in links:
        if not (pattern.search(link.url) or pattern.search(link.text)):
            continue
        date = link.date
        if best is None or (date is not None and (best_date is None or date > best_date)):
            best, best_date = link, date
    return best


def compile_link_pattern(pattern: str) -> re.Pattern[str]:
    """The configured link pattern, compiled; ValueError with a readable message when it is not one."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"The source link '{pattern}' is not a regular expression: {exc}.") from None


def linked_key(page_url: str, pattern: str) -> str:
    """How the store knows a linked source: the page and the pattern, never the edition's changing address."""
    return f"{page_url} (newest link matching {pattern})"


def link_pattern_for(source: str | None, link: str | None, configured: str | None) -> str | None:
    """The link pattern of one ``kfor-bot check``: ``--source-link``, else the configured one, which goes with
    the configured source.

    So ``--source FILE`` alone checks that file even when the bot watches a page, and ``--source-link``
    alone follows a new pattern on the configured page. An empty pattern means none.
    """
    if link is not None:
        return link or None
    return None if source else (configured or None)


_STATE_PREFIX = "kfor-bot/linked "


@dataclass(frozen=True, slots=True)
class LinkedState:
    """The validators of a linked source: the page's, and the address and validators of the document it chose.

    The store keeps one ETag and one Last-Modified per source; a linked source keeps all five
    values, as JSON, in the ETag slot. The document's validators are only ever sent to the address
    they came from: a new edition is fetched in full.
    """

    page_etag: str | None = None
    page_last_modified: str | None = None
    document_url: str | None = None
    document_etag: str | None = None
    document_last_modified: str | None = None

    def encode(self) -> str:
        return _STATE_PREFIX + json.dumps(
            [self.page_etag, self.page_last_modified, self.document_url, self.document_etag,
             self.document_last_modified], separators=(",", ":"),
        )  # fmt: skip

    @classmethod
    def decode(cls, value: str | None) -> LinkedState:
        """The state an earlier fetch stored; an empty one (fetch everything) when there is none or it is unreadable."""
        if not value or not value.startswith(_STATE_PREFIX):
            return cls()
        try:
            fields = json.loads(value[len(_STATE_PREFIX) :])
        except ValueError:
            return cls()
        if not isinstance(fields, list) or len(fields) != 5 or not all(f is None or isinstance(f, str) for f in fields):
            return cls()
        state = cls(*fields)
        return state if state.document_url is not None else cls()  # page validators mean nothing without it
