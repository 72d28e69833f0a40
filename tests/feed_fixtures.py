"""RSS 2.0 and Atom documents of the tests' own, in the languages the claims are read in."""

from __future__ import annotations

from xml.sax.saxutils import escape

RSS_ITEMS = [
    ("https://bmvg.example/kfor-verstaerkung?utm_source=rss", "bmvg-1", "Bundeswehr verstärkt KFOR",
     "Ab Mai 2025 entsendet die Bundeswehr (@everyone, <@&1>) zweihundertzwanzig zusätzliche Soldatinnen und "
     "Soldaten in den Kosovo.",
     "Mon, 10 Mar 2025 09:00:00 GMT"),
    ("https://bmvg.example/kommando", "bmvg-2", "Kommandoübergabe bei KFOR",
     "Ein deutscher General übernimmt das Kommando über die KFOR-Truppen.", "Sun, 09 Mar 2025 09:00:00 GMT"),
    ("https://bmvg.example/lithuania", "bmvg-3", "Brigade Litauen",
     "Die Bundeswehr stellt 5.000 Soldaten für die Brigade in Litauen.", "Sat, 08 Mar 2025 09:00:00 GMT"),
]  # fmt: skip

ATOM_ENTRIES = [
    ("https://mod.example/news/uk-reinforces-kfor", "tag:mod.example,2025:1", "UK reinforces KFOR",
     "<p>The UK will deploy <b>200 more troops</b> to Kosovo from 1 June 2025.</p>", "2025-03-11T08:00:00Z"),
    ("https://mod.example/news/swisscoy", "tag:mod.example,2025:2", "KFOR at a glance",
     "KFOR consists of some 4,800 troops from 28 nations.", "2025-03-11T07:00:00Z"),
]  # fmt: skip


def rss(items: list[tuple[str, str, str, str, str]] = RSS_ITEMS) -> bytes:
    """An RSS 2.0 document with these (link, guid, title, description, pubDate) items."""
    body = "".join(
        f'<item><title>{escape(t)}</title><link>{escape(link)}</link><guid isPermaLink="false">{guid}</guid>'
        f"<description>{escape(d)}</description><pubDate>{p}</pubDate></item>"
        for link, guid, t, d, p in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>BMVg</title>'
            f"<link>https://bmvg.example/</link><description>Aktuelles</description>{body}</channel></rss>"
            ).encode()  # fmt: skip


def atom(entries: list[tuple[str, str, str, str, str]] = ATOM_ENTRIES) -> bytes:
    """An Atom document with these (link, id, title, html summary, updated) entries."""
    body = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/><id>{i}</id><updated>{u}</updated>'
        f'<summary type="html">{escape(s)}</summary></entry>'
        for link, i, t, s, u in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>MOD</title>'
            f"<id>tag:mod.example,2025:feed</id><updated>2025-03-11T08:00:00Z</updated>{body}</feed>"
            ).encode()  # fmt: skip
