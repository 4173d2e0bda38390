"""Time values as the graph writes them, read back: no Dutch, no tagger.

A time value is a point at its precision (``2018-09-14``, ``2017-11``, ``2018-FA``,
``2019-Q3``, ``2019-H1``, ``2018-W35``, ``2019``) or an interval ``start/end`` with either
side open. :func:`point_of` gives a point's first and last day, :func:`value_bounds` an
interval's. The API, the viewer and reconciliation read time here; the Dutch time
grammar (:mod:`kg.extract.temporal`) makes its values with the same constructors.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TimePoint:
    """One side of a time: a value at its precision and the days it can mean."""

    value: str
    precision: str
    earliest: dt.date
    latest: dt.date


def last_day(year: int, month: int) -> int:
    """The last day of a month (28 to 31)."""
    return calendar.monthrange(year, month)[1]


def month_point(year: int, month: int) -> TimePoint:
    return TimePoint(
        f"{year:04d}-{month:02d}",
        "month",
        dt.date(year, month, 1),
        dt.date(year, month, last_day(year, month)),
    )


def year_point(year: int) -> TimePoint:
    return TimePoint(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31))


def day_point(day: dt.date) -> TimePoint:
    return TimePoint(day.isoformat(), "day", day, day)


def season_point(year: int, code: str) -> TimePoint:
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    if code == "WI":
        end = dt.date(year + 1, 2, last_day(year + 1, 2))
    else:
        end = dt.date(year, first + 2, last_day(year, first + 2))
    return TimePoint(f"{year:04d}-{code}", "season", dt.date(year, first, 1), end)


def quarter_point(year: int, quarter: int) -> TimePoint:
    first = 3 * quarter - 2
    return TimePoint(
        f"{year:04d}-Q{quarter}",
        "quarter",
        dt.date(year, first, 1),
        dt.date(year, first + 2, last_day(year, first + 2)),
    )


def half_point(year: int, half: int) -> TimePoint:
    first = 1 if half == 1 else 7
    return TimePoint(
        f"{year:04d}-H{half}",
        "half",
        dt.date(year, first, 1),
        dt.date(year, first + 5, last_day(year, first + 5)),
    )


def week_point(day: dt.date) -> TimePoint:
    iso = day.isocalendar()
    monday = day - dt.timedelta(days=iso.weekday - 1)
    return TimePoint(
        f"{iso.year:04d}-W{iso.week:02d}", "week", monday, monday + dt.timedelta(days=6)
    )


TIME_VALUE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|W(?P<week>\d{2})"
    r"|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<season>SP|SU|FA|WI)))?$"
)


def point_of(value: str) -> TimePoint:
    """One side of a time value as the graph writes it (the value of a TimeExpr),
    with its first and last day.

    >>> p = point_of("2018-FA")
    >>> p.precision, p.earliest, p.latest
    ('season', datetime.date(2018, 9, 1), datetime.date(2018, 11, 30))

    Raises :class:`ValueError` for a value that is not a time value.
    """
    found = TIME_VALUE.match(value.strip())
    if not found:
        raise ValueError(f"'{value}' is not a time value such as 2019, 2019-03 or 2019-Q1")
    try:
        return _value_point(found)
    except ValueError as err:  # a month 13, a 30 February
        raise ValueError(f"'{value}' is not a time value: {err}") from err


def _value_point(found: re.Match[str]) -> TimePoint:
    year = int(found["year"])
    if found["day"]:
        return day_point(dt.date(year, int(found["month"]), int(found["day"])))
    if found["month"]:
        return month_point(year, int(found["month"]))
    if found["week"]:
        return week_point(dt.date.fromisocalendar(year, int(found["week"]), 1))
    if found["quarter"]:
        return quarter_point(year, int(found["quarter"]))
    if found["half"]:
        return half_point(year, int(found["half"]))
    if found["season"]:
        return season_point(year, found["season"])
    return year_point(year)


def value_bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a time value can mean: a point (``2019``,
    ``2019-03-14``, ``2018-FA``...) or an interval ``start/end`` with either side
    open (None). An empty value gives (None, None).

    >>> value_bounds("2019")
    (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    >>> value_bounds("2023-05/2024-04")
    (datetime.date(2023, 5, 1), datetime.date(2024, 4, 30))
    >>> value_bounds("/2019-12-31")
    (None, datetime.date(2019, 12, 31))
    """
    if not value:
        return None, None
    if "/" in value:
        left, _, right = value.partition("/")
        return (
            point_of(left).earliest if left else None,
            point_of(right).latest if right else None,
        )
    side = point_of(value)
    return side.earliest, side.latest
