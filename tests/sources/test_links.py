"""A page's links and the newest edition among them: dates, document order, schemes, the stored state."""

from __future__ import annotations

import re

import pytest

from bot.sources.links import (
    Link,
    LinkedState,
    compile_link_pattern,
    edition_date,
    link_pattern_for,
    linked_key,
    newest_link,
    page_links,
)

PAGE = "https://www.example.org/kfor/placemat/"
PDF = re.compile(r"(?i)placemat.*\.pdf$")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("KFOR-Placemat-2025-02-25.pdf", (2025, 2, 25)),
        ("placemat_2025_02.pdf", (2025, 2, 0)),
        ("placemat-2024.10.pdf", (2024, 10, 0)),
        ("/assets/pdf/2024/5/pdf/240516-KFOR-Placemat.pdf", (2024, 5, 0)),  # nato.int's upload folders
        ("KFOR-Placemat-20250225.pdf", (2025, 2, 25)),
        ("KFOR Key Facts and Figures, February 2017", (2017, 2, 0)),
        ("Placemat Feb 2017", (2017, 2, 0)),
        ("placemat_sept_2019", (2019, 9, 0)),
        ("Placemat (25 February 2025)", (2025, 2, 25)),
        ("Placemat, February 25, 2025", (2025, 2, 25)),
        ("December 2024 (updated 2025-01-05)", (2025, 1, 5)),  # the latest date written wins
    ],
)
def test_edition_dates_in_addresses_and_link_texts(text: str, date: tuple[int, int, int]) -> None:
    """Each date style publishers use is read, to the day when the day is given."""
    assert edition_date(text) == date


@pytest.mark.parametrize(
    "text",
    ["topics_48818.htm", "nato_static_fl2014/x.pdf", "2025-2026 rotation", "Marine 2017", "2025-02-30", "250225"],
)
def test_numbers_that_are_no_edition_date(text: str) -> None:
    """Ids, a bare year, ranges, words that start like a month and impossible days are not dates."""
    assert edition_date(text) is None


def test_links_resolve_against_the_page_and_skip_other_schemes() -> None:
    """Relative and absolute hrefs become absolute; javascript:, file:, mailto: and on-page anchors are dropped."""
    html = """<a href="javascript:open('placemat-2099.pdf')">Placemat</a>
    <a href="file:///srv/placemat.pdf">x</a> <a href="mailto:pio@example.org">mail</a> <a href="#top">top</a>
    <a href=" files/placemat.pdf#page=2 ">The <b>current</b>
       placemat</a> <a href="/docs/a.pdf?x=1&amp;y=2">A</a> <a href="https://cdn.example.net/b.pdf"><img alt="B"></a>
    <a name="anchor">no href</a>"""
    assert page_links(html, PAGE) == [
        Link("https://www.example.org/kfor/placemat/files/placemat.pdf", "The current placemat"),
        Link("https://www.example.org/docs/a.pdf?x=1&y=2", "A"),
        Link("https://cdn.example.net/b.pdf", "B"),
    ]


def test_base_href_decides_where_relative_links_point() -> None:
    """A page's <base href> is what browsers resolve its links against, so the watcher does too."""
    html = '<head><base href="https://static.example.org/pdf/"></head><a href="placemat.pdf">p</a>'
    assert page_links(html, PAGE)[0].url == "https://static.example.org/pdf/placemat.pdf"
    assert page_links('<base href="javascript:x"><a href="p.pdf">p</a>', PAGE)[0].url == PAGE + "p.pdf"


def test_the_newest_matching_link_wins_whatever_the_order() -> None:
    """The latest date in address or text decides; an undated or non-matching link never beats a dated match."""
    links = [
        Link("https://x.org/KFOR-placemat-current.pdf", "Current placemat"),  # undated
        Link("https://x.org/2024/10/placemat.pdf", "Placemat"),
        Link("https://x.org/files/placemat.pdf", "Placemat, February 2025"),  # the date is in the text
        Link("https://x.org/troops-2026-01-01.pdf", "Troops"),  # newer, but not a placemat
        Link("https://x.org/placemat-2025-01-31.pdf", "Placemat"),
    ]
    assert newest_link(links, PDF) == links[2]


def test_ties_and_undated_links_fall_back_to_document_order() -> None:
    """Publishers list the current edition first: among equals, the first match is taken."""
    undated = [Link("https://x.org/a-placemat.pdf", "A"), Link("https://x.org/b-placemat.pdf", "B")]
    assert newest_link(undated, PDF) == undated[0]
    same_month = [Link("https://x.org/placemat-2025-02.pdf", ""), Link("https://x.org/placemat_2025_02.pdf", "")]
    assert newest_link(same_month, PDF) == same_month[0]
    assert newest_link(undated, re.compile("nothing")) is None


def test_the_pattern_may_match_the_link_text() -> None:
    """An opaque address (/download/123) is found by its text."""
    links = [Link("https://x.org/download/123", "KFOR Placemat – May 2024"), Link("https://x.org/about", "About")]
    assert newest_link(links, re.compile("(?i)kfor placemat")) == links[0]


def test_the_stored_state_round_trips_and_garbage_means_start_over() -> None:
    """Validators survive the store; anything unreadable (or a plain ETag) means fetch everything."""
    state = LinkedState('"p1"', "Wed, 01 Jan 2025 00:00:00 GMT", "https://x.org/p.pdf", '"d1"', None)
    assert LinkedState.decode(state.encode()) == state
    for stored in (None, "", '"an-etag"', "kfor-bot/linked {", "kfor-bot/linked [1,2,3,4,5]"):
        assert LinkedState.decode(stored) == LinkedState()
    assert LinkedState.decode(LinkedState(page_etag='"p1"').encode()) == LinkedState()  # no address: nothing to ask


def test_the_key_names_the_page_and_the_pattern() -> None:
    """Stable across editions (no document address in it), different for a different pattern."""
    assert linked_key(PAGE, PDF.pattern) == f"{PAGE} (newest link matching {PDF.pattern})"
    assert linked_key(PAGE, PDF.pattern) != linked_key(PAGE, "placemat")


def test_which_pattern_a_check_uses() -> None:
    """--source-link wins; the configured pattern goes with the configured source only; empty means none."""
    assert link_pattern_for(None, None, "conf") == "conf"
    assert link_pattern_for("https://x.org/r.csv", None, "conf") is None
    assert link_pattern_for("https://x.org/", "mine", "conf") == "mine"
    assert link_pattern_for(None, "mine", None) == "mine"
    assert link_pattern_for(None, "", "conf") is None


def test_a_broken_pattern_says_so() -> None:
    """The message quotes the pattern as typed, so the operator sees which setting to fix."""
    with pytest.raises(ValueError, match=r"The source link '\(placemat' is not a regular expression"):
        compile_link_pattern("(placemat")
