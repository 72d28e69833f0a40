"""The words that make a claim, per language: what names the mission and its troops, and each kind of change.

Each pattern is a regular expression matched case-insensitively against one sentence (after numbers
in words became digits). ``#`` in a pattern stands for a troop figure (``\\d+`` once the grouping of
thousands is gone), so that "up to #" means a ceiling only when a number follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "de", "it", "fr")
_NUMBER = r"\d[\d.,\u202f\u00a0'’ ]*\d|\d"


def _compile(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a.replace('#', f'(?:{_NUMBER})')})" for a in alternatives), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's patterns."""

    lang: str
    #: The mission: an entry must name it to be read at all.
    mission: re.Pattern[str]
    #: People in uniform (matched inside words too: "Bundeswehr-Soldaten", "militari").
    troops: re.Pattern[str]
    #: Units whose size may follow ("a company of about 150").
    units: re.Pattern[str]
    #: Words before a figure that make it approximate ("about", "rund", "circa", "environ").
    approximate: re.Pattern[str]
    increase: re.Pattern[str]
    decrease: re.Pattern[str]
    #: Sending troops, which is an increase only with a date it takes effect from.
    send: re.Pattern[str]
    withdraw_all: re.Pattern[str]
    #: Ceilings and mandates: never an increase or a decrease.
    ceiling: re.Pattern[str]
    extension: re.Pattern[str]
    command: re.Pattern[str]
    no_change: re.Pattern[str]
    #: Rotations and returns: one contingent replacing another changes nothing.
    rotation: re.Pattern[str]
    #: The mission as a whole ("from 28 nations"): its figures are no nation's.
    total: re.Pattern[str]
    percent: re.Pattern[str]
    #: "to 400" after a verb of change: the level reached, not the change.
    to_level: re.Pattern[str]
    #: "by 100" after a verb of change.
    by_change: re.Pattern[str]
    #: Other missions and places, whose figures a KFOR article may mention in passing.
    elsewhere: re.Pattern[str]
    months: dict[str, int]
    #: Prepositions before a date that the change takes effect from ("from June", "ab Mai", "d'ici 2026").
    from_date: str
    #: Prepositions before a year alone that look forward ("by 2026", "ab 2026", "entro il 2026").
    from_year: str


_ELSEWHERE = _compile(
    r"UNIFIL|EUFOR|Althea|Bosni|Leban|Liban|Mali\b|Ira[qk]|Litauen|Lithuan|Lituani|Baltic|Baltikum",
    r"baltes?\b|baltici?\b|Ukrain|Sahel|Niger\b|Syri|Afghan|Resolute Support|eFP|Enhanced Forward",
)

