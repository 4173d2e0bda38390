"""Numbers as Dutch texts write them: digits with a thousands dot and a decimal
comma ("1.500", "1,8", "239.000,-") and number words, compounds included
("honderdvijfenveertig", "tweeëntwintig", "één")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num

# A word built only from Dutch numeral parts; text2num reads its value.
NUMBER_WORD = re.compile(
    r"^(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    r"vijftien|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|"
    r"zeventig|tachtig|negentig|honderd|duizend|en|ën)+$"
)
DIGITS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?(?:,-)?$|^\d+(?:,\d+)?(?:,-)?$")
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
}


@lru_cache(maxsize=4096)
def word_value(word: str) -> int | None:
    """The value of a Dutch number word, or None.

    >>> word_value("honderdvijfenveertig"), word_value("één"), word_value("twaalf")
    (145, 1, 12)
    >>> word_value("enkele") is None and word_value("en") is None
    True
    """
    lower = word.lower()
    if lower in ("en", "ën") or not NUMBER_WORD.match(lower):
        return None
    try:
        return int(text2num(lower, "nl"))
    except ValueError:
        return None


def digits_value(text: str) -> Decimal | None:
    """The value of a number written in digits the Dutch way.

    >>> digits_value("1.500"), digits_value("1,8"), digits_value("239.000,-"), digits_value("50")
    (Decimal('1500'), Decimal('1.8'), Decimal('239000'), Decimal('50'))
    """
    if not DIGITS.match(text):
        return None
    cleaned = text.removesuffix(",-").replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def token_value(text: str) -> Decimal | None:
    """A number in digits or words, or None."""
    found = digits_value(text)
    if found is not None:
        return found
    word = word_value(text)
    return Decimal(word) if word is not None else None


def as_int(value: Decimal) -> int | None:
    """The value as an int when it is a whole number."""
    return int(value) if value == value.to_integral_value() else None
