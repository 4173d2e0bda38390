"""Reconciliation: personnel figures that different documents give for the same thing.

Runs after every document's graph is in the store, reads the personnel facts of
all documents, and writes the links between them into one named graph of their
own (:data:`RECONCILIATION_GRAPH`), replaced whole on every build, so building
one document again updates its links. The rule (documented in ontology/kg.ttl
on the properties and in ontology/README.md, "Reconciliation"):

Two personnel facts are about the same thing when they come from different
documents, both count a country's contribution (``kg:scope "contribution"``),
both are stated or planned (``kg:modality``: a possible, conditional or negated
figure neither confirms nor contradicts one), and have the same country, the
same mission (not ``kg:NoMission``), the same component (or neither names one),
the same role and the same kind of figure (a count, exact or approximate; a
ceiling; a floor; a range), and when the calendar years they apply to overlap
(:func:`years`). Each figure is compared so with the figures of the nearest
documents after it in date order, per year (:func:`reconcile`, :data:`NEIGHBOURS`).
Such a pair is linked:

- ``kg:confirms`` (both ways) when the figures agree: the same numbers, or for
  a count with an approximate side, within 10% of the larger;
- ``kg:conflictsWith`` (both ways) when they differ; and in addition
  ``kg:supersedes``, from the figure of the later document to the earlier one,
  when one document is dated wholly after the other.

Everything here but :func:`read_figures` and :func:`write_reconciliation` is pure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.store import (
    RECONCILIATION_GRAPH,
    kept_parts,
    replace_graph_lines,
    write_sorted,
)
from kg.timevalue import value_bounds
from kg.vocab import KG, PREFIXES

# An approximate count ("circa 150") agrees with another within this share of the larger.
TOLERANCE = 0.10
KINDS = {"exact": "count", "approx": "count", "max": "ceiling", "min": "floor", "range": "range"}
YEAR = re.compile(r"^(\d{4})")
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")


class Relation(StrEnum):
    """How two figures for the same thing relate."""

    CONFIRMS = "confirms"
    CONFLICT = "conflict"
    SUPERSEDES = "supersedes"


@dataclass(frozen=True, slots=True)
class Figure:
    """A personnel fact as the rule sees it: its key, its numbers and its time.

    ``country``, ``mission``, ``component`` and ``role`` are IRIs (``component``
    None where the text names none); ``doc_date`` is the document's date as
    written in the graph (``2018-09-14``, ``2018-09`` or ``2018``), None if unknown.
    """

    iri: str
    doc: str
    doc_date: str | None
    country: str
    mission: str
    component: str | None
    role: str
    qualifier: str
    value: int | None
    minimum: int | None
    maximum: int | None
    valid_from: str | None
    valid_to: str | None

    @property
    def kind(self) -> str:
        """count (exact, approx), ceiling (max), floor (min) or range."""
        return KINDS.get(self.qualifier, self.qualifier)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What two figures must share to be about the same thing (time apart)."""
        return (self.country, self.mission, self.component or "", self.role, self.kind)


@dataclass(frozen=True, slots=True)
class Match:
    """Two figures about the same thing and how they relate; for
    :attr:`Relation.SUPERSEDES`, ``a`` is the later document's figure."""

    a: Figure
    b: Figure
    relation: Relation


def _year(value: str | None) -> int | None:
    found = YEAR.match(value) if value else None
    return int(found.group(1)) if found else None


def years(figure: Figure) -> tuple[int, int] | None:
    """The first and last calendar year a figure applies to, or None if unknown.

    The years its valid time states (the year written at the start of
    ``2019-01-01``, ``2018-FA``, ``2023``); an open side ("sinds januari 2018")
    reaches the year of the document's date, the time the text speaks from; a
    figure whose text states no time applies in its document's year.

    >>> f = Figure("f", "d", "2022-12-13", "NL", "OIR", None, "military", "approx",
    ...            150, None, None, None, None)
    >>> years(f)
    (2022, 2022)
    >>> from dataclasses import replace
    >>> years(replace(f, valid_from="2023-06-01")), years(replace(f, valid_from="2018-01"))
    ((2023, 2023), (2018, 2022))
    >>> years(replace(f, valid_from="2023-05", valid_to="2024-04"))
    (2023, 2024)
    """
    return _span(figure.valid_from, figure.valid_to, figure.doc_date)