ENGLISH = Lexicon(
    lang="en",
    mission=_compile(r"\bKFOR\b", r"\bKosovo\b", r"\bKosova\b"),
    troops=_compile(
        r"troops?\b",
        r"soldiers?\b",
        r"personnel\b",
        r"service ?members?\b",
        r"servicemembers?\b",
        r"marines\b",
        r"-strong\b",
        r"\bstrong\b",
        r"\bpeacekeepers?\b",
        r"\bmen and women\b",
    ),
    units=_compile(
        r"\bcompan(?:y|ies)\b",
        r"\bbattalion\b",
        r"\bplatoon\b",
        r"\bcontingent\b",
        r"\bunit\b",
        r"\bdetachment\b",
        r"\bbattlegroup\b",
    ),
    approximate=_compile(
        r"\babout\b",
        r"\baround\b",
        r"\bsome\b",
        r"\bapproximately\b",
        r"\broughly\b",
        r"\bnearly\b",
        r"\balmost\b",
        r"\bup to\b",
        r"\bcirca\b",
        r"\bc\.",
        r"\bmore than\b",
        r"\bover\b",
        r"~",
    ),
    increase=_compile(
        r"\badditional\b",
        r"\bmore\b(?! than)",
        r"\bextra\b",
        r"\breinforc",
        r"\bboost",
        r"\bincreas",
        r"\bbolster",
        r"\bstep(?:s|ped)? up\b",
        r"\bexpand",
    ),
    decrease=_compile(
        r"\breduc",
        r"\bcut(?:s|ting)?\b",
        r"\bwithdraw",
        r"\bpull(?:s|ing|ed)? out\b",
        r"\bbring(?:s|ing)? home\b",
        r"\bdraw(?:s|ing)? down\b",
        r"\bdrawdown\b",
        r"\bscal(?:e|es|ed|ing) back\b",
        r"\bfewer\b",
        r"\bdownsiz",
    ),
    send=_compile(r"\bsend", r"\bsent\b", r"\bdeploy", r"\bdispatch"),
    withdraw_all=_compile(
        r"\bwithdraw(?:s|ing|n)? (?:all|its entire|the entire|its whole)",
        r"\b(?:complete|full|total) withdrawal\b",
        r"\bend(?:s|ing)? (?:its|their) participation\b",
        r"\bfully withdraw",
        r"\ball (?:of )?its (?:troops|soldiers)\b.*\b(?:withdraw|leave|home)",
    ),
    ceiling=_compile(
        r"\bup to #",
        r"\bas many as #",
        r"\bceiling\b",
        r"\bcap(?:ped)? (?:of|at)\b",
        r"\bmaximum\b",
        r"\bmandate",
        r"\bauthori[sz]",
    ),
    extension=_compile(r"\bextend", r"\bextension\b", r"\bprolong", r"\brenew"),
    command=_compile(
        r"\b(?:change|transfer|handover) of command\b",
        r"\b(?:assume|assumes|assumed|take|takes|took|"
        r"hands? over|handed over) (?:the )?command\b",
        r"\bnew commander\b",
        r"\bcommander of KFOR\b",
    ),
    no_change=_compile(
        r"\bno change",
        r"\bunchanged\b",
        r"\bremains? at\b",
        r"\bstay(?:s)? at\b",
        r"\bwill remain\b",
        r"\bno (?:plans?|intention) to (?:change|increase|reduce|withdraw)",
    ),
    rotation=_compile(
        r"\breplac",
        r"\brelie(?:f|ve)",
        r"\brotat",
        r"\breturn(?:s|ed|ing)? home\b",
        r"\bhomecoming\b",
        r"\bwelcome[sd]? home\b",
        r"\bcame home\b",
    ),
    total=_compile(
        r"# (?:allied |partner |contributing )?(?:nations|countries|allies)\b",
        r"\bKFOR(?:'s| has| comprises| numbers| counts| of)\b.{0,20}#",
        r"\bmission(?:'s)? (?:of|with) #",
    ),
    percent=_compile(r"#\s?(?:%|percent\b|per cent\b)"),
    to_level=_compile(r"\bto (?:a total of |about |around |some |roughly |approximately )?(#)"),
    by_change=_compile(r"\bby (?:about |around |some |roughly |approximately )?(#)"),
    elsewhere=_ELSEWHERE,
    months={
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "may": 5,
        "june": 6,
        "july": 7,
        "august": 8,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
    },
    from_date=r"from|starting(?: in| from)?|as of|as from|beginning(?: in)?|in|by|from early|from mid-?|in early|"
    r"in mid-?",
    from_year=r"from|by|as of|starting(?: in)?|beginning(?: in)?",
)

