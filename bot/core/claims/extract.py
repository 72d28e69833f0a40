"""From a feed entry's title and summary to the claims it makes, sentence by sentence.

An entry is read only when it names the mission (KFOR, Kosovo) and troops in its language. Each
sentence then gives at most one claim, about the one nation it names (or, when it names none, the one
its title names). The order of the tests is the order of precedence, and it is what keeps a wrong
alarm out: a rotation gives nothing; a change of command, a "no change", a ceiling or mandate, an
extension are their own kinds and never a change of headcount; a mission total ("from 28 nations") and
a percentage are no nation's figure; only then is a sentence an increase, a decrease or a level, and
only with a figure of troops in it ("150 soldiers", "a company of about 150", "by 100").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from bot.core.claims.gazetteer import Gazetteer
from bot.core.claims.languages import Lexicon, lexicon
from bot.core.claims.model import Claim, Kind, shorten_quote
from bot.core.claims.numbers import date_spans, effective_date, figure_value, figures, words_to_digits

_TAGS = re.compile(r"<[^>]{0,2000}>")
#: Sentence ends: a stop followed by a capital, a quote or a digit (not "4.800", not "U.S. troops").
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“„«(\[A-ZÄÖÜÀ-ÝÈÉ0-9])|\n+")
_ABBREVIATIONS = {"U.S.": "US", "U.K.": "UK", "ca.": "ca", "z. B.": "zB", "Lt.": "Lt", "Gen.": "Gen", "Col.": "Col",
                  "Maj.": "Maj", "Brig.": "Brig", "Dr.": "Dr", "Nr.": "Nr", "St.": "St"}  # fmt: skip
#: How far (characters) a troop noun may follow its figure: "150 soldiers", "150 zusätzliche Soldatinnen und
#: Soldaten".
_NOUN_AFTER = 40
_YEARS = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")
_COUNTRIES_AFTER = re.compile(r"\s*(?:-|–)?\s*(?:\w+\s+)?(?:nations|nationen|paesi|nazioni|pays)", re.IGNORECASE)
#: How far before a figure a unit may stand: "a company of about 150", "eine Kompanie mit rund 150".
_UNIT_BEFORE = 35


def clean_text(text: str) -> str:
    """Markup and entities out, whitespace collapsed: a feed's summary is often HTML."""
    text = html.unescape(_TAGS.sub(" ", text))
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, with the abbreviations that would cut it wrongly spelt without dots."""
    for abbreviation, plain in _ABBREVIATIONS.items():
        text = text.replace(abbreviation, plain)
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def extract_claims(
    title: str,
    summary: str,
    lang: str,
    gazetteer: Gazetteer,
    *,
    link: str | None = None,
    published: datetime | None = None,
) -> list[Claim]:
    """The claims an entry makes, one per sentence at most, the same claim once.

    ``lang`` is the feed's language ("en", "de", "it", "fr"); an entry in another gives nothing.
    """
    words = lexicon(lang)
    if words is None:
        return []
    title, summary = clean_text(title), clean_text(summary)
    whole = f"{title}. {summary}"
    if not words.mission.search(whole) or not any(
        pattern.search(whole) for pattern in (words.troops, words.units, words.command, words.ceiling)
    ):
        return []
    title_nations = gazetteer.nations_in(title)
    context = title_nations[0] if len(title_nations) == 1 else None
    found: list[Claim] = []
    for sentence in [title, *sentences(summary)]:
        claim = _claim(sentence, words, gazetteer, context, link, published)
        if claim is not None:
            found.append(claim)
    return _once(found)


def _claim(sentence: str, words: Lexicon, gazetteer: Gazetteer, context: str | None, link: str | None,
           published: datetime | None) -> Claim | None:  # fmt: skip
    """The claim one sentence makes, or None when it makes none or could be read two ways."""
    if words.rotation.search(sentence) or words.elsewhere.search(sentence):
        return None
    nations = gazetteer.nations_in(sentence)
    if len(nations) > 1:
        return None  # two nations in one sentence: whose figure is it?
    nation = nations[0] if nations else context
    if nation is None:
        return None
    text = words_to_digits(sentence, words.lang)
    if published is not None and any(int(year) < published.year for year in _YEARS.findall(text)):
        return None  # "in 2023, Türkiye sent 500 more": history, not news
    effective = effective_date(text, words, published.date() if published else None)
    quote = shorten_quote(sentence)

    def claim(kind: Kind, change: int | None = None, level: int | None = None, approximate: bool = False) -> Claim:
        return Claim(nation, kind, change, level, approximate, effective, link, published, quote)

    if words.command.search(text):
        return claim("command")
    figure = _troop_figure(text, words)
    if words.no_change.search(text):
        if figure is None:  # "remains at about 400": the figure the level stays at, with no noun after it
            level = _ceiling_figure(text, words)
            figure = (level, _approximate(text, text.find(str(level)), words), 0) if level is not None else None
        return claim("no_change", level=figure[0] if figure else None, approximate=bool(figure and figure[1]))
    if words.withdraw_all.search(text):
        return claim("withdraw_all", level=0)
    if words.ceiling.search(text):
        ceiling = _ceiling_figure(text, words)
        kind: Kind = "extension" if words.extension.search(text) else "ceiling"
        return claim(kind, level=ceiling)
    if words.extension.search(text):
        return claim("extension")
    if words.total.search(text) or not (words.mission.search(text) or nations):
        return None
    rising, falling = bool(words.increase.search(text)), bool(words.decrease.search(text))
    if rising and falling:
        return None
    if not (rising or falling) and words.send.search(text) and effective is not None:
        rising = True  # "sends a company of about 150 from April": a new force, with a date
    if rising or falling:
        level = _undated(words.to_level, text, words)
        if level is not None:
            return claim("level", level=level, approximate=figure is not None and figure[1])
        by = _undated(words.by_change, text, words)
        if figure is None and by is None:
            return None
        amount, approximate = (figure[0], figure[1]) if figure is not None else (by or 0, False)
        return claim("increase" if rising else "decrease", change=amount if rising else -amount,
                     approximate=approximate)  # fmt: skip
    if figure is None or words.send.search(text):
        return None  # no figure; or sent without "more" or a date: as likely the next rotation as a change
    return claim("level", level=figure[0], approximate=figure[1])


def _troop_figure(text: str, words: Lexicon) -> tuple[int, bool, int] | None:
    """The one figure of troops in ``text`` as (value, approximate, position): followed by a troop noun,
    or following a unit ("a company of 150"). Dates, percentages and small counts of units are not troops."""
    dates = date_spans(text, words)
    candidates: list[tuple[int, bool, int]] = []
    for value, start, end in figures(text):
        if any(a <= start < b for a, b in dates) or value == 0:
            continue
        after, before = text[end : end + _NOUN_AFTER], text[max(0, start - _UNIT_BEFORE) : start]
        if words.percent.match(text[start:]):
            continue
        noun = words.troops.search(after)
        follows_unit = words.units.search(before) and not words.troops.search(text[end : end + 3])
        noun_follows = (
            noun and not words.units.search(after[: noun.start()]) and not re.search(r"\d", after[: noun.start()])
        )
        if noun_follows or (follows_unit and not _COUNTRIES_AFTER.match(after)):
            candidates.append((value, _approximate(text, start, words), start))
    values = {value for value, _, _ in candidates}
    if len(values) != 1:
        return None  # none, or several figures of troops: which is the change?
    return candidates[0]


def _approximate(text: str, start: int, words: Lexicon) -> bool:
    before = text[max(0, start - 25) : start]
    return any(m.end() >= len(before) - 4 for m in words.approximate.finditer(before)) or bool(
        re.search(r"\b(?:about|rund|etwa|circa|environ|quelque|some)\s+$", before, re.IGNORECASE)
    )


def _ceiling_figure(text: str, words: Lexicon) -> int | None:
    """The figure a ceiling or mandate names: the first figure that is not a date or a percentage."""
    dates = date_spans(text, words)
    for value, start, _ in figures(text):
        if not any(a <= start < b for a, b in dates) and not words.percent.match(text[start:]) and value > 0:
            return value
    return None


def _undated(pattern: re.Pattern[str], text: str, words: Lexicon) -> int | None:
    """The figure ``pattern`` captures ("to 400", "um 100"), unless it is part of a date or a percentage."""
    dates = date_spans(text, words)
    for match in pattern.finditer(text):
        start = match.start(1)
        if not any(a <= start < b for a, b in dates) and not words.percent.match(text[start:]):
            return figure_value(match.group(1))
    return None


def _once(claims: Iterable[Claim]) -> list[Claim]:
    """The same claim from the title and the summary counts once.

    Two claims of one nation and kind are the same unless their figures differ; the one kept takes the
    figures and the date either gives ("Switzerland extends" in the title, "up to 215" in the summary).
    """
    kept: list[Claim] = []
    for claim in claims:
        for index, other in enumerate(kept):
            if (other.nation, other.kind) != (claim.nation, claim.kind):
                continue
            if (other.change, other.level) == (claim.change, claim.level) or (
                other.change is None and other.level is None
            ):
                base, extra = (claim, other) if (other.change, other.level) == (None, None) else (other, claim)
                kept[index] = replace(base, effective=base.effective or extra.effective)
                break
            if claim.change is None and claim.level is None:
                kept[index] = replace(other, effective=other.effective or claim.effective)
                break
        else:
            kept.append(claim)
    return kept