# Figures share their few times and dates, and the reconciliation asks a figure's years
# each time it is compared: each set of them is read once.
@lru_cache(maxsize=65_536)
def _span(valid_from: str | None, valid_to: str | None, date: str | None) -> tuple[int, int] | None:
    start, end, stated = _year(valid_from), _year(valid_to), _year(date)
    if start is None and end is None:
        return (stated, stated) if stated is not None else None
    if start is None:
        assert end is not None
        start = min(end, stated) if stated is not None else end
    if end is None:
        end = max(start, stated) if stated is not None else start
    return (min(start, end), max(start, end))


def same_figure(a: Figure, b: Figure) -> bool:
    """Whether two figures of the same kind agree.

    Ceilings, floors and ranges agree when their bounds are equal; exact counts
    when they are equal; a count with an approximate side ("circa", "ongeveer")
    when the two differ by at most 10% of the larger.

    >>> f = Figure("f", "d", None, "NL", "OIR", None, "military", "approx",
    ...            150, None, None, None, None)
    >>> from dataclasses import replace
    >>> same_figure(f, replace(f, value=145)), same_figure(f, replace(f, value=100))
    (True, False)
    >>> same_figure(replace(f, qualifier="exact"), replace(f, qualifier="exact", value=149))
    False
    """
    if a.kind != "count":
        return (a.minimum, a.maximum) == (b.minimum, b.maximum)
    if a.value is None or b.value is None:
        return a.value == b.value
    if a.qualifier == "exact" and b.qualifier == "exact":
        return a.value == b.value
    return abs(a.value - b.value) <= TOLERANCE * max(a.value, b.value)