GERMAN = Lexicon(
    lang="de",
    mission=_compile(r"\bKFOR\b", r"\bKosovo", r"\bKosova\b"),
    troops=_compile(
        r"soldat", r"truppe", r"angehörig", r"kräfte\b", r"\bmann\b", r"köpfig", r"personal\b", r"einsatzkräfte"
    ),
    units=_compile(r"kompanie", r"bataillon", r"\bzug\b", r"kontingent", r"einheit", r"verband"),
    approximate=_compile(
        r"\brund\b",
        r"\betwa\b",
        r"\bcirca\b",
        r"\bca\.",
        r"\bungefähr\b",
        r"\bknapp\b",
        r"\bgut\b",
        r"\bbis zu\b",
        r"\bmehr als\b",
        r"\büber\b",
        r"\binsgesamt rund\b",
    ),
    increase=_compile(
        r"zusätzlich", r"\bweitere", r"\bmehr\b(?! als)", r"verstärk", r"aufstock", r"erhöh", r"aufwuchs", r"ausbau"
    ),
    decrease=_compile(
        r"reduzier",
        r"verringer",
        r"abzieh",
        r"\bzieh\w* .{0,60}\bab\b",
        r"\babzug\b",
        r"verkleiner",
        r"\bsenk",
        r"\bweniger\b",
        r"\babgezogen\b",
        r"heimhol",
    ),
    send=_compile(r"entsend", r"\bschick", r"verleg", r"\bstell\w* .{0,40}\bbereit"),
    withdraw_all=_compile(
        r"vollständig\w* (?:ab|abzug|rückzug)",
        r"\b(?:vollständige|kompletten?|gesamten?) "
        r"(?:abzug|rückzug)",
        r"\balle \w*soldat\w* .{0,40}\babzieh",
        r"beteiligung .{0,30}beend",
    ),
    ceiling=_compile(
        r"\bbis zu #", r"obergrenze", r"höchstbestand", r"personalobergrenze", r"\bmaximal\b", r"\bmandat"
    ),
    extension=_compile(r"verlänger", r"fortsetz", r"\bfortgesetzt\b", r"fortführ"),
    command=_compile(
        r"kommandoübergabe",
        r"kommandowechsel",
        r"übernimmt .{0,30}kommando",
        r"\bkommando .{0,30}"
        r"übernommen\b",
        r"\bneue[rn]? kommandeur",
        r"übergibt .{0,30}kommando",
    ),
    no_change=_compile(r"\bunverändert\b", r"keine änderung", r"\bbleibt bei\b", r"\bbleiben bei\b", r"gleichbleibend"),
    rotation=_compile(
        r"\blöst\w* .{0,60}\bab\b",
        r"\bablös",
        r"kontingentwechsel",
        r"\brotation",
        r"\bersetz",
        r"heimkehr",
        r"zurückgekehrt",
        r"\bkehr\w* .{0,40}zurück\b",
        r"rückkehr",
    ),
    total=_compile(
        r"# (?:\w+ )?(?:nationen|staaten|länder|nationen|partnernationen|truppenstellern)\b",
        r"\bKFOR\b.{0,25}\b(?:umfasst|zählt)\b.{0,20}#",
        r"\binsgesamt\b.{0,20}#",
    ),
    percent=_compile(r"#\s?(?:%|prozent\b)"),
    to_level=_compile(r"\bauf (?:insgesamt |rund |etwa |circa |ca\. )?(#)"),
    by_change=_compile(r"\bum (?:rund |etwa |circa |ca\. )?(#)"),
    elsewhere=_ELSEWHERE,
    months={
        "januar": 1,
        "jänner": 1,
        "februar": 2,
        "märz": 3,
        "april": 4,
        "mai": 5,
        "juni": 6,
        "juli": 7,
        "august": 8,
        "september": 9,
        "oktober": 10,
        "november": 11,
        "dezember": 12,
    },
    from_date=r"ab|ab dem|ab anfang|ab mitte|ab ende|im|zum|anfang|mitte|ende",
    from_year=r"ab|bis|bis ende",
)

