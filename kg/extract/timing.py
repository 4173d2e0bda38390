"""The time facts apply to, and the times of each sentence they are read from.

:func:`sentence_times` finds and normalises the time expressions of every sentence of
a document (with :mod:`kg.extract.temporal`), each resolved against the document's
date or, inside a quoted letter, that letter's own; :func:`with_valid_time` gives a
personnel figure or an amount the time it applies to: the time expression of its
sentence nearest to the figure, "momenteel" as the document's date, or the period a
progress report covers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from kg.extract.cues import period_cue
from kg.extract.metadata import letter_dates
from kg.extract.temporal import Problem, TimeExpr, find_times
from kg.model import Budget, DocMeta, NormDoc, Personnel, Span, When

# The document's own date line or chamber header: its dates are no times of facts.
DATE_OR_HEADER = re.compile(
    r"\s*(?:(?:Den Haag|'s-Gravenhage)\s*,|Vergaderjaar\b|(?:Eerste|Tweede) Kamer, vergaderjaar)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SentenceTimes:
    """The time expressions of each sentence (by normalized start) and the problems found."""

    times: dict[int, list[TimeExpr]]
    problems: list[Problem]


def anchor_of(meta: DocMeta) -> dt.date | None:
    """The date relative expressions are resolved against: the document's date, or
    for a date known only to the month or year, its last day (the text is not older)."""
    if meta.date is None:
        return None
    parts = [int(p) for p in meta.date.iso.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def first_day_of(meta: DocMeta) -> dt.date | None:
    """The first day the document's date can mean: the date itself, or the first day of
    the month or year it is known to."""
    if meta.date is None:
        return None
    year, month, day = ([int(p) for p in meta.date.iso.split("-")] + [1, 1])[:3]
    return dt.date(year, month, day)


def _agreed(
    text: str, times: list[TimeExpr], first: dt.date, start: int, end: int
) -> list[TimeExpr]:
    """The expressions of ``times`` (resolved against the last day of the document's
    month or year) that resolve the same against its first day: a time that depends on
    the day the document does not state ("gisteren" in a letter of "maart 2019") is
    not known, and is left out rather than given a day the text does not give.
    "Momenteel" stays: it is the document's own time, at the precision it is stated."""
    again, _ = find_times(text, first, start, end)
    same = {(t.start, t.end, t.begin, t.finish) for t in again}
    return [t for t in times if t.present or (t.start, t.end, t.begin, t.finish) in same]


def reference_day(anchor: dt.date | None, found: SentenceTimes) -> str | None:
    """The day a text is of, to tell which of the things it names existed then: its
    date, or for a text with none, the latest day its own absolute dates reach (a page
    that speaks of June 2025 was not written in 2019). Never used to resolve a date.
    """
    if anchor is not None:
        return anchor.isoformat()
    days = [
        side.latest
        for times in found.times.values()
        for time in times
        if time.anchor is None
        for side in (time.begin, time.finish)
        if side is not None and side.latest is not None
    ]
    return max(days).isoformat() if days else None


def furniture(*metas: DocMeta) -> list[Span]:
    """The document's own furniture as its text states it: its date line, title and
    header, which are not events (the spans of the values of ``metas``, each once)."""
    spans = (
        value.evidence
        for meta in metas
        for value in (meta.date, meta.title, meta.dossier)
        if value is not None and value.evidence is not None and not value.inferred
    )
    return list(dict.fromkeys(spans))


def sentence_times(
    norm: NormDoc, meta: DocMeta, own: Sequence[Span] | None = None
) -> SentenceTimes:
    """Find and normalise the time expressions of every sentence, leaving out the
    document's own furniture (``own``, by default :func:`furniture` of ``meta``: where
    an official record replaced a value, the text's date line and title are furniture
    all the same)."""
    default, first = anchor_of(meta), first_day_of(meta)
    letters = letter_dates(norm, meta)
    own = furniture(meta) if own is None else own
    times: dict[int, list[TimeExpr]] = {}
    problems: list[Problem] = []
    for start, end in norm.sentences:
        if DATE_OR_HEADER.match(norm.text, start, end):
            continue
        anchor = next((day for first, last, day in letters if first <= start < last), default)
        found, trouble = find_times(norm.text, anchor, start, end)
        problems.extend(trouble)
        if anchor is default and first is not None and first != default:
            found = _agreed(norm.text, found, first, start, end)
        found = [t for t in found if not any(_inside(norm, t, e.start, e.end) for e in own)]
        if found:
            times[start] = found
    return SentenceTimes(times, problems)


