"""Numbers as Dutch texts write them: digits with a thousands dot and a decimal
comma ("1.500", "1,8", "239.000,-"), a thin or non-breaking space between the
thousands ("1 500"), number words, compounds included ("honderdvijfenveertig",
"tweeëntwintig", "één"), fractions ("anderhalf", "tweeënhalf", "een kwart"),
round counts that are approximate ("een tiental", "een honderdtal") and
phrases with a multiplier ("twee en een half miljoen", "2,5 mln").

Words for an unstated number ("tientallen", "honderden", "enkele", "een paar")
are not numbers. A lone "een" is the article, except in :func:`token_value`
and :func:`word_value`, which read the word on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from text_to_num import text2num

# The parts Dutch number words are built from; text2num reads the whole word.
NUMERAL_PARTS = (
    "een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    "vijftien|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|"
    "zeventig|tachtig|negentig|honderd|duizend|en|ën"
)
NUMBER_WORD = re.compile(rf"^(?:{NUMERAL_PARTS})+$")
# A number word is at most some 60 letters ("negenhonderdnegenennegentigduizend...");
# the cap keeps the overlapping parts above from backtracking on long junk.
MAX_WORD = 80
# A figure in these texts has far fewer digits; longer runs are identifiers or junk
# (and would overflow a Decimal once multiplied).
MAX_DIGITS = 30
# Arithmetic on figures is exact: Decimal's default 28 digits would round a long
# figure times a multiplier ("111111111111111111111111111111 miljoen") unnoticed.
EXACT = Context(prec=2 * MAX_DIGITS)
# Thousands separators: the dot, and the spaces typesetters put between digits.
THOUSANDS = ".\u00a0\u202f\u2009"
DIGITS = re.compile(
    rf"^[0-9]{{1,3}}(?P<sep>[{THOUSANDS}])[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*(?:,[0-9]+)?(?:,-)?$"
    r"|^[0-9]+(?:,[0-9]+)?(?:,-)?$"
)
# "1.5 million": before an English multiplier the point is a decimal point.
ENGLISH_DECIMAL = re.compile(r"^[0-9]+\.[0-9]{1,2}$")
MULTIPLIERS = {
    "duizend": Decimal(1000),
    "miljoen": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mln.": Decimal(10) ** 6,
    "miljard": Decimal(10) ** 9,
    "mld": Decimal(10) ** 9,
    "mld.": Decimal(10) ** 9,
    "mrd": Decimal(10) ** 9,
    "mrd.": Decimal(10) ** 9,
    "biljoen": Decimal(10) ** 12,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
}
ENGLISH_MULTIPLIERS = frozenset({"million", "billion"})
# Parts of one, as words of their own ("een kwart", "een half miljoen") and as the
# end of a compound ("tweeënhalf", "drieënhalve").
FRACTIONS = {
    "half": Decimal("0.5"),
    "halve": Decimal("0.5"),
    "kwart": Decimal("0.25"),
    "driekwart": Decimal("0.75"),
}
ONE_AND_A_HALF = ("anderhalf", "anderhalve")
# The scales a fraction word may be written together with: "anderhalfhonderd".
SCALES = {"honderd": Decimal(100), "duizend": Decimal(1000)}
_FRACTION_ENDS = "|".join(sorted(FRACTIONS, key=len, reverse=True))
_SCALES = "|".join(SCALES)
FRACTION_WORD = re.compile(
    rf"^(?:(?P<one>{'|'.join(ONE_AND_A_HALF)})|(?P<whole>[a-zë]+?)(?:ën|en)(?P<part>{_FRACTION_ENDS}))"
    rf"(?P<scale>{_SCALES})?$"
)
# "een tiental", "een twintigtal": a round count, about that many; "tientallen" is not one.
ROUND_COUNT = re.compile(r"^(?P<base>[a-zë]+)tal$")
ARTICLE = "een"


class NumberPhrase(NamedTuple):
    """A number read from tokens: its value, how many tokens it took, and whether
    the words only give it roughly ("een tiental")."""

    value: Decimal
    size: int
    approximate: bool


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """The text in lower case, composed (NFC) and without invisible format
    characters (soft hyphens, zero-width spaces), as a number is compared.

    >>> clean("Twee\\u00ade\\u0308ntwintig")
    'tweeëntwintig'
    """
    composed = unicodedata.normalize("NFC", text)
    return "".join(c for c in composed if unicodedata.category(c) != "Cf").lower()


@lru_cache(maxsize=4096)
def word_value(word: str) -> int | None:
    """The value of a Dutch number word, or None.

    >>> word_value("honderdvijfenveertig"), word_value("één"), word_value("twaalf")
    (145, 1, 12)
    >>> word_value("enkele") is None and word_value("en") is None
    True
    >>> word_value("honderden") is None and word_value("tientallen") is None
    True
    """
    lower = clean(word)
    if len(lower) > MAX_WORD or lower in ("en", "ën") or not NUMBER_WORD.match(lower):
        return None
    try:
        return int(text2num(lower, "nl"))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def fraction_value(word: str) -> Decimal | None:
    """The value of a word for a number with a fraction, or None.

    >>> fraction_value("anderhalf"), fraction_value("tweeënhalf"), fraction_value("kwart")
    (Decimal('1.5'), Decimal('2.5'), Decimal('0.25'))
    >>> fraction_value("anderhalfhonderd"), fraction_value("vierenhalfduizend")
    (Decimal('150'), Decimal('4500'))
    >>> fraction_value("halverwege") is None and fraction_value("twee") is None
    True
    """
    lower = clean(word)
    if len(lower) > MAX_WORD:
        return None
    if lower in FRACTIONS:
        return FRACTIONS[lower]
    found = FRACTION_WORD.match(lower)
    if found is None:
        return None
    if found["one"]:
        value = Decimal("1.5")
    else:
        whole = word_value(found["whole"])
        if whole is None:
            return None
        value = whole + FRACTIONS[found["part"]]
    if found["scale"]:
        value *= SCALES[found["scale"]]
    return _plain(value)


@lru_cache(maxsize=4096)
def round_count(word: str) -> int | None:
    """The count a word for about so many names ("tiental": about ten), or None.

    >>> round_count("tiental"), round_count("twintigtal"), round_count("honderdtal")
    (10, 20, 100)
    >>> round_count("tientallen") is None and round_count("tal") is None
    True
    """
    lower = clean(word)
    found = ROUND_COUNT.match(lower) if len(lower) <= MAX_WORD else None
    if found is None:
        return None
    return word_value(found["base"])


@lru_cache(maxsize=65536)
def digits_value(text: str) -> Decimal | None:
    """The value of a number written in digits the Dutch way.

    >>> digits_value("1.500"), digits_value("1,8"), digits_value("239.000,-"), digits_value("50")
    (Decimal('1500'), Decimal('1.8'), Decimal('239000'), Decimal('50'))
    >>> digits_value("1\\u00a0500"), digits_value("12\\u202f500\\u202f000")
    (Decimal('1500'), Decimal('12500000'))
    >>> digits_value("1.5") is None and digits_value("1 500") is None
    True
    """
    if sum(c.isdigit() for c in text) > MAX_DIGITS or not DIGITS.match(text):
        return None
    cleaned = text.removesuffix(",-")
    for separator in THOUSANDS:
        cleaned = cleaned.replace(separator, "")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


@lru_cache(maxsize=65536)
def token_value(text: str) -> Decimal | None:
    """A number in digits or words, fractions included, or None.

    A round count ("tiental") is not read here, as its value is approximate:
    :func:`read_number` reads it.

    >>> token_value("1.500"), token_value("tweehonderd"), token_value("anderhalf")
    (Decimal('1500'), Decimal('200'), Decimal('1.5'))
    >>> token_value("tiental") is None and token_value("enkele") is None
    True
    """
    found = digits_value(text)
    if found is not None:
        return found
    word = word_value(text)
    if word is not None:
        return Decimal(word)
    return fraction_value(text)


def read_number(tokens: Sequence[str], start: int = 0) -> NumberPhrase | None:
    """The number phrase that begins at ``tokens[start]``, or None.

    A phrase is a number in digits or words, a fraction ("anderhalf", "een kwart",
    "twee en een half") or a round count ("een tiental"), then at most one
    multiplier ("miljoen", "mln.", "duizend"). A lone "een" is the article.

    >>> read_number("twee en een half miljoen euro".split())
    NumberPhrase(value=Decimal('2500000'), size=5, approximate=False)
    >>> read_number(["een", "kwart", "miljoen"]), read_number(["anderhalf", "miljoen"])
    (NumberPhrase(value=Decimal('250000'), size=3, approximate=False), \
NumberPhrase(value=Decimal('1500000'), size=2, approximate=False))
    >>> read_number(["er", "zijn", "een", "tiental", "trainers"], 2)
    NumberPhrase(value=Decimal('10'), size=2, approximate=True)
    >>> read_number(["2,5", "mln.", "euro"]), read_number(["1.500", "militairen"])
    (NumberPhrase(value=Decimal('2500000'), size=2, approximate=False), \
NumberPhrase(value=Decimal('1500'), size=1, approximate=False))
    >>> read_number(["anderhalf", "honderd", "militairen"]).value
    Decimal('150')
    >>> [read_number(p.split()) for p in ("een paar", "tientallen", "enkele honderden", "een")]
    [None, None, None, None]
    """
    if not 0 <= start < len(tokens):
        return None
    head = _head(tokens, start)
    if head is None:
        return None
    value, end, approximate = head
    if end < len(tokens):
        word = clean(tokens[end])
        multiplier = MULTIPLIERS.get(word)
        if multiplier is None and value != value.to_integral_value():
            multiplier = SCALES.get(word)  # "anderhalf honderd": a fraction of a hundred
        if multiplier is not None:
            value = EXACT.multiply(value, multiplier)
            end += 1
    return NumberPhrase(_plain(value), end - start, approximate)


def _head(tokens: Sequence[str], start: int) -> tuple[Decimal, int, bool] | None:
    """The number before any multiplier: (value, index after it, approximate)."""
    first = clean(tokens[start])
    following = clean(tokens[start + 1]) if start + 1 < len(tokens) else ""
    english = following in ENGLISH_MULTIPLIERS and ENGLISH_DECIMAL.match(first)
    if english:
        return Decimal(first), start + 1, False
    if first == ARTICLE:
        # "een half miljoen", "een tiental", "een miljoen"; "een paar" is no number
        if following in FRACTIONS:
            return FRACTIONS[following], start + 2, False
        count = round_count(following) if following else None
        if count is not None:
            return Decimal(count), start + 2, True
        if following in MULTIPLIERS:
            return Decimal(1), start + 1, False
        return None
    count = round_count(first)
    if count is not None:
        return Decimal(count), start + 1, True
    value = token_value(tokens[start])
    if value is None:
        return None
    # "twee en een half", "drie en een kwart"
    rest = [clean(t) for t in tokens[start + 1 : start + 4]]
    if value == value.to_integral_value() and len(rest) == 3 and rest[:2] == ["en", ARTICLE]:
        part = FRACTIONS.get(rest[2])
        if part is not None:
            return EXACT.add(value, part), start + 4, False
    return value, start + 1, False


def _plain(value: Decimal) -> Decimal:
    """The value without trailing zeros: Decimal('2500000.0') -> Decimal('2500000')."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize(EXACT)


def as_int(value: Decimal) -> int | None:
    """The value as an int when it is a whole number.

    >>> as_int(Decimal("150")), as_int(Decimal("1.5"))
    (150, None)
    """
    return int(value) if value == value.to_integral_value() else None