ITALIAN = Lexicon(
    lang="it",
    mission=_compile(r"\bKFOR\b", r"\bKosovo\b", r"\bKosova\b"),
    troops=_compile(
        r"\bmilitari\b",
        r"\bsoldat[io]\b",
        r"\btruppe\b",
        r"\buomini\b",
        r"\bcaschi\b",
        r"\bpersonale\b",
        r"\bunità di personale\b",
    ),
    units=_compile(r"\bcompagni[ae]\b", r"\bbattaglione\b", r"\bplotone\b", r"\bcontingente\b", r"\breparto\b"),
    approximate=_compile(
        r"\bcirca\b",
        r"\bcirca\b",
        r"\bquasi\b",
        r"\boltre\b",
        r"\bfino a\b",
        r"\bpiù di\b",
        r"\bsulle?\b",
        r"\bintorno a\b",
        r"\bcirca\b",
    ),
    increase=_compile(
        r"\bulterior", r"\bin più\b", r"\brinforz", r"\baument", r"\bincrement", r"\bpotenzia", r"\baggiuntiv"
    ),
    decrease=_compile(r"\bridu[cz]", r"\bdiminu", r"\britir", r"\btagli", r"\bin meno\b", r"\brimpatri"),
    send=_compile(r"\binvi[aeiò]", r"\bschier", r"\bdispiega", r"\bmand[aeiò]"),
    withdraw_all=_compile(
        r"\britiro (?:completo|totale|definitivo)",
        r"\britirerà tutt",
        r"\britira(?:re)? tutt",
        r"\btutti i (?:suoi )?(?:militari|soldati) .{0,30}ritir",
        r"\bconclude(?:rà)? la "
        r"(?:propria )?partecipazione",
    ),
    ceiling=_compile(
        r"\bfino a (?:un massimo di )?#",
        r"\bmassimo\b",
        r"\btetto\b",
        r"\bmandato\b",
        r"\bconsistenza massima\b",
        r"\bautorizza",
    ),
    extension=_compile(r"\bproroga", r"\bprorogat", r"\bestens", r"\brinnov", r"\bprolung"),
    command=_compile(
        r"\bcambio (?:al|del|di) comando\b",
        r"\bpassaggio di consegne\b",
        r"\bassum\w* (?:il )?comando\b",
        r"\bnuovo comandante\b",
        r"\bcede\w* (?:il )?comando\b",
    ),
    no_change=_compile(
        r"\binvariat",
        r"\bnessun cambiamento\b",
        r"\bnessuna variazione\b",
        r"\brimane a\b",
        r"\brimarrà (?:di|a)\b",
        r"\bresta(?:no)? (?:a|di)\b",
    ),
    rotation=_compile(
        r"\bsostitu",
        r"\bavvicend",
        r"\bdarà il cambio\b",
        r"\bdanno il cambio\b",
        r"\brotazion",
        r"\brientr",
        r"\bdiedero il cambio\b",
    ),
    total=_compile(
        r"# (?:\w+ )?(?:paesi|nazioni|stati|alleati)\b",
        r"\bKFOR\b.{0,25}\b(?:conta|comprende|schiera in tutto)\b.{0,20}#",
        r"\bcomplessiv\w*\b.{0,20}#",
    ),
    percent=_compile(r"#\s?(?:%|per ?cento\b)"),
    to_level=_compile(r"\b(?:fino )?a (?:circa |quota |un totale di )?(#)"),
    by_change=_compile(r"\bdi (?:circa )?(#)(?! (?:militari|soldati|uomini|unità))"),
    elsewhere=_ELSEWHERE,
    months={
        "gennaio": 1,
        "febbraio": 2,
        "marzo": 3,
        "aprile": 4,
        "maggio": 5,
        "giugno": 6,
        "luglio": 7,
        "agosto": 8,
        "settembre": 9,
        "ottobre": 10,
        "novembre": 11,
        "dicembre": 12,
    },
    from_date=r"da|dal|dall'|dalla|a partire da|a partire dal|a partire dall'|entro|entro il|in|a|nel mese di|a inizio|"
    r"all'inizio di|dal mese di|dai primi di",
    from_year=r"entro il|entro|dal|a partire dal|dall'inizio del",
)

