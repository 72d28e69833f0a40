"""Claims: what a ministry or the press says a nation will do with its KFOR contingent, found in a sentence.

Pure: patterns per language (:mod:`.languages`), the nations a sentence names (:mod:`.gazetteer`),
numbers written in words or digits and the dates a change takes effect (:mod:`.numbers`), and the
extraction that puts them together (:mod:`.extract`). Precision first: a sentence that could be read
two ways gives no claim, because a wrong alarm costs the team's trust more than a missed one.
"""

from typing import TYPE_CHECKING, Any

from bot.core.claims.model import HEADCOUNT_KINDS, KINDS, Claim, Kind

if TYPE_CHECKING:
    from bot.core.claims.extract import extract_claims

__all__ = ["HEADCOUNT_KINDS", "KINDS", "Claim", "Kind", "extract_claims"]


def __getattr__(name: str) -> Any:
    """``extract_claims`` on first use: its patterns take ≈ 40 ms to compile, which an answer that only shows
    stored announcements (``kfor-bot ask "/kfor top 5"`` imports this package's model) should not pay."""
    if name == "extract_claims":
        from bot.core.claims.extract import extract_claims

        return extract_claims
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