def part_times(
    found: SentenceTimes, start: int, sentences: Sequence[tuple[int, int]]
) -> SentenceTimes:
    """The times of the sentences of one part of a document that begins at
    normalized offset ``start``, at the part's offsets (:class:`kg.nlp.Part`); the
    problems stay with the document's."""
    if not start:
        return found
    times = {
        s: [replace(t, start=t.start - start, end=t.end - start) for t in found.times[s + start]]
        for s, _ in sentences
        if s + start in found.times
    }
    return SentenceTimes(times, [])


def _inside(norm: NormDoc, time: TimeExpr, start: int, end: int) -> bool:
    ostart, oend = norm.to_original(time.start, time.end)
    return start <= ostart and oend <= end


def to_when(norm: NormDoc, time: TimeExpr) -> When:
    ostart, oend = norm.to_original(time.start, time.end)
    return When(
        " ".join(time.text.split()),
        ostart,
        oend,
        time.value,
        time.precision,
        time.earliest.isoformat() if time.earliest else None,
        time.latest.isoformat() if time.latest else None,
        time.modifier,
        time.anchor,
        time.begin.value if time.begin else None,
        time.finish.value if time.finish else None,
    )


FactT = TypeVar("FactT", Personnel, Budget)


def with_valid_time(
    fact: FactT,
    norm: NormDoc,
    found: SentenceTimes,
    period: tuple[str, str] | None,
    now: str | None,
) -> FactT:
    """The fact with the time it applies to (see :func:`valid_time`; ``now`` is the
    document's date at its stated precision); an amount with no other time applies to
    its year or period ("van 2014 tot en met 2020")."""
    sentence = norm.from_original(fact.provenance.sentence.start)
    figure = norm.from_original(fact.provenance.start)
    end = norm.from_original(fact.provenance.sentence.end)
    ends = period_cue("end").search(norm.text, sentence, end) is not None
    valid_from, valid_to = valid_time(found, sentence, figure, period, now, ends)
    if valid_from is None and valid_to is None and isinstance(fact, Budget) and fact.year:
        first, _, last = fact.year.partition("/")
        valid_from, valid_to = first or None, (last if "/" in fact.year else first) or None
    return replace(fact, valid_from=valid_from, valid_to=valid_to)


def valid_time(
    found: SentenceTimes,
    sentence_start: int,
    figure_start: int,
    period: tuple[str, str] | None,
    now: str | None,
    ends: bool = False,
) -> tuple[str | None, str | None]:
    """The time a fact applies to: the time expression of its sentence nearest to
    the figure; "momenteel" is the document's date (``now``, at the precision the
    document states it: "2019-03" for a letter of March 2019); failing those, the period the
    document reports on. In a sentence that ends something ("wordt per 1 juni 2023
    stopgezet", ``ends``), an open start is when the fact stops applying."""
    times = found.times.get(sentence_start, [])
    if times:
        nearest = min(
            times, key=lambda t: min(abs(t.start - figure_start), abs(t.end - figure_start))
        )
        if nearest.present:
            return now, now
        left = nearest.begin.value if nearest.begin else None
        right = nearest.finish.value if nearest.finish else None
        if ends and left is not None and nearest.finish is None:
            return None, left
        return left, right
    if period is not None:
        return period
    return None, None


def reporting_period(
    norm: NormDoc, found: SentenceTimes, sentences: Sequence[tuple[int, int]]
) -> tuple[str, str] | None:
    """The period a progress report covers: an interval in its opening sentences
    that speak of the report ("rapportage", "rapportageperiode", "verslagperiode")."""
    for start, end in sentences[:12]:
        text = norm.text[start:end].lower()
        if "rapportage" not in text and "verslag" not in text:
            continue
        for time in found.times.get(start, []):
            if time.begin is not None and time.finish is not None and time.begin != time.finish:
                return time.begin.value, time.finish.value
    return None
