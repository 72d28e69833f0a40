"""Raw documents in, reports out: the one entry point for the bytes of a file or an HTTP body.

:func:`ingest_document` takes the bytes as they were read or fetched, with a name hint (a file name
or a URL's path) and, from HTTP, a Content-Type, and decides what they are:

- **PDF** (``%PDF-`` at the start, ``application/pdf`` or ``.pdf``): the text of every page, laid out
  as on the page (pypdf's layout mode keeps a placemat's columns apart), read as a placemat;
- **HTML** (a doctype, ``<html>`` or ``<table>`` at the start, ``text/html``, ``.html``/``.htm``, or a
  ``<table`` in a document with no other claim): the page's tables, parsed with lxml;
- **JSON**, **CSV** and **text** as before (:func:`bot.core.reports.detect_format`).

Text is decoded as UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, a
charset the server or the page declares, or else Windows-1252, the usual encoding of files saved by
office software. Bytes that are none of these (an image, an archive) become one error, "not a text
report", never a UnicodeDecodeError.

Why this lives in ``bot/sources`` and not in ``bot/core``: turning bytes of a third-party format into
text or table cells needs parsers with C code and large surfaces (lxml, pypdf), while deciding what
the text and cells *mean* — which table lists the contingents, which figure belongs to which
nation — is the core's job and is tested there on plain strings and :class:`~bot.core.reports.Table`
values, with neither library installed in the test's path. The split also keeps the core free to
swap a parser: only this module names one. Both libraries are imported inside the function that
needs them, so a text report (and ``kfor-bot ask``) never pays their import cost.
"""

from __future__ import annotations

import codecs
import io
import re
from html import unescape as html_unescape
from typing import TYPE_CHECKING

from bot.core.nations import NationRegistry
from bot.core.reports import IngestResult, ReportFormat, ReportMeta, detect_format, ingest_report, ingest_tables
from bot.core.reports.dates import pdf_date, report_date
from bot.core.reports.issues import error
from bot.core.reports.page_tables import Cell, Row, Table

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["DocumentError", "decode_text", "html_tables", "ingest_document", "pdf_text", "sniff_format"]


class DocumentError(ValueError):
    """A document that cannot be read at all; the message is one line, safe to show to people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


_PDF_MAGIC = b"%PDF-"
#: The PDF standard lets a header sit anywhere in the first kilobyte (some writers put junk before it).
_PDF_HEADER_WINDOW = 1024
_MEDIA_TYPES = {
    "application/pdf": ReportFormat.PDF,
    "text/html": ReportFormat.HTML,
    "application/xhtml+xml": ReportFormat.HTML,
    "application/json": ReportFormat.JSON,
    "text/csv": ReportFormat.CSV,
    "text/tab-separated-values": ReportFormat.CSV,
}
_SUFFIXES = {
    ".pdf": ReportFormat.PDF,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".xhtml": ReportFormat.HTML,
}
_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".csv", ".tsv", ".json")
#: Markup that starts a web page, after any BOM, whitespace, XML declaration or comment.
_HTML_START = re.compile(
    r"(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body|table)\b", re.I | re.S
)
_HTML_TABLE = re.compile(r"<table\b", re.I)
#: How far into a document to look for a page's own claims (a ``<meta charset>``, a ``<table``).
_SNIFF_WINDOW = 64 * 1024
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
#: C0 controls other than tab, line feed, vertical tab, form feed and carriage return: rare in text, common in binary.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def sniff_format(data: bytes, name: str = "", content_type: str | None = None) -> ReportFormat | None:
    """PDF when the bytes, the declared type or the name say so; None to decide on the decoded text.

    The bytes win over the rest: a PDF served as ``text/csv`` from ``report.csv`` is still a PDF.
    """
    if _PDF_MAGIC in data[:_PDF_HEADER_WINDOW]:
        return ReportFormat.PDF
    if _media_format(content_type) is ReportFormat.PDF or name.lower().endswith(".pdf"):
        return ReportFormat.PDF
    return None


def text_format(text: str, name: str = "", content_type: str | None = None) -> ReportFormat:
    """The format of decoded text: markup or JSON by content, then the declared type, the name, the content."""
    head = text[:_SNIFF_WINDOW].lstrip()
    if _HTML_START.match(head):
        return ReportFormat.HTML
    if head.startswith("{"):
        return ReportFormat.JSON
    declared = _media_format(content_type)
    if declared is not None:
        return declared
    lowered = name.lower()
    for suffix, fmt in _SUFFIXES.items():
        if lowered.endswith(suffix):
            return fmt
    if not lowered.endswith(_TEXT_SUFFIXES) and _HTML_TABLE.search(head):
        return ReportFormat.HTML
    return detect_format(text, name)


def _media_format(content_type: str | None) -> ReportFormat | None:
    if not content_type:
        return None
    return _MEDIA_TYPES.get(content_type.split(";", 1)[0].strip().lower())


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    """A charset named by the server (``Content-Type: …; charset=…``) or the page (``<meta charset>``)."""
    if content_type:
        for parameter in content_type.split(";")[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
    match = _META_CHARSET.search(data[:_SNIFF_WINDOW])
    return match.group(1).decode("ascii") if match else None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes → text: a byte-order mark decides; else UTF-16 by its NULs; else UTF-8; else the declared charset;
    else Windows-1252.

    UTF-8 goes first because it is what almost every source sends and because bytes in another
    encoding are almost never valid UTF-8; the declared charset only decides when UTF-8 does not fit.
    Raises :class:`DocumentError` ("not a text report") for bytes that are not text in any of these.
    """
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), data)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    "not-text", f"not a text report: it starts with a {label} byte-order mark, but byte {exc.start:,} "
                    f"is not {label}"
                ) from None  # fmt: skip
    for codec in (_utf16_without_bom(data), "utf-8", declared or "", "cp1252"):
        if not codec:
            continue
        try:
            return _checked(data.decode(codec), data)
        except (UnicodeDecodeError, LookupError):
            continue  # not this encoding (or a charset Python does not know): try the next
    raise DocumentError("not-text", _not_text(data))


