"""Dutch calendar dates in text.

This module holds the core every later time expression builds on: month names
and absolute dates at the precision the text states ("14 september 2018" is a
day, "november 2017" a month). A date that cannot exist ("31 februari 2019") is
never returned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
ABSOLUTE_DATE = re.compile(
    rf"(?<![\w-])(?:(?P<day>[0-3]?\d)\s+)?(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CalendarDate:
    """A date at day or month precision, with its place in the searched text."""

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


def find_dates(text: str, start: int = 0, end: int | None = None) -> Iterator[CalendarDate]:
    """Absolute dates ("14 september 2018", "november 2017") in ``text[start:end]``.

    Impossible dates are skipped.

    >>> text = "op 14 september 2018 en in november 2017, niet 31 februari 2019"
    >>> [d.iso for d in find_dates(text)]
    ['2018-09-14', '2017-11']
    """
    for match in ABSOLUTE_DATE.finditer(text, start, len(text) if end is None else end):
        year = int(match["year"])
        month = MONTHS[match["month"].lower()]
        day = int(match["day"]) if match["day"] else None
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                continue
        yield CalendarDate(year, month, day, match.start(), match.end())
