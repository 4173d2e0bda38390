"""The Dutch contribution's strength over time as steps (ontology/README.md,
"Consolidation"): personnel facts counting the Dutch contribution (``kg:scope
"contribution"``, country NL) of a known mission, stated, planned or expected, are one
step when they share the mission, component, role, figure (qualifier and numbers),
modality and time: the time the text states, or else the date of the document that
reports it (:class:`TimeBasis`). Whether figures of different documents disagree is the
reconciliation's (``kg:conflictsWith`` between the steps' sources).

Pure: dataclasses in, dataclasses out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kg.consolidate.phases import KEPT, NO_MISSION, code, doc_day
from kg.vocab import ID


class TimeBasis(StrEnum):
    """Where a strength step's time comes from (``<id>time-basis/...``)."""

    STATED = "stated"
    DOCUMENT = "document"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Figure:
    """A personnel fact of the Dutch contribution as the strength series sees it."""

    iri: str
    doc: str
    doc_date: str | None
    mission: str
    component: str | None
    role: str
    qualifier: str
    value: int | None
    minimum: int | None
    maximum: int | None
    valid_from: str | None
    valid_to: str | None
    modality: str
    begin: int


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a strength series: a figure at a time, with every fact stating it."""

    mission: str
    component: str | None
    role: str
    qualifier: str
    value: int | None
    minimum: int | None
    maximum: int | None
    modality: str
    valid_from: str | None
    valid_to: str | None
    basis: TimeBasis
    sources: tuple[Figure, ...] = field(default=())

    @property
    def representative(self) -> Figure:
        """The source a row shows: of the latest document, the first in it."""
        return max(self.sources, key=lambda f: (doc_day(f.doc_date), f.doc, -f.begin, f.iri))

    @property
    def iri(self) -> str:
        digest = hashlib.sha256("\n".join(f.iri for f in self.sources).encode()).hexdigest()
        return f"{ID}strength/{code(self.mission)}/{code(self.component)}/{digest[:16]}"


# ------------------------------------------------------------------ strength


def strength_steps(figures: Iterable[Figure]) -> list[Step]:
    """The steps of the Dutch contribution's strength series, sorted by IRI.

    >>> f = Figure("f1", "d1", "2022-12-13", "NMI", "advisers", "adviser", "exact", 13,
    ...            None, None, None, None, "stated", 10)
    >>> g = replace(f, iri="f2", doc="d2")
    >>> [(s.valid_from, s.basis.value, len(s.sources)) for s in strength_steps([f, g])]
    [('2022-12-13', 'document', 2)]
    """
    steps: dict[Step, list[Figure]] = defaultdict(list)
    for figure in figures:
        if figure.mission == NO_MISSION or figure.modality not in KEPT:
            continue
        if figure.valid_from or figure.valid_to:
            time = (figure.valid_from, figure.valid_to, TimeBasis.STATED)
        elif figure.doc_date:
            time = (figure.doc_date, figure.doc_date, TimeBasis.DOCUMENT)
        else:
            time = (None, None, TimeBasis.NONE)
        step = Step(
            figure.mission,
            figure.component,
            figure.role,
            figure.qualifier,
            figure.value,
            figure.minimum,
            figure.maximum,
            figure.modality,
            *time,
        )
        steps[step].append(figure)
    found = [
        replace(step, sources=tuple(sorted(sources, key=lambda f: f.iri)))
        for step, sources in steps.items()
    ]
    return sorted(found, key=lambda s: s.iri)
