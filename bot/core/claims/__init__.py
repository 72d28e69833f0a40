"""Claims: what a ministry or the press says a nation will do with its KFOR contingent, found in a sentence.

Pure: patterns per language (:mod:`.languages`), the nations a sentence names (:mod:`.gazetteer`),
numbers written in words or digits and the dates a change takes effect (:mod:`.numbers`), and the
extraction that puts them together (:mod:`.extract`). Precision first: a sentence that could be read
two ways gives no claim, because a wrong alarm costs the team's trust more than a missed one.
"""

from bot.core.claims.extract import extract_claims
from bot.core.claims.model import HEADCOUNT_KINDS, KINDS, Claim, Kind

__all__ = ["HEADCOUNT_KINDS", "KINDS", "Claim", "Kind", "extract_claims"]
