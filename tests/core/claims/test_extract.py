"""Claims found in real-looking feed entries in four languages, and none where a wrong alarm would be."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.claims import KINDS, extract_claims
from bot.core.claims.extract import clean_text
from bot.core.claims.gazetteer import Gazetteer
from bot.core.claims.model import QUOTE_LIMIT
from bot.core.nations import NationRegistry

PUBLISHED = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)

#: (lang, title, summary, expected claims as (nation, kind, change, level, approximate, effective)).
CASES: list[tuple[str, str, str, list[tuple[str, str, int | None, int | None, bool, str | None]]]] = [
    # English
    (
        "en",
        "Germany to send more troops to Kosovo",
        "The Bundeswehr will deploy a company of about 150 additional soldiers to KFOR from April.",
        [("Germany", "increase", 150, None, True, "2025-04")],
    ),
    (
        "en",
        "UK reinforces KFOR",
        "The UK will deploy 200 more troops to Kosovo from 1 June 2025.",
        [("United Kingdom", "increase", 200, None, False, "2025-06-01")],
    ),
    (
        "en",
        "Romania boosts its Kosovo contingent",
        "Romania will send an additional one hundred soldiers to KFOR.",
        [("Romania", "increase", 100, None, False, None)],
    ),
    (
        "en",
        "Poland to cut KFOR contingent",
        "Poland will reduce its KFOR contingent by 80 troops by 2026.",
        [("Poland", "decrease", -80, None, False, "2026")],
    ),
    (
        "en",
        "Denmark ends KFOR mission",
        "Denmark will withdraw all of its soldiers from Kosovo by June 2025.",
        [("Denmark", "withdraw_all", None, 0, False, "2025-06")],
    ),
    (
        "en",
        "Switzerland's SWISSCOY",
        "Swiss parliament approves a mandate of up to 215 soldiers for KFOR.",
        [("Switzerland", "ceiling", None, 215, False, None)],
    ),
    (
        "en",
        "Italian general takes command of KFOR",
        "Italian Maj. Gen. X assumed command of KFOR troops today.",
        [("Italy", "command", None, None, False, None)],
    ),
    (
        "en",
        "Hungary's KFOR troops: no change",
        "The number of Hungarian soldiers in Kosovo remains at about 400.",
        [("Hungary", "no_change", None, 400, True, None)],
    ),
    ("en", "KFOR at a glance", "KFOR consists of some 4,800 troops from 28 nations, led by Italy.", []),
    (
        "en",
        "US soldiers replace Texas Guard in Kosovo",
        "About 600 U.S. soldiers replace the outgoing rotation at Camp Bondsteel, KFOR.",
        [],
    ),
    ("en", "Turkey raises Kosovo presence", "Turkey increases its KFOR contribution by 15 percent.", []),
    (
        "en",
        "Austria extends Kosovo deployment",
        "Austria extends its KFOR mandate until 2026.",
        [("Austria", "extension", None, None, False, None)],
    ),
    (
        "en",
        "Germany sends troops to Lithuania and Kosovo",
        "Germany sends 5,000 more soldiers to Lithuania; its KFOR contingent is unaffected.",
        [],
    ),
    ("en", "Weather in Kosovo", "Snow expected across Kosovo this week.", []),
    ("en", "KFOR's history", "In 2023, Türkiye sent an additional 500 troops to KFOR.", []),
    (
        "en",
        "Hungary in KFOR",
        "Hungary contributes more than 400 soldiers to KFOR.",
        [("Hungary", "level", None, 400, True, None)],
    ),
    # German
    (
        "de",
        "Bundeswehr verstärkt KFOR",
        "Ab Mai 2025 entsendet die Bundeswehr zweihundertzwanzig zusätzliche Soldatinnen und Soldaten in den Kosovo.",
        [("Germany", "increase", 220, None, False, "2025-05")],
    ),
    (
        "de",
        "Mandat verlängert",
        "Der Bundestag hat das KFOR-Mandat mit einer Obergrenze von 400 Soldaten verlängert.",
        [("Germany", "extension", None, 400, False, None)],
    ),
    (
        "de",
        "Höchstbestand für KFOR",
        "Deutschland kann bis zu 400 Soldaten in den Kosovo entsenden.",
        [("Germany", "ceiling", None, 400, False, None)],
    ),
    (
        "de",
        "Österreich reduziert KFOR-Kontingent",
        "Das Bundesheer reduziert seine Kräfte im Kosovo um rund 50 Soldaten.",
        [("Austria", "decrease", -50, None, True, None)],
    ),
    ("de", "Kontingentwechsel im Kosovo", "Das 45. Kontingent löst die deutschen Soldaten im Camp Film City ab.", []),
    (
        "de",
        "Kommandoübergabe bei KFOR",
        "Ein deutscher General übernimmt das Kommando über die KFOR-Truppen.",
        [("Germany", "command", None, None, False, None)],
    ),
    ("de", "KFOR im Überblick", "Rund 4.800 Soldaten aus 28 Nationen dienen derzeit in der KFOR.", []),
    (
        "de",
        "Schweiz: SWISSCOY unverändert",
        "Die Swisscoy bleibt bei 195 Armeeangehörigen im Kosovo.",
        [("Switzerland", "no_change", None, 195, False, None)],
    ),
    (
        "de",
        "Deutschland im Kosovo",
        "Deutschland stellt derzeit rund 350 Soldaten für KFOR.",
        [("Germany", "level", None, 350, True, None)],
    ),
    # Italian
    (
        "it",
        "L'Italia rafforza la KFOR",
        "L'Italia invierà trecento militari in più in Kosovo a partire da giugno.",
        [("Italy", "increase", 300, None, False, "2025-06")],
    ),
    ("it", "Cambio al comando di KFOR", "Il generale italiano ha ceduto il comando della KFOR ai militari turchi.", []),
    (
        "it",
        "Mandato KFOR",
        "Il Parlamento autorizza fino a 1.200 militari italiani in Kosovo.",
        [("Italy", "ceiling", None, 1200, False, None)],
    ),
    ("it", "Avvicendamento in Kosovo", "Il reggimento alpini sostituisce i militari italiani della KFOR.", []),
    (
        "it",
        "Contingente invariato",
        "Il contingente italiano in Kosovo rimane invariato a circa 800 militari.",
        [("Italy", "no_change", None, 800, True, None)],
    ),
    (
        "it",
        "La Slovenia riduce il contingente KFOR",
        "La Slovenia ritirerà circa 40 soldati dal Kosovo entro il 2026.",
        [("Slovenia", "decrease", -40, None, True, "2026")],
    ),
    # French
    (
        "fr",
        "La France renforce la KFOR",
        "La France enverra cent cinquante soldats supplémentaires au Kosovo d'ici 2026.",
        [("France", "increase", 150, None, False, "2026")],
    ),
    (
        "fr",
        "Kosovo : la Suisse prolonge",
        "Le mandat de la Swisscoy au Kosovo est prolongé, jusqu'à 215 militaires.",
        [("Switzerland", "extension", None, 215, False, None)],
    ),
    (
        "fr",
        "Passation de commandement",
        "Passation de commandement à la tête de la KFOR entre officiers italiens.",
        [("Italy", "command", None, None, False, None)],
    ),
    ("fr", "La KFOR en chiffres", "La KFOR compte environ 4 800 militaires de 28 pays.", []),
    ("fr", "Relève au Kosovo", "Les soldats français remplacent le détachement belge de la KFOR.", []),
    (
        "fr",
        "Le Luxembourg retire ses troupes",
        "Le Luxembourg réduira son contingent KFOR de 20 soldats à partir de septembre 2025.",
        [("Luxembourg", "decrease", -20, None, False, "2025-09")],
    ),
    ("fr", "Kosovo", "La Belgique augmente ses effectifs de 10 % au Kosovo.", []),
]


@pytest.fixture(scope="module")
def gazetteer(registry: NationRegistry) -> Gazetteer:
    return Gazetteer(registry)


@pytest.mark.parametrize(("lang", "title", "summary", "expected"), CASES, ids=[c[1][:40] for c in CASES])
def test_claims_in_four_languages(
    lang: str, title: str, summary: str, expected: list[tuple[object, ...]], gazetteer: Gazetteer
) -> None:
    """Each entry gives exactly the claims a careful reader would take from it, and no others."""
    claims = extract_claims(title, summary, lang, gazetteer, link="https://example.org/a", published=PUBLISHED)
    got = [(c.nation, c.kind, c.change, c.level, c.approximate, c.effective) for c in claims]
    assert got == expected


WORDS = ["KFOR", "Kosovo", "troops", "Soldaten", "militari", "soldats", "Germany", "Italia", "la France", "150",
         "4,800", "up to", "bis zu", "more", "zusätzliche", "from June", "ab Mai 2025", "replaces", "28 nations",
         "%", "withdraw all", "command", "U.S.", "@everyone", ".", ",", "and", "the", "cent cinquante"]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=40),
    lang=st.sampled_from(["en", "de", "it", "fr"]),
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_gives_well_formed_claims_or_none(words: list[str], lang: str, gazetteer: Gazetteer) -> None:
    """Whatever the feed says, extraction never fails, and each claim names a known nation, a known kind,
    a quote within the limit, and a change only with a direction."""
    text = " ".join(words)
    for claim in extract_claims(text[:200], text, lang, gazetteer, published=PUBLISHED):
        assert claim.kind in KINDS and gazetteer.registry.get(claim.nation)
        assert len(claim.quote) <= QUOTE_LIMIT
        if claim.change is not None:
            assert claim.kind in ("increase", "decrease") and (claim.change > 0) == (claim.kind == "increase")
        if claim.kind in ("ceiling", "command", "no_change", "extension"):
            assert claim.change is None


def test_a_text_without_the_mission_or_troops_gives_nothing(gazetteer: Gazetteer) -> None:
    """The gate: troops without KFOR or Kosovo, or Kosovo without troops, is not read at all."""
    assert extract_claims("Germany sends 150 more troops", "to Lithuania from May.", "en", gazetteer) == []
    assert extract_claims("Germany and Kosovo", "Germany will increase trade with Kosovo by 150 million.", "en",
                          gazetteer) == []  # fmt: skip
    assert clean_text("<p>KFOR&nbsp;<b>troops</b></p>") == "KFOR troops"