@lru_cache(maxsize=4096)
def _day_bounds(date: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a document date at its precision (documents share
    dates: each is read once)."""
    if not date:
        return None
    first, last = value_bounds(date)
    return (first, last) if first is not None and last is not None else None


def later(a: Figure, b: Figure) -> bool:
    """Whether ``a``'s document is dated wholly after ``b``'s (a date at month or
    year precision spans its days; an unknown date is never later)."""
    da, db = _day_bounds(a.doc_date), _day_bounds(b.doc_date)
    return da is not None and db is not None and da[0] > db[1]


def compare(a: Figure, b: Figure) -> Match | None:
    """How two figures relate, or None when they are not about the same thing.

    >>> old = Figure("old", "d1", "2022-12-13", "NL", "OIR", "fp", "military", "approx",
    ...              150, None, None, "2023-06-01", None)
    >>> new = Figure("new", "d2", "2024-05-15", "NL", "OIR", "fp", "military", "approx",
    ...              100, None, None, "2023", "2023")
    >>> m = compare(old, new)
    >>> m.a.iri, m.relation.value, m.b.iri
    ('new', 'supersedes', 'old')
    """
    if a.doc == b.doc or a.key != b.key:
        return None
    ya, yb = years(a), years(b)
    if ya is None or yb is None or ya[0] > yb[1] or yb[0] > ya[1]:
        return None
    first, second = (a, b) if a.iri <= b.iri else (b, a)
    if same_figure(a, b):
        return Match(first, second, Relation.CONFIRMS)
    if later(a, b):
        return Match(a, b, Relation.SUPERSEDES)
    if later(b, a):
        return Match(b, a, Relation.SUPERSEDES)
    return Match(first, second, Relation.CONFLICT)


def eligible(figure: Figure) -> bool:
    """Whether the rule compares a figure at all: a known kind and known years."""
    return figure.kind in KINDS.values() and years(figure) is not None


def reconcile(figures: Iterable[Figure]) -> list[Match]:
    """The pairs of figures about the same thing, sorted by their IRIs.

    Within each year a figure applies to, the figures about the same thing are put in
    the order of their documents' dates, and each is compared with the figures of the
    next :data:`NEIGHBOURS` other documents after it: every pair where a year holds no
    more documents than that, and in a dossier where hundreds of documents give a
    figure for one year, each with those nearest in time (a chain of confirmations
    and of later figures superseding earlier ones), not every pair of hundreds.
    """
    groups: dict[tuple[object, ...], list[Figure]] = defaultdict(list)
    for figure in figures:
        span = years(figure) if eligible(figure) else None
        if span is not None:
            for year in range(span[0], span[1] + 1):
                groups[(*figure.key, year)].append(figure)
    pairs: set[tuple[str, str]] = set()
    matches = []
    for group in groups.values():
        ordered = sorted(group, key=lambda f: (f.doc_date or "", f.doc, f.iri))
        for i, a in enumerate(ordered):
            later_docs: list[str] = []
            for b in ordered[i + 1 :]:
                if b.doc == a.doc:
                    continue
                if b.doc not in later_docs:
                    if len(later_docs) == NEIGHBOURS:
                        break
                    later_docs.append(b.doc)
                pair = (a.iri, b.iri) if a.iri <= b.iri else (b.iri, a.iri)
                if pair in pairs:
                    continue
                pairs.add(pair)
                found = compare(a, b)
                if found is not None:
                    matches.append(found)
    return sorted(matches, key=lambda m: (m.a.iri, m.b.iri, m.relation.value))


# Documents after a figure's whose figures it is compared with, per year (reconcile):
# enough for the letters and reports of one year to confirm or supersede each other,
# few enough that a dossier of thousands of documents gives links in proportion to them.
NEIGHBOURS = 5


def reconciliation_quads(figures: Sequence[Figure], matches: Iterable[Match]) -> list[ox.Quad]:
    """The reconciliation graph: the years each eligible figure was compared on
    (``kg:comparedFromYear``, ``kg:comparedToYear``) and the links of every match."""
    return sorted(set(link_quads(figures, matches)), key=str)


def link_quads(figures: Sequence[Figure], matches: Iterable[Match]) -> Iterator[ox.Quad]:
    """The quads of :func:`reconciliation_quads`, one at a time (each once: a figure's
    years are written once and every pair is one match)."""
    graph = ox.NamedNode(RECONCILIATION_GRAPH)
    nodes: dict[str, ox.NamedNode] = {}  # a figure's IRI, made once

    def iri(figure: Figure) -> ox.NamedNode:
        found = nodes.get(figure.iri)
        if found is None:
            found = nodes[figure.iri] = ox.NamedNode(figure.iri)
        return found

    compared = (ox.NamedNode(str(KG.comparedFromYear)), ox.NamedNode(str(KG.comparedToYear)))
    confirms, conflicts = ox.NamedNode(str(KG.confirms)), ox.NamedNode(str(KG.conflictsWith))
    supersedes = ox.NamedNode(str(KG.supersedes))
    for figure in figures:
        span = years(figure)
        if not eligible(figure) or span is None:
            continue
        for prop, year in zip(compared, span, strict=True):
            literal = ox.Literal(str(year), datatype=XSD_INTEGER)
            yield ox.Quad(iri(figure), prop, literal, graph)
    for match in matches:
        a, b = iri(match.a), iri(match.b)
        if match.relation == Relation.CONFIRMS:
            yield ox.Quad(a, confirms, b, graph)
            yield ox.Quad(b, confirms, a, graph)
            continue
        yield ox.Quad(a, conflicts, b, graph)
        yield ox.Quad(b, conflicts, a, graph)
        if match.relation == Relation.SUPERSEDES:
            yield ox.Quad(a, supersedes, b, graph)


FIGURES = """
SELECT ?f ?doc ?date ?country ?mission ?component ?role ?qualifier ?value ?min ?max ?from ?to
WHERE {
  ?f a kg:PersonnelFact ; kg:scope "contribution" ; kg:country ?country ; kg:mission ?mission ;
     kg:role ?role ; kg:qualifier ?qualifier ; kg:inDocument ?doc ; kg:modality ?modality .
  FILTER(?modality NOT IN (<https://w3id.org/kg-iraq/id/modality/possible>,
    <https://w3id.org/kg-iraq/id/modality/conditional>, <https://w3id.org/kg-iraq/id/modality/negated>))
  FILTER(?mission != kg:NoMission)
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?f kg:component ?component }
  OPTIONAL { ?f kg:value ?value }
  OPTIONAL { ?f kg:minValue ?min }
  OPTIONAL { ?f kg:maxValue ?max }
  OPTIONAL { ?f kg:validFrom ?from }
  OPTIONAL { ?f kg:validTo ?to }
}
"""


def _figures(solutions: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> list[Figure]:
    """The figures of the rows of :data:`FIGURES`."""
    assert isinstance(solutions, ox.QuerySolutions)

    def text(solution: ox.QuerySolution, name: str) -> str | None:
        term = solution[name]
        return None if term is None else str(term.value)

    def number(solution: ox.QuerySolution, name: str) -> int | None:
        value = text(solution, name)
        return None if value is None else int(value)

    return [
        Figure(
            iri=text(s, "f") or "",
            doc=text(s, "doc") or "",
            doc_date=text(s, "date"),
            country=text(s, "country") or "",
            mission=text(s, "mission") or "",
            component=text(s, "component"),
            role=text(s, "role") or "",
            qualifier=text(s, "qualifier") or "",
            value=number(s, "value"),
            minimum=number(s, "min"),
            maximum=number(s, "max"),
            valid_from=text(s, "from"),
            valid_to=text(s, "to"),
        )
        for s in solutions
    ]


def figures_json(figures: Iterable[Figure]) -> bytes:
    """Figures as :func:`read_figures` keeps them for a document."""
    return json.dumps([astuple(f) for f in figures]).encode("utf-8")


def document_figures(store: ox.Store) -> list[Figure]:
    """The contribution figures of a store that holds one document's graph (and what
    else holds no figures, such as the ontology), sorted by IRI."""
    found = _figures(store.query(FIGURES, use_default_graph_as_union=True, prefixes=PREFIXES))
    return sorted(found, key=lambda f: f.iri)


def read_figures(
    store: ox.Store, cache: Path | None = None, keys: Mapping[str, str] | None = None
) -> list[Figure]:
    """The contribution figures of every document in the store, sorted by IRI.

    With ``cache`` and ``keys`` (a key for every document's graph, as
    :func:`kg.store.graph_keys` gives them) each document's figures are read from its
    graph alone and kept in ``cache`` under the key, and read from there while the key
    is unchanged: a build after one document changed queries one graph.
    """
    if cache is None or not keys:
        return sorted(
            _figures(store.query(FIGURES, use_default_graph_as_union=True, prefixes=PREFIXES)),
            key=lambda f: f.iri,
        )

    def of(graph: str) -> bytes:
        solutions = store.query(FIGURES, default_graph=[ox.NamedNode(graph)], prefixes=PREFIXES)
        return figures_json(sorted(_figures(solutions), key=lambda f: f.iri))

    figures = [Figure(*row) for part in kept_parts(cache, keys, of) for row in json.loads(part)]
    return sorted(figures, key=lambda f: f.iri)


def write_reconciliation(
    store: ox.Store,
    lines: Path,
    cache: Path | None = None,
    keys: Mapping[str, str] | None = None,
    held: Path | None = None,
) -> list[Match]:
    """Reconcile the figures of every document in ``store`` and replace the
    reconciliation graph with the result, whose quads' N-Quads text is written to
    ``lines`` in the order of the export (:func:`kg.store.write_sorted`): a dossier's
    links are millions, which are neither held as ``Quad`` objects nor as text.
    ``cache`` and ``keys`` keep each document's figures between builds
    (:func:`read_figures`); ``held`` is the graph's text as the store holds it,
    where it was kept (:func:`kg.store.held_text`). Gives the matches (the
    tables of :mod:`kg.linked` are made from them)."""
    figures = read_figures(store, cache, keys)
    matches = reconcile(figures)
    write_sorted(lines, map(str, link_quads(figures, matches)))
    del figures  # a dossier's figures are hundreds of megabytes (those linked stay)
    # a dossier's links are many; few change
    replace_graph_lines(store, RECONCILIATION_GRAPH, lines, held)
    return matches
