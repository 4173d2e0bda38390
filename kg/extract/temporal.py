"""A Dutch temporal tagger and normaliser.

Policy texts write time the way people talk: "27 oktober jl.", "medio januari
2019", "eind april 2024", "sinds januari 2024", "van mei 2024 tot en met mei
2025", "het afgelopen jaar". :func:`find_times` finds such expressions with a
regular grammar and normalises each to

- its value at the precision the text states (day ``2018-09-14``, week
  ``2018-W35``, month ``2017-11``, season ``2018-FA``, quarter ``2019-Q3``, half
  year ``2019-H1``, year ``2019``), an interval being ``start/end`` with an open
  side left empty;
- its earliest and latest day, so that range filters behave the same in every
  SPARQL engine;
- a modifier (start, mid, end for begin/medio/eind; approx; before; after);
- the anchor, the document date a relative expression was resolved against.

Nothing more precise than the text is ever produced: "november 2017" stays a
month. A date that cannot exist ("31 februari 2019", "45 maart", "31-02-2020") is
reported, not returned, and no part of it is read as a date.

Besides written-out dates the grammar reads numeric ones in Dutch order
("14-06-2023", "3/4/2019"), weekdays and day words counted from the document's
date ("afgelopen maandag", "volgende week dinsdag", "gisteren"), "rond de
jaarwisseling", named days ("oudejaarsdag 2018", "op nieuwjaarsdag"), and
intervals of months or years ("van april tot juni", "2016 tot en met 2019", "tot
en met in ieder geval 1 juni 2022"). A day or month without a
year takes its year from the tense of the sentence: "keerde in mei terug" is the
last May, "vertrekt in mei" the next. Typographic dashes and apostrophes read as
ASCII ones. Whatever needs the document's date is left out when there is none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.numbers import word_value
from kg.timevalue import (
    TimePoint,
    day_point,
    half_point,
    last_day,
    month_point,
    quarter_point,
    season_point,
    week_point,
    year_point,
)

MONTH_NAMES = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTHS = MONTH_NAMES | MONTH_ABBREVIATIONS
WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
    "zondag": 6,
}  # fmt: skip
# Days named by the feast or day they are: (month, day).
NAMED_DAYS = {
    "oudejaarsdag": (12, 31), "oudejaarsavond": (12, 31), "nieuwjaarsdag": (1, 1),
    "kerstavond": (12, 24), "eerste kerstdag": (12, 25), "tweede kerstdag": (12, 26),
    "kerstdag": (12, 25), "koningsdag": (4, 27), "bevrijdingsdag": (5, 5),
}  # fmt: skip
# Days named by their distance from the document's date.
DAY_WORDS = {"eergisteren": -2, "gisteren": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2}
# Typographic characters the grammar reads as their ASCII form; one character for one,
# so that offsets in the folded text are offsets in the original. The letters that
# case-insensitive matching takes for an ASCII one though their lower case is another
# ("ſeptember" matches "september", but "ſ".lower() is no "s") are folded too.
_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "´": "'", "–": "-", "—": "-", "‒": "-", "−": "-"}
    | {"ſ": "s", "ı": "i", "İ": "I", "\u212a": "K"}
)
SEASONS = {
    "voorjaar": "SP", "lente": "SP", "zomer": "SU", "najaar": "FA", "herfst": "FA", "winter": "WI",
    # parliament's recesses fall in their season
    "zomerreces": "SU", "kerstreces": "WI", "herfstreces": "FA", "voorjaarsreces": "SP",
}  # fmt: skip
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "1e": 1, "2e": 2, "3e": 3, "4e": 4}
MODIFIERS = {
    "begin": "start", "start": "start", "medio": "mid", "midden": "mid", "half": "mid",
    "halverwege": "mid", "eind": "end", "einde": "end", "ultimo": "end", "rond": "approx",
    "omstreeks": "approx", "circa": "approx", "ca.": "approx",
}  # fmt: skip
PRECISION_ORDER = ("day", "week", "month", "season", "quarter", "half", "year")

# a month name is a whole word: "mei" but not "meiboom", "juni" but not "junior"
# (an abbreviation may carry its full stop; a full name's is the sentence's), nor the
# first half of a compound ("mei-boom"; "april-juni" is two months)
_MONTH_ALTERNATIVES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = (
    "(?:(?:" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + ")"
    "|(?:" + "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)\.?)"
    rf"(?!\w)(?!-(?!(?:{_MONTH_ALTERNATIVES})\b)[^\W\d_])"
)
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + r")(?!\w)"
_DAYWORD = "(?:" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + r")(?!\w)"
# the day of a written-out date: a number of up to three digits not part of a longer
# one, so that "45 maart" and "145 maart" are impossible dates rather than "5 maart"
# or a month
_DAY = r"(?<![\d.,])\d{1,3}(?!\d)"
# words a writer puts between "tot" and the end it names: "tot en met in ieder geval 1
# juni 2022", "tot uiterlijk 31 december 2025"
_HEDGE = (
    r"(?:\s+(?:in\s+(?:ieder|elk)\s+geval|ten\s+minste|tenminste|minimaal|minstens|"
    r"uiterlijk|zeker|voorlopig|in\s+principe|in\s+beginsel|naar\s+verwachting))*"
)
_UNTIL = r"(?:tot\s+en\s+met|t/m|tot(?:\s+in)?)" + _HEDGE
_SEASON = "|".join(sorted(SEASONS, key=len, reverse=True))
_NAMED = "|".join(sorted((n.replace(" ", r"\s+") for n in NAMED_DAYS), key=len, reverse=True))
_MOD = r"begin|start|medio|midden|half|halverwege|eind|einde|ultimo|rond|omstreeks"
_YEAR = r"(?<!\d)(?:19|20)\d\d(?!\d)"  # not four digits of a longer number ("20190")
_REL = r"jl\.|j\.l\.|jongstleden|a\.s\.|aanstaande"
_YEARREL = r"(?:vorig|vorige|dit|volgend|komend|afgelopen)\s+jaar"
_NUMBER = r"\d{1,2}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|enkele"
_UNIT = r"dagen|dag|weken|week|maanden|maand|jaren|jaar|kwartalen|kwartaal"
_DEICTIC = (
    r"(?:het\s+|de\s+)?"
    r"(?:afgelopen|vorig|vorige|dit|deze|komend|komende|volgend|volgende|huidige|lopende)"
)

_NUMERIC_DATE = (
    # day-month-year in Dutch order, one separator throughout; a line break may follow
    # a separator ("14-06-\n2023"). A longer number around it (a phone number, "1.500")
    # is no date.
    r"(?<![\d.,/+-])(?:\d{1,2}-\s*\d{1,2}-\s*|\d{1,2}/\s*\d{1,2}/\s*|\d{1,2}\.\d{1,2}\.)"
    rf"{_YEAR}(?![\w/]|[.,-]\d)"
    rf"|(?<![\d.,/+-]){_YEAR}-[01]\d-[0-3]\d(?![\w/]|[.,-]\d)"
)
# Every expression starts and ends on a word boundary: "maand" is not read in
# "maandag", nor a year in "2019Z12345".
ATOM = re.compile(
    rf"""
    (?<!\w)(?:
    (?P<numdate>{_NUMERIC_DATE})
    |(?P<dayrange>{_DAY}\s*-\s*[0-3]?\d\s+{_MONTH}(?:\s+(?:{_YEAR}|{_REL}|{_YEARREL}))?)
    |(?P<daylist>(?:{_DAY}\s*(?:,\s*|\s+en\s+))+[0-3]?\d\s+{_MONTH}
        (?:\s+(?:{_YEAR}|{_REL}|{_YEARREL}))?)
    |(?P<date>(?:(?:{_MOD})(?:\s+van)?\s+)?(?:{_WEEKDAY}\s+)?{_DAY}(?:e|ste|de)?\s+{_MONTH}
        (?:\s+(?:{_YEAR}|{_REL}|{_YEARREL})|,\s*{_YEAR}(?![\w.,]))?)
    |(?P<named>(?:{_NAMED})(?!\w)(?:\s+(?:{_YEAR}|{_YEARREL}))?)
    |(?P<turn>(?:(?:{_MOD})\s+)?de\s+jaarwisseling(?:\s+(?:van\s+)?{_YEAR}\s*(?:op|naar|-|/)\s*{_YEAR})?)
    |(?P<season>(?:(?:{_MOD})(?:\s+van)?\s+)?(?:de\s+|het\s+)?(?:{_SEASON})\s+(?:van\s+)?{_YEAR})
    |(?P<dseason>(?:(?:{_MOD})(?:\s+van)?\s+)?{_DEICTIC}\s+(?:{_SEASON}))
    |(?P<bseason>(?:de|het)\s+(?:{_SEASON})(?!\s+(?:van\s+)?(?:19|20)\d\d))
    |(?P<month>(?:(?:{_MOD})(?:\s+van)?\s+)?(?:de\s+maand\s+)?{_MONTH}
        (?:\s+(?:{_YEAR}|{_REL}|(?:van\s+)?{_YEARREL}))?)
    |(?P<quarter>(?:het\s+)?(?:eerste|tweede|derde|vierde|1e|2e|3e|4e)\s+kwartaal
        (?:\s+(?:van\s+)?(?:{_YEAR}|{_YEARREL}))?|Q[1-4]\s+{_YEAR})
    |(?P<half>(?:de\s+)?(?:eerste|tweede)\s+(?:helft|jaarhelft)(?:\s+van\s+(?:het\s+jaar\s+)?
        (?:{_YEAR}|{_YEARREL}))?)
    |(?P<yearrange>{_YEAR}\s*-\s*(?:{_YEAR}|\d\d)(?![\d/])|{_YEAR}\s+{_UNTIL}\s+{_YEAR}(?![\d/]))
    |(?P<year>(?:(?:{_MOD})(?:\s+van)?\s+)?(?:het\s+jaar\s+)?{_YEAR})
    |(?P<weekday>(?:(?:afgelopen|vorige|komende|aanstaande|volgende)\s+)?
        (?:(?:vorige|volgende|komende)\s+week\s+)?{_WEEKDAY}
        (?:\s+(?:jl\.|j\.l\.|jongstleden|a\.s\.|aanstaande))?)
    |(?P<dayword>{_DAYWORD})
    |(?P<relunit>(?:(?:het\s+)?(?:{_MOD})(?:\s+van)?\s+)?{_DEICTIC}\s+(?:jaar|kalenderjaar|maand|week|
        kwartaal|halfjaar|jaarhelft)(?!\w))
    |(?P<ago>(?:{_NUMBER})\s+(?:{_UNIT})\s+geleden)
    |(?P<later>over\s+(?:{_NUMBER})\s+(?:{_UNIT})(?!\w))
    |(?P<present>momenteel|op\s+dit\s+moment|thans|op\s+het\s+moment\s+van\s+schrijven)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Words before a bare month or year that make it a time ("in 2019", "sinds mei").
CUE_BEFORE = re.compile(
    r"(?:\b(?:in|sinds|vanaf|per|tot|t/m|tot\s+en\s+met|van|voor|vóór|na|tussen|eind|begin|medio|"
    r"ultimo|jaar|jaren|kalenderjaar|najaar|voorjaar|zomer|winter|herfst|lente|rond|omstreeks|"
    r"uiterlijk|halverwege|vanuit|gedurende|tijdens|over|sedert|en|of|met\s+ingang\s+van|"
    r"heel|geheel|het|dit|dat|" + "|".join(MONTH_NAMES) + r")|[(,])\s*$",
    re.IGNORECASE,
)
# Count nouns after a number: "2000 militairen" is a count, not a year.
# After these a number is a year whatever follows ("sinds 2017 militairen aan eFP").
YEAR_CUE_BEFORE = re.compile(
    r"\b(?:sinds|vanaf|sedert|per|tot\s+en\s+met|t/m|met\s+ingang\s+van|eind|begin|medio|"
    r"ultimo)\s*$",
    re.IGNORECASE,
)
NOT_A_YEAR_AFTER = re.compile(
    r"^\s*(?:%|procent|miljoen|miljard|euro|dollar|personen|mensen|man\b|militairen|soldaten|"
    r"strijders|doden|slachtoffers|vluchtelingen|ontheemden|leden|zetels|keer|kilometer|km\b|"
    r"adviseurs|experts|deelnemers|inwoners)",
    re.IGNORECASE,
)
NOT_A_YEAR_BEFORE = re.compile(
    r"(?:€|\$|EUR|USD|nr\.|nrs\.|artikel|resolutie|Kamerstuk|stuk|blz\.|pagina|vraag|[\d.,])\s*$",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:zal|zullen|zou|zouden|gaat|gaan|verwacht|verwachte|verwachting|gepland|voornemens|komende|komend|"
    r"aanstaande|a\.s\.|voorzien|beoogd|beoogt|streeft)\b",
    re.IGNORECASE,
)
# The finite verb's tense, for a day or month written without a year. Past: past
# auxiliaries and common strong past forms, a perfect (auxiliary and participle), or a
# weak past in -de/-te (checked in _tense). The present tense of a plan ("vertrekt in
# mei") looks forward.
PAST = re.compile(
    r"\b(?:was|waren|werd|werden|had|hadden|kon|konden|moest|moesten|wilde|wilden|mocht|"
    r"mochten|kwam|kwamen|ging|gingen|bleef|bleven|stond|stonden|lag|lagen|zat|zaten|deed|"
    r"deden|nam|namen|gaf|gaven|sprak|spraken|vond|vonden|begon|begonnen|trad|traden|liet|"
    r"droeg|droegen|"
    r"lieten|hield|hielden|kreeg|kregen|zag|zagen|vertrok|vertrokken|sloot|sloten|besloot|"
    r"besloten|schreef|schreven|bracht|brachten|dacht|dachten|zocht|zochten|koos|kozen|viel|"
    r"vielen|ontving|ontvingen|liep|liepen|trok|trokken|vloog|vlogen|won|wonnen|verloor|"
    r"verloren|vocht|vochten|bood|boden|stierf|stierven|bezocht|bezochten|sneuvelde|"
    r"sneuvelden|vergaderde|vergaderden)\b",
    re.IGNORECASE,
)
PERFECT_AUX = re.compile(r"\b(?:is|zijn|heeft|hebben|ben|bent)\b", re.IGNORECASE)
PARTICIPLE = re.compile(
    r"\b(?:\w*ge\w{2,}(?:d|t|en)|(?:be|ver|ont|her|er)\w{2,}(?:d|t))\b", re.IGNORECASE
)
WEAK_PAST = re.compile(r"(?<!\bde )(?<!\bhet )(?<!\been )\b\w{2,}(?:de|te)n?\b", re.IGNORECASE)
# -de(n)/-te(n) words that are no past tense: ordinals, participles used as adjectives,
# nouns ("ruimte", "leden", "kosten"), infinitives and present plurals ("worden",
# "houden", "laten")
NOT_WEAK_PAST = re.compile(
    r"^(?:\w*(?:tweede|derde|vierde|fde|sde|nde|tiende|beide|ruimte|hoogte|lengte|breedte|"
    r"diepte|grootte|mate|rente|gemeente|zijde|orde|aarde|vrede|grote|late|korte|vaste|"
    r"gehele|hele|vele|weide|verenigde|genoemde|bedoelde|gestelde|ede|"
    r"heden|iteiten|aten|ieden|eden|ijden|ouden|inden|eiden|elden|enden|anden|onden|unten|"
    r"eiten|ieten|uten|osten|chten|etten|itten|eten|oten|oden|orden|enten|anten|inten|arten|"
    r"erten|uiten|honderden|duizenden|miljarden|waarden))$",
    re.IGNORECASE,
)
# a day or month after these words lies before the document: "sinds mei", "de brief
# van 28 oktober"
BACKWARD_CUE = re.compile(
    r"\b(?:sinds|sedert|(?:brief|brieven|rapportage|verslag|motie|nota|besluit)\w*\s+"
    r"(?:van|d\.d\.))\s*$",
    re.IGNORECASE,
)
# words before a number that make it a reference, not a date
NUMBER_BEFORE = re.compile(
    r"(?:nr\.|nrs\.|nummer|artikel|kenmerk|zaak|referentie|stuk|blz\.|pagina|tel\.?|telefoon|"
    r"fax)\s*$",
    re.IGNORECASE,
)
# weekdays said of a habit, not a date: "elke maandag", "op de dinsdag"
HABIT_BEFORE = re.compile(r"\b(?:elke|iedere|ieder|elk|de|alle|op\s+de)\s+$", re.IGNORECASE)
# "de morgen", "'s morgens", "de wereld van morgen": the morning or the future, not a day
NOT_A_DAY_BEFORE = re.compile(
    r"(?:\b(?:de|deze|die|elke|iedere|van|volgende|hele|vroeg|tot)|'s)\s+$", re.IGNORECASE
)
INTERVAL_JOIN = re.compile(rf"^\s*(?:{_UNTIL}|-|en)\s*$", re.IGNORECASE)
LIST_JOIN = re.compile(r"^\s*(?:,|en|of)\s*$", re.IGNORECASE)
START_CUE = re.compile(
    r"\b(?:sinds|vanaf|per|met\s+ingang\s+van|sedert|vanuit|niet\s+eerder\s+dan)"
    rf"{_HEDGE}\s*$",
    re.IGNORECASE,
)
END_CUE = re.compile(rf"\b{_UNTIL}\s*$", re.IGNORECASE)
BEFORE_CUE = re.compile(r"\b(?:vóór|uiterlijk|voorafgaand\s+aan)\s*$", re.IGNORECASE)
AFTER_CUE = re.compile(r"\b(?:na|later\s+dan|pas\s+na)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression found in text, normalised.

    A point has ``begin == finish``; an interval has two sides, either of which may
    be open (None). ``start``/``end`` are offsets in the searched text.
    """

    start: int
    end: int
    text: str
    begin: TimePoint | None
    finish: TimePoint | None
    modifier: str | None = None
    anchor: str | None = None  # ISO date a relative expression was resolved against
    present: bool = False  # "momenteel": the document's own time

    @property
    def is_interval(self) -> bool:
        return self.begin != self.finish

    @property
    def bounded(self) -> bool:
        """An interval with both sides stated ("van 2018 tot 2020"), not a point."""
        return self.begin is not None and self.finish is not None and self.is_interval

    @property
    def value(self) -> str:
        if not self.is_interval and self.begin is not None:
            return self.begin.value
        left = self.begin.value if self.begin else ""
        right = self.finish.value if self.finish else ""
        return f"{left}/{right}"

    @property
    def precision(self) -> str:
        sides = [p.precision for p in (self.begin, self.finish) if p is not None]
        return min(sides, key=PRECISION_ORDER.index) if sides else "day"

    @property
    def earliest(self) -> dt.date | None:
        return self.begin.earliest if self.begin else None

    @property
    def latest(self) -> dt.date | None:
        return self.finish.latest if self.finish else None


@dataclass(frozen=True, slots=True)
class Problem:
    """A time expression that was found but cannot be stored, and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(slots=True)
class _Atom:
    """A time expression before it is joined with its neighbours."""

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unit: str | None = None  # season/quarter/half code, relative unit
    modifier: str | None = None
    rel: str | None = None  # past, future, this (for "jl.", "a.s.", "dit jaar")
    offset: int = 0  # years (or units) from the anchor for relative expressions
    year_span: tuple[int, int] | None = None


def narrow(point: TimePoint, modifier: str | None) -> TimePoint:
    """Bounds for begin/medio/eind: the first, middle or last third of the unit.

    >>> p = narrow(month_point(2019, 1), "mid")
    >>> p.value, p.earliest.isoformat(), p.latest.isoformat()
    ('2019-01', '2019-01-11', '2019-01-20')
    >>> narrow(year_point(2016), "start").latest.isoformat()
    '2016-04-30'
    """
    if modifier not in ("start", "mid", "end") or point.precision == "day":
        return point
    if point.precision == "month":
        last = point.latest.day
        ranges = {"start": (1, 10), "mid": (11, 20), "end": (21, last)}
        low, high = ranges[modifier]
        return replace(
            point, earliest=point.earliest.replace(day=low), latest=point.earliest.replace(day=high)
        )
    if point.precision == "year":
        year = point.earliest.year
        months = {"start": (1, 4), "mid": (5, 8), "end": (9, 12)}[modifier]
        return replace(
            point,
            earliest=dt.date(year, months[0], 1),
            latest=dt.date(year, months[1], last_day(year, months[1])),
        )
    days = (point.latest - point.earliest).days + 1
    third = days // 3
    offsets = {"start": (0, third - 1), "mid": (third, 2 * third - 1), "end": (2 * third, days - 1)}
    low, high = offsets[modifier]
    return replace(
        point,
        earliest=point.earliest + dt.timedelta(days=low),
        latest=point.earliest + dt.timedelta(days=high),
    )


def _modifier(text: str) -> tuple[str | None, str]:
    """Split a leading begin/medio/eind word off an expression."""
    match = re.match(rf"(?P<mod>{_MOD})(?:\s+van)?\s+", text, re.IGNORECASE)
    if match is None:
        return None, text
    return MODIFIERS[match["mod"].lower()], text[match.end() :]


def _year_tail(text: str) -> tuple[int | None, str | None, int]:
    """The year, relative marker or relative year at the end of a date."""
    year = re.search(rf"({_YEAR})\s*$", text)
    if year:
        return int(year.group(1)), None, 0
    if re.search(rf"(?:{_REL})\s*$", text, re.IGNORECASE):
        past = re.search(r"(?:jl\.|j\.l\.|jongstleden)\s*$", text, re.IGNORECASE)
        return None, "past" if past else "future", 0
    rel = re.search(rf"({_YEARREL})\s*$", text, re.IGNORECASE)
    if rel:
        word = rel.group(1).split()[0].lower()
        offset = {"vorig": -1, "vorige": -1, "afgelopen": -1, "dit": 0, "volgend": 1, "komend": 1}
        return None, "this", offset[word]
    return None, None, 0


def _atoms(text: str, start: int, end: int) -> Iterator[_Atom | Problem]:
    for match in ATOM.finditer(text, start, end):
        kind = match.lastgroup or ""
        raw = match.group(0)
        modifier, rest = _modifier(raw)
        if kind == "daylist":
            yield from _daylist(match, rest)
            continue
        if kind == "dayrange":
            yield from _dayrange(match)
            continue
        if kind == "numdate":
            numeric = _numeric_date(match, text)
            if numeric is not None:
                yield numeric
            continue
        if kind == "date":
            day_match = re.search(r"(\d{1,2})(?:e|ste|de)?\s+" + _MONTH, rest, re.IGNORECASE)
            month_match = re.search(rf"\b({_MONTH})", rest, re.IGNORECASE)
            assert day_match and month_match
            if "," in rest and NOT_A_YEAR_AFTER.match(text[match.end() : match.end() + 20]):
                # "op 3 maart, 2000 militairen": the number after the comma is a count
                comma = match.start() + raw.index(",")
                match_end, rest = comma, rest[: rest.index(",")]
                raw = text[match.start() : comma]
            else:
                match_end = match.end()
            year, rel, offset = _year_tail(rest)
            day, month = int(day_match.group(1)), _month_number(month_match.group(1))
            if (
                not 1 <= day <= 31
                or (year is not None and day > last_day(year, month))
                or (day > last_day(2000, month))
            ):
                yield Problem(match.start(), match_end, raw, f"no such date: {raw}")
                continue
            yield _Atom(
                match.start(), match_end, "day", year, month, day, None, modifier, rel, offset
            )
        elif kind == "named":
            # "oudejaarsdag 2018", "op nieuwjaarsdag": the day of the feast
            spoken = " ".join(rest.lower().split())
            name = next(n for n in NAMED_DAYS if spoken.startswith(n))
            month, day = NAMED_DAYS[name]
            year, rel, offset = _year_tail(rest)
            yield _Atom(
                match.start(), match.end(), "day", year, month, day, None, modifier, rel, offset
            )
        elif kind == "month":
            month_match = re.search(rf"\b({_MONTH})", rest, re.IGNORECASE)
            assert month_match
            name = month_match.group(1).lower().rstrip(".")
            year, rel, offset = _year_tail(rest)
            cue = CUE_BEFORE.search(text, max(0, match.start() - 30), match.start())
            if year is None and rel is None and modifier is None and cue is None:
                continue  # "mei" alone is not taken as a time without a cue
            # "jan", "dec" are also names and words: without a year only with their full
            # stop and a cue ("in jan.", "sinds sept.")
            bare = year is None and rel is None
            if (
                name in MONTH_ABBREVIATIONS
                and bare
                and not (month_match.group(1)[-1] == "." and cue)
            ):
                continue
            yield _Atom(
                match.start(), match.end(), "month", year, MONTHS[name], None, None, modifier,
                rel, offset,
            )  # fmt: skip
        elif kind == "turn":
            turn = [int(y) for y in re.findall(_YEAR, rest)]
            if turn and turn[1] != turn[0] + 1:
                continue  # "de jaarwisseling van 2019 op 2021" names no one turn
            yield _Atom(
                match.start(), match.end(), "turn", turn[0] if turn else None,
                modifier=modifier, rel=None if turn else "nearest",
            )  # fmt: skip
        elif kind == "weekday":
            if HABIT_BEFORE.search(text, max(0, match.start() - 12), match.start()):
                continue
            yield _weekday(match)
        elif kind == "dayword":
            word = raw.lower()
            before = text[max(0, match.start() - 12) : match.start()]
            if word == "morgen" and NOT_A_DAY_BEFORE.search(before):
                continue
            if word == "vandaag" and re.match(r"\s+de\s+dag\b", text[match.end() :]):
                continue  # "vandaag de dag": nowadays
            yield _Atom(
                match.start(), match.end(), "shift", unit="dag", rel="this",
                offset=DAY_WORDS[word],
            )  # fmt: skip
        elif kind in ("season", "dseason", "bseason"):
            # "de zomer van 2020", "dit najaar", "na het zomerreces"
            season = re.search(rf"({_SEASON})", rest, re.IGNORECASE)
            assert season
            code = SEASONS[season.group(1).lower()]
            year_match = re.search(rf"({_YEAR})", rest)
            before = text[max(0, match.start() - 30) : match.start()]
            if kind == "bseason" and CUE_BEFORE.search(before) is None:
                continue  # "de zomer" alone, without "in", "na", "voor", is not a time
            year = int(year_match.group(1)) if year_match else None
            rel = None if year else "this" if kind == "dseason" else "nearest"
            offset = _deictic_offset(rest) if kind == "dseason" else 0
            yield _Atom(
                match.start(), match.end(), "season", year, unit=code, modifier=modifier,
                rel=rel, offset=offset,
            )  # fmt: skip
        elif kind in ("quarter", "half"):
            ordinal = re.search(
                r"(eerste|tweede|derde|vierde|1e|2e|3e|4e|Q[1-4])", rest, re.IGNORECASE
            )
            assert ordinal
            word = ordinal.group(1).lower()
            number = int(word[1]) if word.startswith("q") else ORDINALS[word]
            year, rel, offset = _year_tail(rest)
            rel = rel or ("this" if year is None else None)
            yield _Atom(
                match.start(), match.end(), kind, year, unit=str(number), rel=rel, offset=offset
            )
        elif kind == "yearrange":
            years = re.findall(r"\d+", raw)
            first = int(years[0])
            second = int(years[1]) if len(years[1]) == 4 else first // 100 * 100 + int(years[1])
            before = text[max(0, match.start() - 12) : match.start()]
            if second <= first or second - first > 30 or NOT_A_YEAR_BEFORE.search(before):
                continue
            yield _Atom(match.start(), match.end(), "yearrange", year_span=(first, second))
        elif kind == "year":
            year_match = re.search(rf"({_YEAR})", rest)
            assert year_match
            before = text[max(0, match.start() - 30) : match.start()]
            after = text[match.end() : match.end() + 20]
            cued = CUE_BEFORE.search(before) and not NOT_A_YEAR_BEFORE.search(before)
            if modifier is None and not rest.lower().startswith("het jaar") and not cued:
                continue
            strong = YEAR_CUE_BEFORE.search(before) is not None
            if (NOT_A_YEAR_AFTER.match(after) and not strong) or re.match(r"^[\w/]|^-\d", after):
                continue
            yield _Atom(
                match.start(), match.end(), "year", int(year_match.group(1)), modifier=modifier
            )
        elif kind == "relunit":
            unit = re.search(
                r"(kalenderjaar|jaarhelft|halfjaar|kwartaal|maand|week|jaar)\s*$",
                rest,
                re.IGNORECASE,
            )
            assert unit
            offset = _deictic_offset(rest)
            yield _Atom(
                match.start(),
                match.end(),
                "relunit",
                unit=unit.group(1).lower(),
                modifier=modifier,
                rel="this",
                offset=offset,
            )
        elif kind in ("ago", "later"):
            parts = re.search(rf"({_NUMBER})\s+({_UNIT})", raw, re.IGNORECASE)
            assert parts
            count = int(parts.group(1)) if parts.group(1).isdigit() else word_value(parts.group(1))
            if count is None:
                continue  # "enkele weken geleden": no number to count back
            sign = -1 if kind == "ago" else 1
            yield _Atom(
                match.start(),
                match.end(),
                "shift",
                unit=parts.group(2).lower(),
                rel="this",
                offset=sign * count,
            )
        elif kind == "present":
            yield _Atom(match.start(), match.end(), "present", rel="this")


def _month_number(name: str) -> int:
    """The number of a month name or abbreviation, with or without its full stop."""
    return MONTHS[name.lower().rstrip(".")]


def _daylist(match: re.Match[str], rest: str) -> Iterator[_Atom | Problem]:
    """ "7 en 8 juni jl.", "1, 2 en 3 mei 2019": days sharing a month and year."""
    month_match = re.search(rf"\b({_MONTH})", rest, re.IGNORECASE)
    assert month_match
    month = _month_number(month_match.group(1))
    year, rel, offset = _year_tail(rest)
    for day_match in re.finditer(
        r"[0-3]?\d(?=\s*(?:,|en\b|\s+(?:" + _MONTH + r")))", match.group(0), re.IGNORECASE
    ):
        day = int(day_match.group(0))
        begin, finish = match.start() + day_match.start(), match.start() + day_match.end()
        if not 1 <= day <= last_day(year or 2000, month):
            yield Problem(
                begin, finish, day_match.group(0), f"no such date: {day} {month_match.group(1)}"
            )
            continue
        yield _Atom(begin, finish, "day", year, month, day, None, None, rel, offset)


def _dayrange(match: re.Match[str]) -> Iterator[_Atom | Problem]:
    """ "7-8 augustus 2023": two days of one month, as an interval."""
    days = re.match(r"([0-3]?\d)\s*[-–]\s*([0-3]?\d)", match.group(0))
    month_match = re.search(rf"\b({_MONTH})", match.group(0), re.IGNORECASE)
    assert days and month_match
    month = _month_number(month_match.group(1))
    year, rel, offset = _year_tail(match.group(0))
    first, last = int(days.group(1)), int(days.group(2))
    if not 1 <= first < last <= last_day(year or 2000, month):
        yield Problem(match.start(), match.end(), match.group(0), f"no such days: {match.group(0)}")
        return
    yield _Atom(
        match.start(),
        match.start() + days.end(1),
        "day",
        year,
        month,
        first,
        None,
        None,
        rel,
        offset,
    )
    yield _Atom(
        match.start() + days.start(2),
        match.end(),
        "day",
        year,
        month,
        last,
        None,
        None,
        rel,
        offset,
    )


def _numeric_date(match: re.Match[str], text: str) -> _Atom | Problem | None:
    """ "14-06-2023", "3/4/2019" (day, month, year), "2023-06-14" (ISO): a day, or a
    problem where no such day exists ("31-02-2020")."""
    raw = match.group(0)
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    year, month, day = numbers if numbers[0] > 31 else reversed(numbers)
    try:
        dt.date(year, month, day)
    except ValueError:
        return Problem(match.start(), match.end(), raw, f"no such date: {raw}")
    if NUMBER_BEFORE.search(text, max(0, match.start() - 12), match.start()):
        return None  # "nr. 12-3-2019", "kenmerk 1-2-2020": a number, not a date
    return _Atom(match.start(), match.end(), "day", year, month, day)


def _weekday(match: re.Match[str]) -> _Atom:
    """ "afgelopen maandag", "dinsdag jl.", "volgende week dinsdag", "op maandag": a day
    counted from the document's date (see _weekday_point). ``rel`` says which way:
    past, future, or None for a bare weekday, which follows the tense."""
    raw = match.group(0).lower()
    name = re.search(_WEEKDAY, raw)
    assert name
    day = WEEKDAYS[name.group(0)]
    week = re.search(r"(vorige|volgende|komende)\s+week", raw)
    if week:
        offset = -1 if week.group(1) == "vorige" else 1
        return _Atom(match.start(), match.end(), "weekday", day=day, unit="week", offset=offset)
    if re.search(r"^(?:afgelopen|vorige)|jl\.|j\.l\.|jongstleden", raw):
        return _Atom(match.start(), match.end(), "weekday", day=day, rel="past")
    if re.search(r"^(?:komende|aanstaande|volgende)|a\.s\.|aanstaande$", raw):
        return _Atom(match.start(), match.end(), "weekday", day=day, rel="future")
    return _Atom(match.start(), match.end(), "weekday", day=day)


def _deictic_offset(text: str) -> int:
    word = re.search(
        r"(afgelopen|vorig|vorige|dit|deze|komend|komende|volgend|volgende|huidige|lopende)",
        text,
        re.IGNORECASE,
    )
    assert word
    return {
        "afgelopen": -1,
        "vorig": -1,
        "vorige": -1,
        "komend": 1,
        "komende": 1,
        "volgend": 1,
        "volgende": 1,
    }.get(word.group(1).lower(), 0)


def _point(atom: _Atom, anchor: dt.date | None, tense: str) -> TimePoint | None:
    """The time an atom stands for, resolving relative ones against ``anchor``.

    ``tense`` is "past", "present" or "future": which way a day or month without a
    year lies from the anchor. Returns None where the atom cannot be resolved (a
    relative expression and no anchor).
    """
    future = tense == "future"
    if atom.kind in ("yearrange", "turn"):
        return None
    if atom.kind == "day":
        assert atom.month is not None and atom.day is not None
        year = atom.year if atom.year is not None else _relative_year(atom, anchor, tense)
        if year is None:
            return None
        try:
            return day_point(dt.date(year, atom.month, atom.day))
        except ValueError:
            return None
    if atom.kind == "month":
        assert atom.month is not None
        year = atom.year if atom.year is not None else _relative_year(atom, anchor, tense)
        return narrow(month_point(year, atom.month), atom.modifier) if year is not None else None
    if atom.kind == "year":
        assert atom.year is not None
        return narrow(year_point(atom.year), atom.modifier)
    if atom.kind == "season":
        assert atom.unit is not None
        year = atom.year if atom.year is not None else _season_year(atom, anchor, future)
        return narrow(season_point(year, atom.unit), atom.modifier) if year is not None else None
    if atom.kind in ("quarter", "half"):
        assert atom.unit is not None
        if atom.year is None and anchor is None:
            return None
        year = atom.year if atom.year is not None else anchor.year + atom.offset  # type: ignore[union-attr]
        return (quarter_point if atom.kind == "quarter" else half_point)(year, int(atom.unit))
    if anchor is None:
        return None
    if atom.kind == "relunit":
        return narrow(_relunit(atom, anchor), atom.modifier)
    if atom.kind == "shift":
        return _shift(atom, anchor)
    if atom.kind == "weekday":
        return _weekday_point(atom, anchor, tense)
    return None


def _relative_year(atom: _Atom, anchor: dt.date | None, tense: str) -> int | None:
    """The year of a day or month written without one: "27 oktober jl." is the last
    27 October before the anchor, "24 mei a.s." the next; "december vorig jaar"; a
    bare "in mei" lies back in a past-tense sentence and ahead in one in the present or
    future tense ("keerde in mei terug", "vertrekt in mei")."""
    if anchor is None:
        return None
    if atom.rel == "this":
        return anchor.year + atom.offset
    assert atom.month is not None
    forward = atom.rel == "future" or (atom.rel is None and tense != "past")
    day = atom.day or (1 if forward else last_day(anchor.year, atom.month))
    if atom.day is None:  # a month: this month counts as past and as next
        if forward:
            return anchor.year if atom.month >= anchor.month else anchor.year + 1
        return anchor.year if atom.month <= anchor.month else anchor.year - 1
    this_year = dt.date(anchor.year, atom.month, min(day, last_day(anchor.year, atom.month)))
    if forward:
        return anchor.year if this_year >= anchor else anchor.year + 1
    return anchor.year if this_year <= anchor else anchor.year - 1


def _weekday_point(atom: _Atom, anchor: dt.date, tense: str) -> TimePoint | None:
    """The day a weekday names: "afgelopen maandag" (and a bare "op maandag" in the
    past tense) the last Monday before the anchor, "komende maandag" (or a bare one in
    the future tense) the next after it, "volgende week dinsdag" the Tuesday of the
    week after the anchor's. A bare weekday in the present tense is a habit ("de
    training is op maandag"): None."""
    assert atom.day is not None
    if atom.unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=atom.offset)
        return day_point(monday + dt.timedelta(days=atom.day))
    way = atom.rel or {"past": "past", "future": "future"}.get(tense)
    if way is None:
        return None
    if way == "past":
        back = (anchor.weekday() - atom.day) % 7 or 7
        return day_point(anchor - dt.timedelta(days=back))
    ahead = (atom.day - anchor.weekday()) % 7 or 7
    return day_point(anchor + dt.timedelta(days=ahead))


def _turn(atom: _Atom, anchor: dt.date | None, tense: str) -> tuple[TimePoint, TimePoint] | None:
    """ "rond de jaarwisseling (van 2019 op 2020)": the last third of December to the
    first of January. Without years it is the last turn before the anchor, or in the
    present or future tense the next one; None without either."""
    if atom.year is not None:
        year = atom.year
    elif anchor is None:
        return None
    else:
        year = anchor.year - 1 if tense == "past" else anchor.year
    return narrow(month_point(year, 12), "end"), narrow(month_point(year + 1, 1), "start")


def _tense(text: str, start: int, end: int) -> str:
    """The tense of ``text[start:end]``: "future" where a word speaks of what is to
    come (zal, gepland, verwacht), "past" where a past or perfect verb stands,
    otherwise "present".

    >>> _tense("De eenheid vertrekt in mei.", 0, 26), _tense("Zij keerde in mei terug.", 0, 24)
    ('present', 'past')
    """
    if FUTURE.search(text, start, end):
        return "future"
    if PAST.search(text, start, end):
        return "past"
    if PERFECT_AUX.search(text, start, end) and PARTICIPLE.search(text, start, end):
        return "past"
    for word in WEAK_PAST.finditer(text, start, end):
        if not NOT_WEAK_PAST.match(word.group(0)):
            return "past"
    return "present"


def _season_year(atom: _Atom, anchor: dt.date | None, future: bool = False) -> int | None:
    """The year of "dit najaar" (the anchor's), "vorige zomer", or of "het zomerreces"
    said without a year: this year's, or the next one's where it has passed and the
    text speaks of the future."""
    if anchor is None:
        return None
    if atom.rel != "nearest" or atom.unit is None:
        return anchor.year + atom.offset
    this = season_point(anchor.year, atom.unit)
    if future and this.latest < anchor:
        return anchor.year + 1
    if not future and this.earliest > anchor:
        return anchor.year - 1
    return anchor.year


def _relunit(atom: _Atom, anchor: dt.date) -> TimePoint:
    unit, offset = atom.unit, atom.offset
    if unit in ("jaar", "kalenderjaar"):
        return year_point(anchor.year + offset)
    if unit == "maand":
        month = anchor.month + offset
        year = anchor.year + (month - 1) // 12
        return month_point(year, (month - 1) % 12 + 1)
    if unit == "week":
        return week_point(anchor + dt.timedelta(weeks=offset))
    if unit == "kwartaal":
        quarter = (anchor.month - 1) // 3 + 1 + offset
        year = anchor.year + (quarter - 1) // 4
        return quarter_point(year, (quarter - 1) % 4 + 1)
    half = (1 if anchor.month <= 6 else 2) + offset
    year = anchor.year + (half - 1) // 2
    return half_point(year, (half - 1) % 2 + 1)


def _shift(atom: _Atom, anchor: dt.date) -> TimePoint:
    unit, count = atom.unit or "", atom.offset
    if unit.startswith("dag"):
        return day_point(anchor + dt.timedelta(days=count))
    if unit.startswith("we"):
        return week_point(anchor + dt.timedelta(weeks=count))
    if unit.startswith("maand"):
        month = anchor.month + count
        return month_point(anchor.year + (month - 1) // 12, (month - 1) % 12 + 1)
    if unit.startswith("kwarta"):
        month = anchor.month + 3 * count
        year = anchor.year + (month - 1) // 12
        return quarter_point(year, ((month - 1) % 12) // 3 + 1)
    return year_point(anchor.year + count)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _share(first: _Atom, second: _Atom) -> _Atom:
    """A date written without a year takes the year (or "jl.") of the date it is
    joined to: "29 januari en 9 september 2016", "van 1 januari tot en met 31
    december 2019", "van mei tot juli 2020"."""
    if first.kind in ("day", "month") and first.year is None and first.rel is None:
        return replace(first, year=second.year, rel=second.rel, offset=second.offset)
    return first


@lru_cache(maxsize=8)
def _folded(text: str) -> str:
    """``text`` with typographic apostrophes and dashes as ASCII ones, offsets kept.

    Cached: find_times is called once per sentence with the whole document's text.
    """
    return text.translate(_FOLD)


def _is_relative(atom: _Atom) -> bool:
    """Whether an atom needs the document's date: "jl.", "dit jaar", "in mei", "gisteren"."""
    if atom.kind in ("day", "month", "turn"):
        return atom.rel is not None or atom.year is None
    return atom.rel is not None or atom.kind in ("weekday", "relunit", "shift")


def _pair(
    first: _Atom, second: _Atom, anchor: dt.date | None, tense: str
) -> tuple[TimePoint | None, TimePoint | None]:
    """The two sides of "van april tot juni", resolved together: where neither side
    has a year, one side is resolved by the tense and the other follows it, so that
    the interval does not run backwards."""
    bare = (
        first.kind in ("day", "month")
        and second.kind in ("day", "month")
        and first.year is None is second.year
        and first.rel is None is second.rel
    )
    if not bare or anchor is None:
        return _point(first, anchor, tense), _point(second, anchor, tense)
    order = (first.month or 0, first.day or 0) > (second.month or 0, second.day or 0)
    if tense == "past":
        right = _point(second, anchor, tense)
        if right is None:
            return None, None
        year = right.earliest.year - (1 if order else 0)
        return _point(replace(first, year=year), anchor, tense), right
    left = _point(first, anchor, tense)
    if left is None:
        return None, None
    year = left.earliest.year + (1 if order else 0)
    return left, _point(replace(second, year=year), anchor, tense)


def find_times(
    text: str, anchor: dt.date | None = None, start: int = 0, end: int | None = None
) -> tuple[list[TimeExpr], list[Problem]]:
    """Time expressions in ``text[start:end]``, normalised against ``anchor``.

    ``text`` is plain text (a sentence, or a whole document with ``start``/``end``
    marking the sentence), ``anchor`` the document's date. Returns the expressions
    found, in order, and the problems (impossible dates). An expression that needs
    the document's date ("27 oktober jl.", "vorig jaar", "in mei", "gisteren") is
    left out when ``anchor`` is None: nothing is guessed.

    >>> times, _ = find_times("Op 27 oktober jl. trad de regering aan.", dt.date(2022, 12, 13))
    >>> [(t.text, t.value, t.precision) for t in times]
    [('27 oktober jl.', '2022-10-27', 'day')]
    >>> times, _ = find_times("van mei 2024 tot en met mei 2025")
    >>> times[0].value, times[0].earliest.isoformat(), times[0].latest.isoformat()
    ('2024-05/2025-05', '2024-05-01', '2025-05-31')
    >>> [t.value for t in find_times("De eenheid vertrekt in mei.", dt.date(2024, 3, 1))[0]]
    ['2024-05']
    """
    stop = len(text) if end is None else end
    original, text = text, _folded(text)
    atoms: list[_Atom] = []
    problems: list[Problem] = []
    for found in _atoms(text, start, stop):
        if isinstance(found, Problem):
            problems.append(replace(found, text=original[found.start : found.end]))
        else:
            atoms.append(found)
    if not atoms:
        return [], problems  # most sentences name no time: their tense is not needed
    tense = _tense(text, start, stop)
    out: list[TimeExpr] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        before = text[max(start, atom.start - 40) : atom.start]
        between = text[atom.end : nxt.start] if nxt is not None else ""
        # "sinds mei", "de brief van 28 oktober": whatever the verb, that lies behind
        way = "past" if BACKWARD_CUE.search(before) else tense
        if atom.kind == "present":
            out.append(_present(original, atom, anchor))
            i += 1
            continue
        rolling = re.match(
            r"(?:het\s+|de\s+)?(?P<way>afgelopen|komende|komend)\s+jaar$",
            text[atom.start : atom.end],
            re.IGNORECASE,
        )
        if atom.kind == "relunit" and rolling and anchor is not None:
            # "het afgelopen jaar", "het komende jaar": the twelve months before or
            # after the document, at the precision of years
            back = rolling["way"].lower() == "afgelopen"
            year0 = anchor.year - 1 if back else anchor.year
            early = replace(year_point(year0), earliest=_shift_year(anchor, -1) if back else anchor)
            late = replace(year_point(year0 + 1), latest=anchor if back else _shift_year(anchor, 1))
            expr = original[atom.start : atom.end]
            out.append(TimeExpr(atom.start, atom.end, expr, early, late, None, anchor.isoformat()))
            i += 1
            continue
        if atom.kind == "yearrange":
            assert atom.year_span is not None
            a, b = atom.year_span
            expr = original[atom.start : atom.end]
            out.append(TimeExpr(atom.start, atom.end, expr, year_point(a), year_point(b)))
            i += 1
            continue
        if atom.kind == "turn":
            sides = _turn(atom, anchor, way)
            if sides is not None:
                used = anchor.isoformat() if anchor and atom.year is None else None
                expr = original[atom.start : atom.end]
                hedge = _cue_modifier(before) or "approx"
                out.append(TimeExpr(atom.start, atom.end, expr, *sides, hedge, used))
            i += 1
            continue
        link = between.strip().lower()
        interval = (
            nxt is not None
            and nxt.kind not in ("present", "yearrange", "turn")
            and INTERVAL_JOIN.match(between) is not None
            and (link != "en" or re.search(r"\btussen\s*$", before, re.IGNORECASE) is not None)
        )
        if interval and nxt is not None:
            first = _share(atom, nxt)
            left, right = _pair(first, nxt, anchor, way)
            if left is not None and right is not None and left.earliest <= right.latest:
                relative = _is_relative(first) or _is_relative(nxt)
                anchor_used = anchor.isoformat() if anchor and relative else None
                expr = original[atom.start : nxt.end]
                out.append(TimeExpr(atom.start, nxt.end, expr, left, right, None, anchor_used))
                i += 2
                continue
        if nxt is not None and LIST_JOIN.match(between):
            atom = _share(atom, nxt)
        point = _point(atom, anchor, way)
        if point is None:
            i += 1
            continue
        anchor_used = anchor.isoformat() if anchor and _is_relative(atom) else None
        expr_text = original[atom.start : atom.end]
        if START_CUE.search(before):
            out.append(TimeExpr(atom.start, atom.end, expr_text, point, None, None, anchor_used))
        elif END_CUE.search(before):
            out.append(TimeExpr(atom.start, atom.end, expr_text, None, point, None, anchor_used))
        else:
            modifier: str | None = _cue_modifier(before) or atom.modifier
            out.append(
                TimeExpr(atom.start, atom.end, expr_text, point, point, modifier, anchor_used)
            )
        i += 1
    return out, problems


def _cue_modifier(before: str) -> str | None:
    """ "before" after "vóór"/"uiterlijk", "after" after "na"; else None."""
    if BEFORE_CUE.search(before):
        return "before"
    if AFTER_CUE.search(before):
        return "after"
    return None


def _present(text: str, atom: _Atom, anchor: dt.date | None) -> TimeExpr:
    point = day_point(anchor) if anchor is not None else None
    return TimeExpr(
        atom.start,
        atom.end,
        text[atom.start : atom.end],
        point,
        point,
        None,
        anchor.isoformat() if anchor else None,
        present=True,
    )


@dataclass(frozen=True, slots=True)
class CalendarDate:
    """An absolute day or month, with its place in the searched text."""

    year: int
    month: int
    day: int | None
    start: int
    end: int

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month"

    @property
    def iso(self) -> str:
        """ISO 8601 at the stated precision: "2018-09-14" or "2017-11"."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)


ABSOLUTE_DATE = re.compile(
    rf"(?<![\w-])(?:(?P<day>[0-3]?\d)\s+)?(?P<month>{_MONTH})\.?\s+(?P<year>{_YEAR})(?!\d)",
    re.IGNORECASE,
)


def find_dates(text: str, start: int = 0, end: int | None = None) -> Iterator[CalendarDate]:
    """Absolute dates ("14 september 2018", "november 2017") in ``text[start:end]``.

    Impossible dates are skipped.

    >>> text = "op 14 september 2018 en in november 2017, niet 31 februari 2019"
    >>> [d.iso for d in find_dates(text)]
    ['2018-09-14', '2017-11']
    """
    text = _folded(text)
    for match in ABSOLUTE_DATE.finditer(text, start, len(text) if end is None else end):
        year = int(match["year"])
        month = _month_number(match["month"])
        day = int(match["day"]) if match["day"] else None
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                continue
        yield CalendarDate(year, month, day, match.start(), match.end())
