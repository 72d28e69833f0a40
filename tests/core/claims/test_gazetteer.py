"""Nations found in a sentence by name in any language, by adjective, by the press's capitals."""

from __future__ import annotations

import pytest

from bot.core.claims.gazetteer import DEMONYMS, Gazetteer
from bot.core.nations import NationRegistry


@pytest.fixture(scope="module")
def gazetteer(registry: NationRegistry) -> Gazetteer:
    return Gazetteer(registry)


@pytest.mark.parametrize(
    ("text", "nations"),
    [
        ("German troops arrive", ["Germany"]),
        ("Die Bundeswehr und die Swisscoy", ["Germany", "Switzerland"]),
        ("soldati italiani in Kosovo", ["Italy"]),
        ("les militaires français", ["France"]),
        ("U.S. Army and the UK", ["United States", "United Kingdom"]),
        ("Türkiye sends a battalion", ["Turkey"]),
        ("it is up to de facto partners", []),
        ("Serbia and Kosovo talk", []),
    ],
)
def test_nations_in_a_sentence(gazetteer: Gazetteer, text: str, nations: list[str]) -> None:
    """Names, adjectives and capitalised codes find a nation; everyday words and non-contributors do not."""
    assert gazetteer.nations_in(text) == nations


def test_every_curated_adjective_names_a_nation_of_the_registry(registry: NationRegistry) -> None:
    """A misspelt canonical name in the adjectives table would silently never match."""
    assert set(DEMONYMS) <= {nation.name for nation in registry}
