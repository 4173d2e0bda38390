"""The viewer's data: the facts, documents and network of a build, read with SPARQL.

The page shows each document's facts, and a document's facts are decided by its own
graph and the ontology alone. So the data is read document by document
(:func:`document_sources`, :func:`gather_document`): the viewer's queries
(``kg/render/queries/*.rq``: the named queries' canonical columns plus each fact's IRI
and the offsets of its figure and sentence) and the named queries ``documents`` and
``signatories``, each on one document's graph with the ontology, on a build's store
or a copy of one graph of a remote SPARQL endpoint. :func:`gather` reads them all
into a :class:`SiteData`; :func:`page_json` writes the JSON the page reads (sorted
keys, each sentence once per document, the same text for the same data) from
documents read one at a time, so that writing it does not hold every fact. The
contribution phases (:func:`phases_of`) are made from all documents, so they are no
document's share: they are read from the consolidation graph with one query, each
with the ids of its mentions (whose sentences the documents' data holds).

What the page calls things is decided here, once, for the charts, the list and the
network alike: an event's or a period's title (:func:`headline`: what it is about and
its event type, in the ontology's words, never words cut from its sentence), a
phase's (:func:`phase_headline`: what it is about, and its sides as stated), whose
money an amount is (:data:`PURPOSES`), and which spellings name one person
(:func:`same_people`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypedDict

import pyoxigraph as ox

from kg import __version__
from kg.query import Answer, Source, Table, answer, named_queries, read, run, table_of
from kg.tables import VIEWER_PHASES, linked_rows
from kg.timevalue import value_bounds
from kg.vocab import ID, ONTOLOGY_IRI, PREFIXES

KINDS = ("personnel", "budget", "event", "period")
DOC_PREFIX = f"{ID}doc/"
NETWORK_KINDS = ("mission", "component", "document", "event", "organisation", "country", "person")


@dataclass(frozen=True, slots=True)
class Concept:
    """A mission, component, country, organisation, role or event type of the gazetteers."""

    kind: str
    code: str
    label: str  # English where the gazetteer has it, else Dutch, else the code
    label_nl: str | None = None
    broader: str | None = None  # a component's mission
    definition: str | None = None  # a consolidation rule's or side status's


@dataclass(frozen=True, slots=True)
class Document:
    """A document as the details panel shows it (the named query ``documents``)."""

    id: str  # the file name
    type: str
    date: str | None = None
    precision: str | None = None
    inferred: bool = False
    chamber: str | None = None
    dossier: str | None = None
    number: str | None = None
    title: str | None = None
    signatories: tuple[tuple[str, str], ...] = ()  # (name, office)
    identifier: str | None = None  # the official identifier of a fetched document
    page: str | None = None  # and its official page (dcterms:source)


@dataclass(frozen=True, slots=True)
class Fact:
    """One personnel figure, amount, event or period, with where to draw it and its source.

    ``start``/``end`` are the earliest and latest day (ISO) the fact applies to, for
    drawing; either may be None (an open side). ``placed`` says where they come from:
    ``stated`` (the text), ``document`` (the document's date, the text giving no time) or
    ``none``. ``offsets`` are the figure's original offsets in its document; ``mark`` the
    same relative to ``sentence``.
    """

    id: str
    kind: str
    doc: str
    sentence: str
    offsets: tuple[int, int]
    mark: tuple[int, int]
    mission: str = ""  # a mission code; "" where the text names none
    modality: str = "stated"  # stated, planned, expected, possible, conditional, negated
    basis: str | None = None  # how the mission was decided (sentence, paragraph, ...)
    component: str | None = None
    start: str | None = None
    end: str | None = None
    placed: str = "stated"
    # personnel
    value: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    qualifier: str | None = None
    role: str | None = None
    country: str | None = None
    scope: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    # budgets
    amount: int | float | None = None
    currency: str | None = None
    year: str | None = None
    purpose: str | None = None
    recurring: bool | None = None
    # events and periods
    label: str | None = None
    date: str | None = None
    precision: str | None = None
    modifier: str | None = None
    event_type: str | None = None
    period_start: str | None = None
    period_end: str | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    """A contribution phase of the consolidation graph (``kg:ContributionPhase``), as the
    timeline draws it: one bar, from the start to the end the texts state.

    ``start_status`` and ``end_status`` are ``stated``, ``unstated`` (no text states
    the side: drawn as an open stub, never given a date) or ``disputed`` (the latest
    documents disagree: ``start_claims``/``end_claims`` are the values they give, and
    ``start_zone``/``end_zone`` the first and last day these can mean). A
    stated side's value (``start_value``, as the text writes it) has its ``precision``;
    ``start`` and ``end`` are its first and last day (ISO), for drawing. The planned
    start and end are kept apart (``planned_start``/``planned_end`` the values,
    ``plan_from``/``plan_to`` their days) and are never a stated side. ``mentions`` are
    the ids of the supporting period facts and events (the page's facts: their
    sentences are there), in order; ``start_by`` and ``end_by`` the indexes among them
    of those that give a start and an end (stated or planned: each fact says which).
    ``rules`` are the rules that joined
    them (ontology/README.md, "Consolidation").
    """

    id: str  # the IRI without the common prefix
    mission: str
    component: str | None = None
    start_status: str = "unstated"
    end_status: str = "unstated"
    start_value: str | None = None
    start_precision: str | None = None
    end_value: str | None = None
    end_precision: str | None = None
    start: str | None = None
    end: str | None = None
    planned_start: str | None = None
    planned_end: str | None = None
    plan_from: str | None = None
    plan_to: str | None = None
    start_claims: tuple[str, ...] = ()
    end_claims: tuple[str, ...] = ()
    start_zone: tuple[str, ...] = ()  # the first and last day the start's claims can mean
    end_zone: tuple[str, ...] = ()  # and the end's
    rules: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    start_by: tuple[int, ...] = ()
    end_by: tuple[int, ...] = ()
    title: str = ""


@dataclass(frozen=True, slots=True)
class Node:
    """A node of the network: ``group`` is its kind (one of NETWORK_KINDS)."""

    id: str
    label: str
    group: str
    fact: str | None = None  # an event node's fact
    mission: str | None = None  # a mission's or component's mission
    doc: str | None = None  # a document node's document
    aliases: tuple[str, ...] = ()  # a person's other spellings (:func:`same_people`)


@dataclass(frozen=True, slots=True)
class Edge:
    """An edge of the network, ``source`` to ``target``, with what it means."""

    source: str
    target: str
    label: str


@dataclass(frozen=True, slots=True)
class SiteData:
    """Everything the page shows."""

    concepts: tuple[Concept, ...] = ()
    documents: tuple[Document, ...] = ()
    facts: tuple[Fact, ...] = ()
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    phases: tuple[Phase, ...] = ()
    version: str = __version__


@dataclass(frozen=True, slots=True)
class DocumentData:
    """What the page shows of one document: its record, its facts in document order,
    and what each of its events names (the event's id, then (kind, code) pairs)."""

    document: Document
    facts: tuple[Fact, ...] = ()
    mentions: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


# --- time values -----------------------------------------------------------------------------


def bounds(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest day of a time value; one that cannot be read gives
    (None, None).

    >>> [d.isoformat() for d in bounds("2018-FA")]
    ['2018-09-01', '2018-11-30']
    >>> bounds("2014/2020")[1], bounds("2016/")[1], bounds(None), bounds("2019-02-31")
    (datetime.date(2020, 12, 31), None, (None, None), (None, None))
    """
    try:
        return value_bounds(value)
    except ValueError:  # "2019-02-31", week 54: shown without bounds
        return None, None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- what the page calls an event or a period ------------------------------------------------

# The type of an event whose words name none of the ontology's event types.
UNTYPED = "date mentioned"
# The event types a period's trigger may give it, and the side of the period the
# text must state for it: "verlengd tot en met 2019" is an extension (its end).
PERIOD_TYPES = {"start": "start", "end": "end", "extension": "end"}

Labels = Mapping[tuple[str, str], Concept]


def labels_of(concepts: Iterable[Concept]) -> dict[tuple[str, str], Concept]:
    """The concepts by (kind, code)."""
    return {(c.kind, c.code): c for c in concepts}


def _label(labels: Labels, kind: str, code: str) -> str:
    found = labels.get((kind, code))
    return found.label if found is not None else code


def headline(fact: Fact, labels: Labels) -> str | None:
    """What an event or a period says happened, in the ontology's words, never the
    sentence's: what it is about (the component's label, else the mission's code),
    then its event type. A period's type is its trigger's where that fits the side
    the text states (:data:`PERIOD_TYPES`), else the sides it states: start, end, or
    start and end. An event of no type is a :data:`UNTYPED`. None for other facts.

    >>> labels = labels_of([Concept("component", "f16", "F-16 detachment"),
    ...                     Concept("event_type", "end", "end")])
    >>> headline(Fact("p", "period", "d", "", (0, 1), (0, 1), "OIR", component="f16",
    ...               period_end="2018-12-31", event_type="start"), labels)
    'F-16 detachment: end'
    >>> headline(Fact("e", "event", "d", "", (0, 1), (0, 1), "NMI"), labels)
    'NMI: date mentioned'
    """
    if fact.kind not in ("event", "period"):
        return None
    about = _label(labels, "component", fact.component) if fact.component else fact.mission or ""
    if fact.kind == "event":
        what = _label(labels, "event_type", fact.event_type) if fact.event_type else UNTYPED
    else:
        stated = {"start": fact.period_start is not None, "end": fact.period_end is not None}
        side = PERIOD_TYPES.get(fact.event_type or "")
        if fact.event_type and side and stated[side]:
            what = _label(labels, "event_type", fact.event_type)
        else:
            sides = [_label(labels, "event_type", side) for side in stated if stated[side]]
            what = " and ".join(sides) or "period"
    return f"{about}: {what}" if about else what


def _phase_side(status: str, value: str | None, planned: str | None) -> str:
    if status == "stated" and value:
        return value
    if status == "disputed":
        return "disputed"
    return f"planned {planned}" if planned else "?"


def phase_headline(phase: Phase, labels: Labels) -> str:
    """What a phase is about (the component's label, else the mission's code) and when:
    each side as the texts state it, ``?`` where none does (the stub's mark), or
    ``disputed``; a side that is only planned is ``planned`` and its value, never the
    value alone.

    >>> labels = labels_of([Concept("component", "f16", "F-16 detachment")])
    >>> phase_headline(Phase("p", "OIR", "f16", "stated", "stated", "2018-01", "month",
    ...                      "2018-12-31", "day"), labels)
    'F-16 detachment: 2018-01 – 2018-12-31'
    >>> phase_headline(Phase("p", "OIR", start_status="stated", start_value="2014-10",
    ...                      planned_end="2019-01"), labels)
    'OIR: 2014-10 – planned 2019-01'
    """
    about = _label(labels, "component", phase.component) if phase.component else phase.mission
    start = _phase_side(phase.start_status, phase.start_value, phase.planned_start)
    end = _phase_side(phase.end_status, phase.end_value, phase.planned_end)
    return f"{about}: {start} – {end}"


# --- reading the store -----------------------------------------------------------------------


def _records(table: Table) -> Iterator[dict[str, str]]:
    """The rows of a table as column -> value, empty cells left out."""
    for row in table.rows:
        yield {name: cell for name, cell in zip(table.columns, row, strict=True) if cell != ""}


@cache
def viewer_query(name: str) -> str:
    """The text of one of the viewer's own queries (``kg/render/queries/NAME.rq``)."""
    return resources.files("kg.render").joinpath("queries", f"{name}.rq").read_text("utf-8")


def _number(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _amount(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _fact_id(iri: str) -> str:
    """A fact's short id: its IRI without the common prefix (stable across builds)."""
    return iri.removeprefix(DOC_PREFIX)


class _Source(TypedDict):
    id: str
    doc: str
    sentence: str
    offsets: tuple[int, int]
    mark: tuple[int, int]
    mission: str
    modality: str
    basis: str | None


def _source(row: dict[str, str], end_column: str = "end") -> _Source:
    """The fields every fact has, from a viewer query's row."""
    begin, end, sentence_begin = int(row["begin"]), int(row[end_column]), int(row["sentence_begin"])
    return {
        "id": _fact_id(row["fact"]),
        "doc": row["doc"],
        "sentence": row["quote"],
        "offsets": (begin, end),
        "mark": (begin - sentence_begin, end - sentence_begin),
        "mission": row.get("mission", ""),
        "modality": row.get("modality") or "stated",
        "basis": row.get("basis"),
    }


def _placed(
    valid_from: str | None, valid_to: str | None, doc_date: str | None
) -> tuple[str | None, str | None, str]:
    """Where a figure is drawn: its stated time, else its document's date.

    A figure with only a start holds until its document's date; with only an end,
    from that end's first day.
    """
    first, _ = bounds(valid_from)
    _, last = bounds(valid_to)
    doc_first, doc_last = bounds(doc_date)
    if first is None and last is None:
        if doc_first is None:
            return None, None, "none"
        return _iso(doc_first), _iso(doc_last), "document"
    if last is None:
        assert first is not None
        last = max(first, doc_last) if doc_last is not None else bounds(valid_from)[1]
    if first is None:
        first = bounds(valid_to)[0]
    return _iso(first), _iso(last), "stated"


def _personnel(store: Source, dates: dict[str, str | None]) -> Iterator[Fact]:
    for row in _records(run(store, viewer_query("personnel"))):
        start, end, placed = _placed(row.get("valid_from"), row.get("valid_to"), dates[row["doc"]])
        yield Fact(
            kind="personnel",
            component=row.get("component"),
            start=start,
            end=end,
            placed=placed,
            value=_number(row.get("value")),
            minimum=_number(row.get("min")),
            maximum=_number(row.get("max")),
            qualifier=row["qualifier"],
            role=row["role"],
            country=row.get("country"),
            scope=row["scope"],
            valid_from=row.get("valid_from"),
            valid_to=row.get("valid_to"),
            **_source(row),
        )


def _budgets(store: Source, dates: dict[str, str | None]) -> Iterator[Fact]:
    for row in _records(run(store, viewer_query("budgets"))):
        year = row.get("year")
        valid_from, valid_to = row.get("valid_from"), row.get("valid_to")
        if year and bounds(year) != (None, None):
            # an amount's year or period ("sinds 2016": until the document) is when it applies
            valid_from, valid_to = year.partition("/")[0] or None, year
        start, end, placed = _placed(valid_from, valid_to, dates[row["doc"]])
        yield Fact(
            kind="budget",
            component=row.get("component"),
            start=start,
            end=end,
            placed=placed,
            amount=_amount(row["amount"]),
            currency=row["currency"],
            year=year,
            purpose=row["purpose"],
            recurring=row.get("recurring") == "true",
            valid_from=row.get("valid_from"),
            valid_to=row.get("valid_to"),
            **_source(row),
        )


def _events(store: Source) -> Iterator[Fact]:
    for row in _records(run(store, viewer_query("events"))):
        yield Fact(
            kind="event",
            start=row.get("earliest"),
            end=row.get("latest"),
            placed="stated" if row.get("earliest") or row.get("latest") else "none",
            label=row.get("label"),
            date=row["date"],
            precision=row["precision"],
            modifier=row.get("modifier"),
            event_type=row.get("event_type"),
            **_source(row),
        )


def _periods(store: Source) -> Iterator[Fact]:
    seen: set[str] = set()
    for row in _records(run(store, viewer_query("periods"))):
        if row["fact"] in seen:  # both sides with the same value match both times
            continue
        seen.add(row["fact"])
        start = row.get("start_earliest") or row.get("start_latest")
        end = row.get("end_latest") or row.get("end_earliest")
        yield Fact(
            kind="period",
            component=row.get("component"),
            start=start,
            end=end,
            placed="stated" if start or end else "none",
            label=row.get("label"),
            event_type=row.get("period_type"),
            period_start=row.get("start"),
            period_end=row.get("end"),
            **_source(row, "finish"),
        )


def concepts_of(store: Source) -> tuple[Concept, ...]:
    return tuple(
        Concept(
            row["kind"],
            row["code"],
            row.get("label_en") or row.get("label_nl") or row["code"],
            row.get("label_nl"),
            row.get("broader"),
            row.get("definition"),
        )
        for row in _records(run(store, viewer_query("concepts")))
    )


@cache
def _named(name: str) -> str:
    return named_queries()[name].text


def _documents(store: Source) -> tuple[Document, ...]:
    signed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _records(run(store, _named("signatories"))):
        signed[row["doc"]].append((row["name"], row.get("office", "")))
    return tuple(
        Document(
            id=row["doc"],
            type=row.get("type", ""),
            date=row.get("date"),
            precision=row.get("precision"),
            inferred=row.get("inferred") == "true",
            chamber=row.get("chamber"),
            dossier=row.get("dossier"),
            number=row.get("number"),
            title=row.get("title"),
            signatories=tuple(signed[row["doc"]]),
            identifier=row.get("identifier"),
            page=row.get("page"),
        )
        for row in _records(run(store, _named("documents")))
    )


def _mentions(store: Source) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _records(run(store, viewer_query("mentions"))):
        found[_fact_id(row["fact"])].append((row["kind"], row["code"]))
    return found


def gather_document(store: Source) -> DocumentData | None:
    """The page's data of the one document whose graph (with the ontology) ``store``
    holds; None where it holds no document."""
    documents = _documents(store)
    if len(documents) != 1:
        return None
    document = documents[0]
    dates = {document.id: document.date}
    facts = [*_personnel(store, dates), *_budgets(store, dates), *_events(store), *_periods(store)]
    facts.sort(key=lambda f: (f.offsets, KINDS.index(f.kind), f.id))
    mentions = tuple((fact, tuple(names)) for fact, names in sorted(_mentions(store).items()))
    return DocumentData(document, tuple(facts), mentions)


PHASE_PREFIX = f"{ID}phase/"


def _first_day(value: str | None) -> str | None:
    return _iso(bounds(value)[0]) if value else None


def _last_day(value: str | None) -> str | None:
    return _iso(bounds(value)[1]) if value else None


def _zone(values: Sequence[str]) -> tuple[str, ...]:
    """The first and last day that any of ``values`` can mean; () where none can be read."""
    firsts = [d for d in (bounds(v)[0] for v in values) if d is not None]
    lasts = [d for d in (bounds(v)[1] for v in values) if d is not None]
    if not firsts or not lasts:
        return ()
    return (min(firsts).isoformat(), max(lasts).isoformat())


def phases_of(
    source: Source, labels: Labels | None = None, out: Path | None = None
) -> Iterator[Phase]:
    """The contribution phases of a build's consolidation graph (``CONSOLIDATION_GRAPH``,
    made by kg.consolidate from all documents), read with one query
    (``kg/render/queries/phases.rq``, one row per phase), in the order of their ids,
    each titled by :func:`phase_headline` in the words of the concepts ``labels``. Its
    mentions are given by id only: their sentences are in the documents' data. A
    build without the graph has none. With ``out``, the build folder whose store
    ``source`` is, the rows are read from the table the build made of the query
    (:data:`kg.tables.VIEWER_PHASES`) where it holds them."""
    text = viewer_query("phases")
    tabled = None
    if out is not None and isinstance(source, ox.Store):
        tabled = linked_rows(out, source, VIEWER_PHASES, text)
    found = table_of(tabled) if tabled is not None else run(source, text)
    for row in sorted(_records(found), key=lambda row: row["phase"]):
        mentions = sorted({_fact_id(iri) for iri in row["mentions"].split()})
        at = {mention: n for n, mention in enumerate(mentions)}
        start_status, end_status = row["start_status"], row["end_status"]
        stated_start = row.get("start") if start_status == "stated" else None
        stated_end = row.get("end") if end_status == "stated" else None
        start_claims = tuple(sorted(set(row.get("start_claims", "").split())))
        end_claims = tuple(sorted(set(row.get("end_claims", "").split())))
        phase = Phase(
            id=row["phase"].removeprefix(PHASE_PREFIX),
            mission=row["mission"],
            component=row.get("component"),
            start_status=start_status,
            end_status=end_status,
            start_value=stated_start,
            start_precision=row.get("start_precision") if stated_start else None,
            end_value=stated_end,
            end_precision=row.get("end_precision") if stated_end else None,
            start=_first_day(stated_start),
            end=_last_day(stated_end),
            planned_start=row.get("planned_start"),
            planned_end=row.get("planned_end"),
            plan_from=_first_day(row.get("planned_start")),
            plan_to=_last_day(row.get("planned_end")),
            start_claims=start_claims,
            end_claims=end_claims,
            start_zone=_zone(start_claims),
            end_zone=_zone(end_claims),
            rules=tuple(sorted(row.get("rules", "").split())),
            mentions=tuple(mentions),
            start_by=_indexes(row.get("start_mentions", ""), at),
            end_by=_indexes(row.get("end_mentions", ""), at),
        )
        yield replace(phase, title=phase_headline(phase, labels or {}))


def _indexes(iris: str, at: Mapping[str, int]) -> tuple[int, ...]:
    """The places in a phase's mentions of the mentions ``iris`` (IRIs, space-separated)."""
    return tuple(sorted({at[m] for m in (_fact_id(iri) for iri in iris.split()) if m in at}))


class _Scoped:
    """A store's queries on some of its graphs only: their union is the default graph."""

    def __init__(self, store: ox.Store, graphs: Sequence[str]) -> None:
        self.store = store
        self.graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.NamedNode(g) for g in graphs
        ]

    def answer(self, text: str) -> Answer:
        return read(self.store.query(text, default_graph=self.graphs, prefixes=PREFIXES))


_GRAPHS = """SELECT ?graph ?doc WHERE { GRAPH ?graph { ?d a kg:Document ; kg:fileName ?doc } }
ORDER BY ?doc ?graph"""


def _copy(source: Source, graph: str) -> Iterator[ox.Quad]:
    """The triples of one graph of ``source``, as quads in that graph."""
    found = answer(source, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    name = ox.NamedNode(graph)
    assert isinstance(found, tuple)
    return (ox.Quad(t.subject, t.predicate, t.object, name) for t in found)


def document_graphs(source: Source) -> list[tuple[str, str]]:
    """Every document of ``source`` and the graph that holds it, in the order of their
    names."""
    return [(row[1], row[0]) for row in run(source, _GRAPHS).rows]


def document_sources(
    source: Source, documents: Iterable[tuple[str, str]]
) -> Iterator[tuple[str, Source]]:
    """For each (document, graph): the document and a source holding only its graph
    and the ontology. On a local store the queries are kept to those graphs; from a
    remote endpoint, which need not support choosing graphs, the two are copied into
    a store in memory."""
    if isinstance(source, ox.Store):
        for name, graph in documents:
            yield name, _Scoped(source, (graph, ONTOLOGY_IRI))
        return
    ontology = list(_copy(source, ONTOLOGY_IRI))
    for name, graph in documents:
        copy = ox.Store()
        copy.bulk_extend([*ontology, *_copy(source, graph)])
        yield name, copy


def gather(store: Source) -> SiteData:
    """Read everything the page shows from a build's store or a remote endpoint."""
    concepts = concepts_of(store)
    parts = [
        part
        for _name, scoped in document_sources(store, document_graphs(store))
        if (part := gather_document(scoped)) is not None
    ]
    facts = [fact for part in parts for fact in part.facts]
    mentions = {fact: list(names) for part in parts for fact, names in part.mentions}
    documents = tuple(part.document for part in parts)
    nodes, edges = network(concepts, documents, facts, mentions)
    phases = tuple(phases_of(store, labels_of(concepts)))
    return SiteData(concepts, documents, tuple(facts), nodes, edges, phases)


# --- the network -----------------------------------------------------------------------------


def _short(text: str, limit: int = 32) -> str:
    """``text`` on one line, cut to ``limit`` characters.

    >>> _short("a  very long label indeed", 12)
    'a very long…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Network:
    """The network of missions, components, documents, events, organisations, countries
    and people, built a document at a time: which component belongs to which mission,
    which document reports on which mission, which event a document reports and what
    it names (and so what the document names), who signed what, and which country
    contributes to which mission. A mission is a node only where something links to
    it."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.known = labels_of(concepts)
        self.nodes: dict[str, Node] = {}
        self.edges: set[Edge] = set()

    def _concept(self, kind: str, code: str) -> str:
        node_id = f"{kind}:{code}"
        if node_id not in self.nodes:
            found = self.known.get((kind, code))
            label = found.label if found else code
            mission = code if kind == "mission" else (found.broader if found else None)
            self.nodes[node_id] = Node(
                node_id, label if kind != "mission" else code, kind, None, mission
            )
            if kind == "component" and mission:
                self.edges.add(Edge(node_id, self._concept("mission", mission), "part of"))
        return node_id

    def _person(self, name: str) -> str:
        node_id = f"person:{' '.join(name.split())}"
        self.nodes.setdefault(node_id, Node(node_id, " ".join(name.split()), "person"))
        return node_id

    def add_document(self, doc: Document) -> None:
        doc_id = f"document:{doc.id}"
        label = " ".join(x for x in (doc.type, doc.date or "", doc.number or "") if x)
        self.nodes[doc_id] = Node(doc_id, _short(label or doc.id), "document", doc=doc.id)
        for name, _office in doc.signatories:
            self.edges.add(Edge(doc_id, self._person(name), "signed by"))

    def add_fact(self, fact: Fact, mentions: Iterable[tuple[str, str]] = ()) -> None:
        """A fact, and for an event what it names."""
        doc_id = f"document:{fact.doc}"
        edges = self.edges
        if fact.mission:
            edges.add(Edge(doc_id, self._concept("mission", fact.mission), "reports on"))
        if fact.component:
            self._concept("component", fact.component)
        if fact.kind == "personnel" and fact.country and fact.mission and fact.country != "NL":
            country = self._concept("country", fact.country)
            edges.add(Edge(country, self._concept("mission", fact.mission), "contributes to"))
        if fact.kind != "event":
            return
        event_id = f"event:{fact.id}"
        label = _short(f"{fact.date} {headline(fact, self.known)}", 40)
        self.nodes[event_id] = Node(
            event_id, label, "event", fact=fact.id, mission=fact.mission or None
        )
        edges.add(Edge(doc_id, event_id, "reports"))
        if fact.mission:
            edges.add(Edge(event_id, self._concept("mission", fact.mission), "about"))
        for kind, code in mentions:
            target = self._person(code) if kind == "person" else self._concept(kind, code)
            verb = "names" if kind == "person" else "mentions"
            edges.add(Edge(event_id, target, verb))
            # what a document's events name, the document names: the network without
            # its events still shows who and what each document is about
            if kind != "mission":
                edges.add(Edge(doc_id, target, verb))

    def add(self, part: DocumentData) -> None:
        self.add_document(part.document)
        named = dict(part.mentions)
        for fact in part.facts:
            self.add_fact(fact, named.get(fact.id, ()))

    def merge(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        """Add the nodes and edges of another network of the same concepts."""
        for node in nodes:
            self.nodes.setdefault(node.id, node)
        self.edges.update(edges)

    def result(self, resolve: bool = True) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
        """The nodes by kind and id, and one edge per pair of nodes; with ``resolve``,
        each person once, whatever the spellings (:func:`same_people`): a document's
        share of the network is kept unresolved, since which spellings are one person
        depends on the names of the whole build."""
        nodes, edges = dict(self.nodes), self.edges
        if resolve:
            nodes, edges = _resolved(nodes, edges)
        ordered = sorted(nodes.values(), key=lambda n: (NETWORK_KINDS.index(n.group), n.id))
        # one edge per pair: "about" says more than "mentions" of the same mission
        pairs: dict[tuple[str, str], Edge] = {}
        for edge in sorted(edges, key=lambda e: (e.source, e.target, e.label)):
            pairs.setdefault((edge.source, edge.target), edge)
        return tuple(ordered), tuple(pairs.values())


def _resolved(nodes: dict[str, Node], edges: set[Edge]) -> tuple[dict[str, Node], set[Edge]]:
    """The network with each person's spellings made one node, named by the fullest."""
    people = [node for node in nodes.values() if node.group == "person"]
    same = same_people(node.label for node in people)
    if all(same[node.label] == node.label for node in people):
        return nodes, edges
    moved: dict[str, str] = {}
    spellings: dict[str, set[str]] = defaultdict(set)
    for node in people:
        moved[node.id] = f"person:{same[node.label]}"
        spellings[same[node.label]].add(node.label)
    kept = {key: node for key, node in nodes.items() if node.group != "person"}
    for name, written in spellings.items():
        node_id = f"person:{name}"
        kept[node_id] = Node(node_id, name, "person", aliases=tuple(sorted(written - {name})))
    joined = set()
    for edge in edges:
        source, target = moved.get(edge.source, edge.source), moved.get(edge.target, edge.target)
        if source != target:
            joined.add(Edge(source, target, edge.label))
    return kept, joined


# Words of a name that are not the name, for telling spellings apart: particles
# ("van", "de"; "al-" as part of a word) and titles ("drs", "mr.").
NAME_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "von", "al", "el"}
)
NAME_TITLES = frozenset({"drs", "dr", "mr", "ir", "ing", "prof", "ds"})
_ARTICLE = re.compile(r"^(?:al|el)-(?=\w)", re.IGNORECASE)


def name_key(name: str) -> tuple[str, ...]:
    """The words of a person's name that tell it apart, lower case, without
    particles and titles.

    >>> name_key("Mohammed al-Sudani"), name_key("drs K.H. Ollongren"), name_key("Van der Maat")
    (('mohammed', 'sudani'), ('k.h.', 'ollongren'), ('maat',))
    """
    words = []
    for word in name.split():
        word = _ARTICLE.sub("", word).lower()
        if word in NAME_PARTICLES or word.rstrip(".") in NAME_TITLES:
            continue
        words.append(word)
    return tuple(words)


def same_people(names: Iterable[str]) -> dict[str, str]:
    """Each name, to the name of the person it is taken to be: names with the same
    :func:`name_key` are one person ("al-Sudani", "Sudani"), and a name whose key is
    the end of longer ones ("Sudani", "Mohammed al-Sudani") is the person of the
    longest where those are all one chain of such ends; where two longer names
    differ ("S.A. Blok", "Kees Blok"), the shorter is left alone, as unknown. A
    person is named by their longest spelling (most words, then most letters).

    >>> same = same_people(["Sudani", "al-Sudani", "Mohammed al-Sudani", "Blok", "Rutte"])
    >>> same["Sudani"], same["al-Sudani"], same["Blok"], same["Rutte"]
    ('Mohammed al-Sudani', 'Mohammed al-Sudani', 'Blok', 'Rutte')
    >>> same_people(["Blok", "S.A. Blok", "Kees Blok"])["Blok"]
    'Blok'
    """
    written = sorted(set(names))
    keys = {name: name_key(name) for name in written}
    by_surname: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in sorted(set(keys.values())):
        by_surname[key[-1] if key else ""].append(key)
    person: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in (k for group in by_surname.values() for k in group):
        same_end = by_surname[key[-1]] if key else []
        longer = [k for k in same_end if len(k) > len(key) and k[-len(key) :] == key]
        longest = max(longer, key=len, default=key)
        one_chain = all(longest[-len(k) :] == k for k in longer)
        person[key] = longest if one_chain else key
    spelling: dict[tuple[str, ...], str] = {}
    for name in written:
        key = keys[name]
        best = spelling.get(key)
        if best is None or (len(name.split()), len(name)) > (len(best.split()), len(best)):
            spelling[key] = name
    return {name: spelling[person[keys[name]]] for name in written}


def network(
    concepts: Iterable[Concept],
    documents: Iterable[Document],
    facts: Iterable[Fact],
    mentions: dict[str, list[tuple[str, str]]],
) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """The :class:`Network` of all ``documents`` and ``facts`` at once."""
    built = Network(concepts)
    for doc in documents:
        built.add_document(doc)
    for fact in facts:
        built.add_fact(fact, mentions.get(fact.id, ()))
    return built.result()


# --- JSON ------------------------------------------------------------------------------------


_FIELDS: dict[type, tuple[str, ...]] = {}  # a record class's field names, looked up once


def _compact(
    record: Concept | Document | Fact | Node | Edge | Phase, skip: tuple[str, ...] = ()
) -> dict[str, object]:
    """A record's fields as a dict, leaving out None, empty tuples and ``skip``."""
    out: dict[str, object] = {}
    kind = type(record)
    names = _FIELDS.get(kind) or _FIELDS.setdefault(kind, tuple(f.name for f in fields(record)))
    for name in names:
        value = getattr(record, name)
        if name in skip or value is None or value == ():
            continue
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _dumps(value: object) -> str:
    """JSON text, safe inside a ``<script>`` element (:func:`script_safe`)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return script_safe(text)


def _array(items: Iterable[object]) -> str:
    return _dumps(list(items))


@dataclass(frozen=True, slots=True)
class PagePart:
    """One document's share of the page's data, each piece JSON text safe inside a
    ``<script>`` element: its record, its facts (comma-separated records, each with the
    index ``s`` of its sentence in the document's ``sentences``) and its sentences,
    each once."""

    doc: str  # the document's id
    document: str
    facts: str
    sentences: str


def page_part(
    doc: str, document: Document | None, facts: Iterable[Fact], labels: Labels | None = None
) -> PagePart:
    """The :class:`PagePart` of the document ``doc`` (``document`` None where the data
    has no record of it), each event and period with its :func:`headline` (``title``)
    in the words of the concepts ``labels``."""
    local: dict[str, int] = {}
    records = []
    for fact in facts:
        record = _compact(fact, skip=("sentence",))
        record["s"] = local.setdefault(fact.sentence, len(local))
        title = headline(fact, labels or {})
        if title is not None:
            record["title"] = title
        records.append(record)
    own = _dumps(_compact(document)) if document is not None else ""
    return PagePart(doc, own, _dumps(records)[1:-1], _array(local))


# Whose money an amount is, by its purpose (kg:purpose): "dutch" what the Netherlands
# spends or gives, "others" an estimate by others of what something costs (the World
# Bank's of reconstruction), which is no Dutch spending: the amounts chart shows it
# apart, and only when asked. A purpose not in the table is shown with the others.
PURPOSES: dict[str, tuple[str, str]] = {
    "military": ("additional military expenditure", "dutch"),
    "stabilisation": ("stabilisation", "dutch"),
    "humanitarian": ("humanitarian aid", "dutch"),
    "development": ("development cooperation", "dutch"),
    "other": ("other or several purposes", "dutch"),
    "reconstruction_estimate": ("estimate of reconstruction costs by others", "others"),
}


def page_json(
    concepts: Iterable[Concept],
    documents: Iterable[str],
    edges: Iterable[Edge],
    facts: Iterable[str],
    nodes: Iterable[Node],
    sentences: Iterable[tuple[str, str]],
    version: str,
    phases: Iterable[Phase] = (),
) -> Iterator[str]:
    """The page's data as JSON safe inside a ``<script>`` element, in pieces, so that
    the facts and sentences, read one document at a time, are never held at once.

    ``documents`` are records, ``facts`` documents' comma-separated records (as a
    :class:`PagePart` has them), ``sentences`` (document id, its sentences) in the
    documents' order; ``phases`` the contribution phases, each with the ids of its
    mentions among the facts; ``purposes`` is :data:`PURPOSES`, whose money each
    purpose is.
    The keys are sorted and each document's sentences are kept once, under its id (a
    fact's ``s`` is the index among its document's), so the same data gives the same
    text.
    """
    yield '{"concepts":' + _array(_compact(c) for c in concepts)
    yield ',"documents":['
    yield from _joined(documents)
    yield '],"edges":' + _array(_compact(e) for e in edges)
    yield ',"facts":['
    yield from _joined(facts)
    yield '],"nodes":' + _array(_compact(n) for n in nodes)
    yield ',"phases":['
    yield from _joined(_dumps(_compact(phase)) for phase in phases)
    yield "]"
    purposes = {
        code: {"label": label, "series": series} for code, (label, series) in PURPOSES.items()
    }
    yield ',"purposes":' + _dumps(purposes)
    yield ',"sentences":{'
    yield from _joined(f"{_dumps(doc)}:{text}" for doc, text in sentences)
    yield f'}},"version":{_dumps(version)}}}'


def _joined(pieces: Iterable[str]) -> Iterator[str]:
    """Pieces with a comma between the non-empty ones."""
    first = True
    for piece in pieces:
        if piece:
            yield piece if first else "," + piece
            first = False


def by_document(facts: Iterable[Fact]) -> Iterator[list[Fact]]:
    """Facts in document order, one document's at a time."""
    group: list[Fact] = []
    for fact in facts:
        if group and fact.doc != group[0].doc:
            yield group
            group = []
        group.append(fact)
    if group:
        yield group


def to_json(data: SiteData) -> str:
    """The page's data as JSON (:func:`page_json`) in one text.

    >>> fact = Fact("d/event/0-4/0", "event", "d", "2019 was it", (0, 4), (0, 4), date="2019")
    >>> data = json.loads(to_json(SiteData(facts=(fact,), version="1")))
    >>> data["sentences"], data["facts"][0]["s"], data["facts"][0]["mark"]
    ({'d': ['2019 was it']}, 0, [0, 4])
    """
    records = {d.id: d for d in data.documents}
    groups = {group[0].doc: group for group in by_document(data.facts)}
    labels = labels_of(data.concepts)
    parts = [
        page_part(doc, records.get(doc), groups.get(doc, ()), labels)
        for doc in sorted(records | groups)
    ]
    return "".join(
        page_json(
            data.concepts,
            (part.document for part in parts),
            data.edges,
            (part.facts for part in parts),
            data.nodes,
            ((part.doc, part.sentences) for part in parts if part.facts),
            data.version,
            data.phases,
        )
    )


# --- a document's data kept between builds ---------------------------------------------------


def document_share(store: Source, concepts: Iterable[Concept]) -> bytes:
    """The share of the page (:func:`part_lines`, empty for none) of the one document
    whose graph, with the ontology, a store holds, read as :func:`gather_document`
    reads it."""
    found = gather_document(store)
    return part_lines(concepts, found) if found is not None else b""


def part_lines(concepts: Iterable[Concept], part: DocumentData) -> bytes:
    """One document's share of the page, read back by :func:`read_part`: its
    :class:`PagePart` and its network, one line each (JSON text holds no line break)."""
    concepts = tuple(concepts)
    piece = page_part(part.document.id, part.document, part.facts, labels_of(concepts))
    network = Network(concepts)
    network.add(part)
    nodes, edges = network.result(resolve=False)
    lines = (
        _dumps(piece.doc),
        piece.document,
        piece.facts,
        piece.sentences,
        _array(_compact(n) for n in nodes),
        _array(_compact(e) for e in edges),
    )
    return "\n".join(lines).encode("utf-8")


def read_part(data: bytes) -> PagePart:
    """The document's share that :func:`part_lines` wrote, without its network.

    Raises ValueError where ``data`` is not such a part.
    """
    doc, document, facts, sentences, _nodes, _edges = data.decode("utf-8").split("\n")
    return PagePart(json.loads(doc), document, facts, sentences)


def read_part_network(data: bytes) -> tuple[list[Node], list[Edge]]:
    """The network of the document's share that :func:`part_lines` wrote.

    Raises ValueError (or TypeError) where ``data`` is not such a part.
    """
    _doc, _document, _facts, _sentences, nodes, edges = data.decode("utf-8").split("\n")
    return (
        [Node(**record) for record in json.loads(nodes)],
        [Edge(**record) for record in json.loads(edges)],
    )


def script_safe(text: str) -> str:
    """JSON made safe inside an HTML ``<script>`` element: ``<``, ``>`` and ``&`` as
    JSON escapes (so no ``</script>`` or ``<!--`` can end or change the element), and
    the two line separators JavaScript once treated as line ends.

    >>> script_safe('{"q":"</script><b>&"}')
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text
