"""The consolidation graph: what the stage reads of each document's graph (kept per
document between builds, as the reconciliation keeps its figures) and the graph it
writes, :data:`CONSOLIDATION_GRAPH`, replaced on every build. The only part of
:mod:`kg.consolidate` that touches the store or the disk.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from kg.consolidate.phases import (
    FIRST_DAY,
    KEPT,
    LAST_DAY,
    EventMention,
    Link,
    Mention,
    Phase,
    Relation,
    Side,
    consolidate,
)
from kg.consolidate.strength import Figure, Step, strength_steps
from kg.store import (
    CONSOLIDATION_GRAPH,
    kept_parts,
    replace_graph_lines,
    write_sorted,
)
from kg.timevalue import value_bounds
from kg.vocab import ID, KG, PREFIXES

NL = f"{ID}country/NL"
EVENT_TYPES = ("start", "end", "extension", "decision")


def concept(scheme: str, notation: str) -> str:
    """The IRI of a concept of ontology/vocabularies.ttl."""
    return f"{ID}{scheme}/{notation}"


def consolidation_texts(
    phases: Iterable[Phase], links: Iterable[Link], steps: Iterable[Step]
) -> list[str]:
    """The consolidation graph as the N-Quads text of each quad (``str(quad)``), in
    export order."""
    return sorted(set(_texts(phases, links, steps)))


def _texts(phases: Iterable[Phase], links: Iterable[Link], steps: Iterable[Step]) -> Iterator[str]:
    """The text of each quad of the graph, written as ``str(ox.Quad(...))`` writes it
    (IRIs in angle brackets, then the graph's): made directly, being tens of thousands
    made on every build. The IRIs are kg's, which need no escaping."""
    graph = f"<{CONSOLIDATION_GRAPH}>"
    rdf_type = f"<{PREFIXES['rdf']}type>"

    def quad(s: str, p: object, o: str) -> str:
        return f"<{s}> <{p}> <{o}> {graph}"

    def literal(s: str, p: object, value: str) -> str:
        return f"<{s}> <{p}> {ox.Literal(value)} {graph}"

    for phase in phases:
        p = phase.iri
        yield f"<{p}> {rdf_type} <{KG.ContributionPhase}> {graph}"
        yield quad(p, KG.ofMission, phase.mission)
        if phase.component:
            yield quad(p, KG.ofComponent, phase.component)
        for rule in phase.rules:
            yield quad(p, KG.joinedBy, concept("consolidation-rule", rule.value))
        for mention in phase.mentions:
            yield quad(p, KG.supportedBy, mention.iri)
            for name, prop in (("start", KG.startMention), ("end", KG.endMention)):
                if mention.side(name) is not None:
                    yield quad(p, prop, mention.iri)
        for event in phase.events:
            yield quad(p, KG.supportedBy, event)
        decided = (
            (phase.start, "start", KG.startStatus, KG.startTime),
            (phase.end, "end", KG.endStatus, KG.endTime),
        )
        for decision, name, status, time in decided:
            yield quad(p, status, concept("side-status", decision.status.value))
            side = decision.mention.side(name) if decision.mention else None
            if side is not None and side.time:
                yield quad(p, time, side.time)
        for decision, name, time in (
            (phase.planned_start, "start", KG.plannedStartTime),
            (phase.planned_end, "end", KG.plannedEndTime),
        ):
            side = decision.mention.side(name) if decision.mention else None
            if side is not None and side.time:
                yield quad(p, time, side.time)
    conflicts = {"start": KG.startConflictsWith, "end": KG.endConflictsWith}
    supersedes = {"start": KG.startSupersedes, "end": KG.endSupersedes}
    for link in links:
        yield quad(link.a, conflicts[link.side], link.b)  # and what each relation implies
        yield quad(link.b, conflicts[link.side], link.a)
        if link.relation != Relation.CONFLICT:
            yield quad(link.a, supersedes[link.side], link.b)
        if link.relation == Relation.EXTENDS:
            yield quad(link.a, KG.extendsEnd, link.b)
        if link.relation == Relation.CUTS:
            yield quad(link.a, KG.cutsEnd, link.b)
    for step in steps:
        s = step.iri
        yield f"<{s}> {rdf_type} <{KG.StrengthStep}> {graph}"
        yield quad(s, KG.ofMission, step.mission)
        if step.component:
            yield quad(s, KG.ofComponent, step.component)
        yield quad(s, KG.ofRole, step.role)
        yield quad(s, KG.timeBasis, concept("time-basis", step.basis.value))
        if step.valid_from:
            yield literal(s, KG.stepFrom, step.valid_from)
        if step.valid_to:
            yield literal(s, KG.stepTo, step.valid_to)
        for source in step.sources:
            yield quad(s, KG.supportedBy, source.iri)
        yield quad(s, KG.representative, step.representative.iri)


# ------------------------------------------------------------------ reading


EVENT_TYPE_IRIS = ", ".join(f"<{concept('event-type', t)}>" for t in EVENT_TYPES)
KEPT_IRIS = ", ".join(f"<{concept('modality', m)}>" for m in sorted(KEPT))

PERIODS = f"""
SELECT ?p ?doc ?date ?mission ?component ?modality ?sentence ?begin ?start ?end
       ?t ?value ?precision ?earliest ?latest
WHERE {{
  ?p a kg:Period ; kg:inDocument ?doc ; kg:mission ?mission ; kg:modality ?modality ;
     kg:sentence ?sentence ; nif:beginIndex ?begin ; kg:time ?t .
  ?t kg:timeValue ?value ; kg:precision ?precision .
  FILTER(?mission != kg:NoMission && ?modality IN ({KEPT_IRIS}))
  OPTIONAL {{ ?doc dcterms:date ?date }}
  OPTIONAL {{ ?p kg:component ?component }}
  OPTIONAL {{ ?p kg:periodStart ?start }}
  OPTIONAL {{ ?p kg:periodEnd ?end }}
  OPTIONAL {{ ?t kg:earliest ?earliest }}
  OPTIONAL {{ ?t kg:latest ?latest }}
}}
"""

EVENTS = f"""
SELECT ?e ?mission ?type ?sentence ?value ?earliest ?latest ?doc WHERE {{
  ?e a kg:Event ; kg:mission ?mission ; kg:eventType ?type ; kg:sentence ?sentence ;
     kg:time ?t ; kg:inDocument ?doc .
  ?t kg:timeValue ?value .
  FILTER(?mission != kg:NoMission && ?type IN ({EVENT_TYPE_IRIS}))
  FILTER EXISTS {{ ?p a kg:Period ; kg:sentence ?sentence }}
  OPTIONAL {{ ?t kg:earliest ?earliest }}
  OPTIONAL {{ ?t kg:latest ?latest }}
}}
"""

FIGURES = f"""
SELECT ?f ?doc ?date ?mission ?component ?role ?qualifier ?value ?min ?max ?from ?to
       ?modality ?begin
WHERE {{
  ?f a kg:PersonnelFact ; kg:scope "contribution" ; kg:country <{NL}> ; kg:mission ?mission ;
     kg:role ?role ; kg:qualifier ?qualifier ; kg:inDocument ?doc ; kg:modality ?modality ;
     nif:beginIndex ?begin .
  FILTER(?mission != kg:NoMission && ?modality IN ({KEPT_IRIS}))
  OPTIONAL {{ ?doc dcterms:date ?date }}
  OPTIONAL {{ ?f kg:component ?component }}
  OPTIONAL {{ ?f kg:value ?value }}
  OPTIONAL {{ ?f kg:minValue ?min }}
  OPTIONAL {{ ?f kg:maxValue ?max }}
  OPTIONAL {{ ?f kg:validFrom ?from }}
  OPTIONAL {{ ?f kg:validTo ?to }}
}}
"""


@dataclass(frozen=True, slots=True)
class Mentions:
    """What the consolidation reads of documents' graphs."""

    periods: tuple[Mention, ...] = ()
    events: tuple[EventMention, ...] = ()
    figures: tuple[Figure, ...] = ()


class Consolidated(NamedTuple):
    """What the consolidation graph is made of: the phases, the links between their
    mentions and the strength steps, with the document of each event it read, by the
    event's IRI."""

    phases: list[Phase]
    links: list[Link]
    steps: list[Step]
    event_docs: dict[str, str]


def _rows(solutions: object) -> Iterator[dict[str, str]]:
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {n: str(t.value) for n in names if (t := solution[n]) is not None}


def _notation(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _side(rows: Sequence[dict[str, str]], value: str | None) -> Side | None:
    """The side of a period whose value is ``value``, from its time expression's rows."""
    if value is None:
        return None
    for row in sorted(rows, key=lambda r: r["t"]):
        if row["value"] == value:
            first, last = value_bounds(value)
            earliest = row.get("earliest") or (first.isoformat() if first else FIRST_DAY)
            latest = row.get("latest") or (last.isoformat() if last else LAST_DAY)
            return Side(value, row["precision"], earliest, latest, row["t"])
    return None


def mentions_of(store: ox.Store, graphs: Sequence[str] | None = None) -> Mentions:
    """The mentions in the graphs ``graphs`` of ``store`` (all graphs: None), sorted."""
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in graphs]
    by_period: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows(store.query(PERIODS, **options)):
        by_period[row["p"]].append(row)
    periods = []
    for iri, rows in sorted(by_period.items()):
        row = rows[0]
        periods.append(
            Mention(
                iri,
                row["doc"],
                row.get("date"),
                row["mission"],
                row.get("component"),
                _notation(row["modality"]),
                row["sentence"],
                int(row["begin"]),
                _side(rows, row.get("start")),
                _side(rows, row.get("end")),
            )
        )
    events = []
    for row in _rows(store.query(EVENTS, **options)):
        first, last = value_bounds(row["value"])
        events.append(
            EventMention(
                row["e"],
                row["mission"],
                _notation(row["type"]),
                row["sentence"],
                row.get("earliest") or (first.isoformat() if first else FIRST_DAY),
                row.get("latest") or (last.isoformat() if last else LAST_DAY),
                row["doc"],
            )
        )

    def number(row: dict[str, str], name: str) -> int | None:
        return int(row[name]) if name in row else None

    figures = [
        Figure(
            row["f"],
            row["doc"],
            row.get("date"),
            row["mission"],
            row.get("component"),
            row["role"],
            row["qualifier"],
            number(row, "value"),
            number(row, "min"),
            number(row, "max"),
            row.get("from"),
            row.get("to"),
            _notation(row["modality"]),
            int(row["begin"]),
        )
        for row in _rows(store.query(FIGURES, **options))
    ]
    return Mentions(
        tuple(periods),
        tuple(sorted(events, key=lambda e: e.iri)),
        tuple(sorted(figures, key=lambda f: f.iri)),
    )


def mentions_json(found: Mentions) -> bytes:
    """Mentions as :func:`read_mentions` keeps them for a document."""

    def side(s: Side | None) -> list[str] | None:
        return None if s is None else [s.value, s.precision, s.earliest, s.latest, s.time]

    periods = [
        [m.iri, m.doc, m.doc_date, m.mission, m.component, m.modality, m.sentence, m.begin,
         side(m.start), side(m.end)]
        for m in found.periods
    ]  # fmt: skip
    events = [
        [e.iri, e.mission, e.event_type, e.sentence, e.earliest, e.latest, e.doc]
        for e in found.events
    ]
    figures = [
        [f.iri, f.doc, f.doc_date, f.mission, f.component, f.role, f.qualifier, f.value,
         f.minimum, f.maximum, f.valid_from, f.valid_to, f.modality, f.begin]
        for f in found.figures
    ]  # fmt: skip
    data = {"periods": periods, "events": events, "figures": figures}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def mentions_from_json(data: bytes) -> Mentions:
    """What :func:`mentions_json` wrote."""
    found = json.loads(data)

    def side(s: list[str] | None) -> Side | None:
        return None if s is None else Side(*s)

    return Mentions(
        tuple(_mention(row, side) for row in found["periods"]),
        tuple(EventMention(*row) for row in found["events"]),
        tuple(Figure(*row) for row in found["figures"]),
    )


def _mention(row: list[Any], side: Callable[[list[str] | None], Side | None]) -> Mention:
    iri, doc, date, mission, component, modality, sentence, begin, start, end = row
    return Mention(
        iri, doc, date, mission, component, modality, sentence, begin, side(start), side(end)
    )


def read_mentions(
    store: ox.Store, cache: Path | None = None, keys: Mapping[str, str] | None = None
) -> Mentions:
    """The mentions of every document in the store.

    With ``cache`` and ``keys`` (a key for every document's graph, as
    :func:`kg.store.graph_keys` gives them) each document's mentions are read from its
    graph alone and kept in ``cache`` under the key, and read from there while the key
    is unchanged: a build after one document changed queries one graph.
    """
    if cache is None or not keys:
        return mentions_of(store)

    def of(graph: str) -> bytes:
        return mentions_json(mentions_of(store, [graph]))

    periods: list[Mention] = []
    events: list[EventMention] = []
    figures: list[Figure] = []
    for part in kept_parts(cache, keys, of):
        mine = mentions_from_json(part)
        periods += mine.periods
        events += mine.events
        figures += mine.figures
    return Mentions(tuple(periods), tuple(events), tuple(figures))


def write_consolidation(
    store: ox.Store,
    lines: Path,
    cache: Path | None = None,
    keys: Mapping[str, str] | None = None,
    held: Path | None = None,
) -> Consolidated:
    """Consolidate the mentions of every document in ``store`` and replace the
    consolidation graph with the result, whose quads' N-Quads text is written to
    ``lines`` in the order of the export (:func:`kg.store.write_sorted`), as the
    reconciliation writes its graph; give what it holds (:class:`Consolidated`).
    ``cache`` and ``keys`` keep each document's mentions between builds
    (:func:`read_mentions`); ``held`` is the graph's text as the store holds it, where
    it was kept (:func:`kg.store.held_text`)."""
    found = consolidation_of(store, cache, keys)
    write_sorted(lines, _texts(found.phases, found.links, found.steps))
    replace_graph_lines(store, CONSOLIDATION_GRAPH, lines, held)
    return found


def consolidation_of(
    store: ox.Store, cache: Path | None = None, keys: Mapping[str, str] | None = None
) -> Consolidated:
    """The consolidation of the mentions of every document in ``store`` (``cache`` and
    ``keys`` as :func:`write_consolidation` takes them), without writing its graph."""
    found = read_mentions(store, cache, keys)
    phases, links = consolidate(found.periods, found.events)
    steps = strength_steps(found.figures)
    return Consolidated(phases, links, steps, {e.iri: e.doc for e in found.events})