FRENCH = Lexicon(
    lang="fr",
    mission=_compile(r"\bKFOR\b", r"\bKosovo\b", r"\bKosova\b"),
    troops=_compile(
        r"\bsoldats?\b",
        r"\bmilitaires\b",
        r"\btroupes?\b",
        r"\bhommes\b",
        r"\bpersonnels?\b",
        r"\beffectifs\b",
        r"\bcasques\b",
    ),
    units=_compile(
        r"\bcompagnies?\b", r"\bbataillon\b", r"\bsection\b", r"\bcontingent\b", r"\bdétachement\b", r"\bunité\b"
    ),
    approximate=_compile(
        r"\benviron\b",
        r"\bd'environ\b",
        r"\bquelque\b",
        r"\bprès de\b",
        r"\bplus de\b",
        r"\bjusqu'à\b",
        r"\bune centaine\b",
        r"\bune vingtaine\b",
        r"\bcirca\b",
        r"\bpresque\b",
    ),
    increase=_compile(
        r"\bsupplémentaire", r"\brenfort", r"\brenforc", r"\baugment", r"\bde plus\b", r"\baccroî", r"\baccroi"
    ),
    decrease=_compile(r"\brédui", r"\bréduc", r"\bretir", r"\bdiminu", r"\ballège", r"\brapatri", r"\bde moins\b"),
    send=_compile(r"\benvoi", r"\benverr", r"\benvoy", r"\bdéploi", r"\bdéploy", r"\bdépêch"),
    withdraw_all=_compile(
        r"\bretrait (?:complet|total|définitif)",
        r"\bretir\w* (?:l'ensemble|tous) ",
        r"\bmettr\w* fin à sa participation",
        r"\bmet fin à sa participation",
    ),
    ceiling=_compile(r"\bjusqu'à #", r"\bplafond\b", r"\bmaximum\b", r"\bmandat\b", r"\bau plus\b"),
    extension=_compile(r"\bprolong", r"\bproroge", r"\bprorogé", r"\breconduc", r"\breconduit", r"\brenouvel"),
    command=_compile(
        r"\bpassation de commandement\b",
        r"\bchangement de commandement\b",
        r"\bprend(?:ra)? (?:le )?commandement\b",
        r"\bnouveau commandant\b",
        r"\btransfert d'autorité\b",
    ),
    no_change=_compile(
        r"\binchangé",
        r"\bsans changement\b",
        r"\baucun changement\b",
        r"\breste(?:ra)? (?:à|de)\b",
        r"\bdemeure(?:ra)? (?:à|de)\b",
    ),
    rotation=_compile(r"\bremplac", r"\brelève\b", r"\brelèvent\b", r"\brotation", r"\brentr", r"\bretour\b"),
    total=_compile(
        r"# (?:\w+ )?(?:pays|nations|alliés|États)\b",
        r"\bKFOR\b.{0,25}\b(?:compte|comprend|totalise)\b.{0,20}#",
        r"\bau total\b.{0,20}#",
    ),
    percent=_compile(r"#\s?(?:%|pour ?cent\b)"),
    to_level=_compile(r"\bà (?:environ |quelque |un total de )?(#)"),
    by_change=_compile(r"\bde (#)(?! (?:soldats|militaires|hommes))"),
    elsewhere=_ELSEWHERE,
    months={
        "janvier": 1,
        "février": 2,
        "fevrier": 2,
        "mars": 3,
        "avril": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "août": 8,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "décembre": 12,
        "decembre": 12,
    },
    from_date=r"à partir de|à partir du|dès|d'ici|en|au|au mois de|début|fin|courant|d'ici à|d'ici le|pour",
    from_year=r"d'ici|d'ici à|dès|à partir de|en",
)

LEXICONS: dict[str, Lexicon] = {lexicon.lang: lexicon for lexicon in (ENGLISH, GERMAN, ITALIAN, FRENCH)}


def lexicon(lang: str) -> Lexicon | None:
    """The patterns for a language code ("de", "de-DE", "DE"), or None for a language not read."""
    return LEXICONS.get(lang.strip().lower()[:2])