def _utf16_without_bom(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text that lost its byte-order mark, else "".

    Latin text in UTF-16 has a NUL beside almost every letter, always on the same side: odd bytes
    for little-endian, even for big-endian. Binary data has its NULs anywhere.
    """
    sample = data[: _SNIFF_WINDOW * 2]
    if len(sample) < 8 or len(sample) % 2:
        return ""
    halves = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if halves[1] >= 0.6 * pairs and halves[0] == 0:
        return "utf-16-le"
    if halves[0] >= 0.6 * pairs and halves[1] == 0:
        return "utf-16-be"
    return ""


def _checked(text: str, data: bytes) -> str:
    """The decoded text, unless it is binary data that happened to decode (NULs, many control characters)."""
    sample = text[:_SNIFF_WINDOW]
    if "\x00" in text or len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise DocumentError("not-text", _not_text(data))
    return text


def _not_text(data: bytes) -> str:
    return f"not a text report: binary data that is not a PDF (it starts with {data[:8].hex(' ')})"


def pdf_text(data: bytes) -> str:
    """The text of every page, laid out as on the page, pages separated by form feeds (pypdf)."""
    return pdf_text_and_date(data)[0]


def pdf_text_and_date(data: bytes) -> tuple[str, str | None]:
    """:func:`pdf_text`, and the day the PDF says it was made (its metadata's ModDate, else CreationDate).

    The metadata date is the report's date only when its text gives none: a placemat made on a day
    describes the figures of that day, which is more than "retrieved" can say.
    """
    import pypdf  # imported here: about 0.1 s that only PDF reports pay

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")  # placemats are sometimes "protected" with an empty password
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except Exception as exc:  # a malformed PDF can raise almost anything inside pypdf; all mean "unreadable"
        raise DocumentError("unreadable-pdf", f"the PDF could not be read: {type(exc).__name__}: {exc}") from None
    text = "\f".join(pages)
    if not text.strip():
        raise DocumentError("no-text", "the PDF has no text to read (a scanned image?)")
    try:
        info = reader.metadata
        made = pdf_date(str(info.get("/ModDate") or info.get("/CreationDate") or "")) if info else None
    except Exception:
        made = None
    return text, made


_SKIPPED_TAGS = {"sup", "script", "style", "noscript", "template"}
_SPACED_TAGS = {"br", "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "dd", "dt"}


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]{0,2000}>")


def visible_text(page: str) -> str:
    """A page's words without markup (headings, captions, notes): where a page says what its table covers."""
    return html_unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page)))


def html_tables(text: str) -> list[Table]:
    """Every table of a page (nested ones too), as rows of cells with the page line each row starts on."""
    from lxml import etree, html  # imported here: only HTML reports pay for it

    parser = html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return []  # an empty page: no tables
    tables = []
    for table in root.iter("table"):
        rows = tuple(
            Row(tuple(_cell(cell) for cell in row if cell.tag in ("td", "th")), row.sourceline) for row in _rows(table)
        )
        tables.append(Table(rows, table.sourceline, _title(table)))
    return tables


_TITLE_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "div", "span"}


def _title(table: HtmlElement) -> str:
    """A table's caption, else the heading just above it (or above its wrapper): where its date is written."""
    caption = table.find("caption")
    if caption is not None:
        return " ".join(caption.text_content().split())[:200]
    element: HtmlElement | None = table
    for _ in range(3):  # the table, its wrapper, the wrapper's wrapper
        if element is None:
            break
        sibling = element.getprevious()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious()
        if sibling is not None and sibling.tag.lower() in _TITLE_TAGS:
            text = " ".join(sibling.text_content().split())
            if text and len(text) <= 200:
                return text
        if sibling is not None:
            break
        element = element.getparent()
    return ""


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows (directly or in thead/tbody/tfoot), not those of a table nested in a cell."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _cell(cell: HtmlElement) -> Cell:
    """A cell as a reader sees it: visible text without superscripts (footnotes), and its images' alt text."""
    parts: list[str] = []
    images: list[str] = []
    stack: list[tuple[HtmlElement, bool]] = [(cell, False)]
    while stack:  # depth-first, without recursion: a deeply nested page cannot exhaust the stack
        element, closing = stack.pop()
        if closing:
            parts.append(element.tail or "")
            continue
        if element is not cell:
            stack.append((element, True))  # its tail follows its content
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED_TAGS or _hidden(element):
            continue
        if tag == "img":
            images.append(element.get("alt") or element.get("title") or "")
        if tag in _SPACED_TAGS:
            parts.append(" ")
        parts.append(element.text or "")
        stack.extend((child, False) for child in reversed(element))
    return Cell(
        text=" ".join("".join(parts).split()),
        images=tuple(images),
        header=cell.tag == "th",
        colspan=_span(cell.get("colspan")),
        rowspan=_span(cell.get("rowspan")),
    )


def _hidden(element: HtmlElement) -> bool:
    """Hidden text (sort keys, collapsed notes) is not what a reader sees."""
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or element.get("hidden") is not None or "sortkey" in (element.get("class") or "")


def _span(value: str | None) -> int:
    try:
        return max(1, int(value)) if value and len(value) <= 4 else 1
    except ValueError:
        return 1


def ingest_document(
    data: bytes,
    meta: ReportMeta,
    registry: NationRegistry,
    name: str = "",
    content_type: str | None = None,
) -> IngestResult:
    """Read a document's raw bytes in whatever supported format they are; see the module docstring.

    ``name`` is a hint such as the file name or the URL's path, ``content_type`` the HTTP header when
    there is one. The result carries the format it was read as, and every issue with its line.
    """
    fmt = sniff_format(data, name, content_type)
    if fmt is ReportFormat.PDF:
        try:
            text, made = pdf_text_and_date(data)
        except DocumentError as exc:
            return IngestResult(None, (error(exc.code, str(exc)),), ReportFormat.PDF)
        if meta.as_of is None and made is not None and report_date(text) is None:
            meta = meta.replace(as_of=made)
        return ingest_report(text, meta, registry, fmt=ReportFormat.PDF)
    try:
        text = decode_text(data, _declared_charset(data, content_type))
    except DocumentError as exc:
        return IngestResult(None, (error(exc.code, str(exc)),), None)
    fmt = text_format(text, name, content_type)
    if fmt is ReportFormat.HTML:
        return ingest_tables(html_tables(text), meta, registry, page_text=visible_text(text))
    return ingest_report(text, meta, registry, fmt=fmt, name=name)
