"""Tables of the named queries of the consolidation's phases and strength steps.

``lifecycle`` and ``phases`` (:data:`kg.tables.CONSOLIDATED`) give rows for one
contribution phase each (``?phase``), ``strength`` for one strength step (``?step``)
(kg/consolidate/). A unit's rows (a phase's, a step's) are made of the unit alone:

- its quads in the consolidation graph, and the links there that name its mentions;
- what it names described to depth three (its mentions, figures and events, its times;
  the nodes these name, such as their sentences and documents; and the quads of
  those), but for the reconciliation's graph and the build record: read from what the
  worker that read each document described of them (:func:`kg.linked.describe`);
- the ontology (a concept's quads are the ontology's);
- for a step, the reconciliation's links of its figures.

So a unit's rows are the query's answer on a store in memory that holds only the unit,
and they stay the same while these do: what the consolidation decided of the unit
(its IRI, which is made of its mentions', and the fields its quads in the
consolidation graph are written from), the links that name its mentions, the keys of
its mentions' documents' graphs (a mention is read from its document's graph alone),
and for a step its figures' links (:func:`link_digests`). That is a unit's digest.
(How its quads are written is kg's code, in the rules digest of every key.)

Every unit is of one mission, whose notation leads the query's ORDER BY, so the units
fall into blocks by mission, made, kept and read as :func:`kg.linked.write_blocks`
makes them: a rebuild after one document changed makes again only the units that
hold its mentions, or whose mentions' links changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.consolidate import Consolidated, Link, Phase, Step, consolidation_texts
from kg.linked import (
    FIGURES,
    MENTIONS,
    Described,
    kept_texts,
    load_texts,
    read_described,
    write_blocks,
)
from kg.reconcile import Match
from kg.store import BUILD_GRAPH, ONTOLOGY_IRI, RECONCILIATION_GRAPH
from kg.tables import CONSOLIDATED, Index, Linked, _every_text

DEPTH = 3  # the levels of quads a unit's store holds: its own, its nodes', theirs
# the graphs a unit's description leaves out: the reconciliation's (only a step's
# figures' links are read of it) and the build record (made after the tables)
LEFT_OUT = (RECONCILIATION_GRAPH, BUILD_GRAPH)


def link_digests(matches: Iterable[Match]) -> dict[str, int]:
    """For each figure the reconciliation links, a digest of its links (the other
    figure, the relation, which side it is), the same whatever their order."""
    found: dict[str, list[str]] = defaultdict(list)
    for match in matches:
        relation = match.relation.value
        found[match.a.iri].append(f"{match.b.iri}\t{relation}\ta")
        found[match.b.iri].append(f"{match.a.iri}\t{relation}\tb")
    return {
        iri: int.from_bytes(
            hashlib.blake2b("\n".join(sorted(links)).encode(), digest_size=16).digest(), "big"
        )
        for iri, links in found.items()
    }


def _digest(lines: Iterable[str]) -> str:
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()


def _documents(docs: Iterable[str], keys: Mapping[str, str]) -> list[str]:
    return [f"{doc}\t{keys.get(doc, '')}" for doc in sorted(set(docs))]


def phase_digest(
    phase: Phase, links: Iterable[Link], keys: Mapping[str, str], event_docs: Mapping[str, str]
) -> str:
    """The digest of what a phase's rows are made of: the phase, the ``links`` that
    name its mentions, and the key of each of its mentions' and events' documents'
    graphs (``keys``, by the document's IRI; ``event_docs``, each event's document by
    the event's IRI)."""
    docs = [m.doc for m in phase.mentions] + [event_docs.get(e, "") for e in phase.events]
    sides = (phase.start, phase.end, phase.planned_start, phase.planned_end)
    decided = [
        phase.iri,
        phase.mission,
        phase.component or "",
        *(rule.value for rule in phase.rules),
        *(f"{side.status.value} {side.mention.iri if side.mention else ''}" for side in sides),
        *phase.events,
    ]
    touching = sorted(f"{link.a} {link.b} {link.side} {link.relation.value}" for link in links)
    return _digest([*decided, *touching, *_documents(docs, keys)])


def step_digest(step: Step, keys: Mapping[str, str], linked: Mapping[str, int]) -> str:
    """The digest of what a step's rows are made of: the step, the key of each of its
    figures' documents' graphs, and each figure's links (``linked``:
    :func:`link_digests`)."""
    figures = [f"{f.iri}\t{linked.get(f.iri, 0):x}" for f in step.sources]
    docs = _documents((f.doc for f in step.sources), keys)
    decided = (
        step.iri,
        step.mission,
        step.component,
        step.role,
        step.qualifier,
        step.value,
        step.minimum,
        step.maximum,
        step.modality,
        step.valid_from,
        step.valid_to,
        step.basis.value,
    )
    return _digest(["\t".join(map(str, decided)), *docs, *figures])


def described(
    store: ox.Store, roots: Iterable[str], concepts: Container[str], depth: int
) -> list[ox.Quad]:
    """The quads of ``roots`` in ``store`` and of the nodes they name, to ``depth``
    levels, but for those of the graphs :data:`LEFT_OUT`, and but for those of the
    ontology's ``concepts`` (their IRIs), whose quads are the ontology's."""
    left_out = {ox.NamedNode(graph) for graph in LEFT_OUT}
    seen = set(roots)
    level = sorted(seen)
    quads: list[ox.Quad] = []
    for _ in range(depth):
        named: set[str] = set()
        for node in level:
            for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, None):
                if quad.graph_name in left_out:
                    continue
                quads.append(quad)
                if isinstance(quad.object, ox.NamedNode):
                    named.add(quad.object.value)
        level = sorted(iri for iri in named - seen if iri not in concepts)
        seen |= named
    return quads


def _naming(store: ox.Store, iris: Iterable[str], graph: str) -> list[ox.Quad]:
    """The quads of ``graph`` that name one of ``iris``, as subject or object."""
    name = ox.NamedNode(graph)
    quads: list[ox.Quad] = []
    for iri in sorted(set(iris)):
        node = ox.NamedNode(iri)
        quads.extend(store.quads_for_pattern(node, None, None, name))
        quads.extend(store.quads_for_pattern(None, None, node, name))
    return quads


class Units:
    """Makes the stores in memory of units (see the module's description) from the
    build's ``store``: the units' own quads as the consolidation wrote them, their
    mentions and figures from what each document's worker described of them
    (``parts(document, section)``: the section of :func:`kg.linked.describe` by the
    document's IRI; from the store where a part is missing, damaged or does not hold
    them all), and the ontology."""

    def __init__(
        self,
        store: ox.Store,
        parts: Callable[[str, int], Described | None] = lambda doc, section: None,
    ) -> None:
        self.store, self.parts = store, parts
        ontology = store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI))
        self.ontology = ox.serialize(ontology, format=ox.RdfFormat.N_QUADS) or b""
        self.concepts = {
            q.subject.value for q in ox.parse(self.ontology, format=ox.RdfFormat.N_QUADS)
        }

    def store_of(
        self, own: Iterable[str], members: Mapping[str, Iterable[str]], section: int
    ) -> ox.Store:
        """A store in memory holding the quads ``own`` (N-Quads texts without their
        full stops) and the ``members`` of the units (their IRIs by their documents'),
        each described to depth two (as the parts' ``section`` holds them), with the
        ontology."""
        texts, _, unread = kept_texts(members, lambda doc: self.parts(doc, section))
        found = "".join(f"{text} .\n" for text in own).encode()
        units = ox.Store()
        try:
            units.bulk_load(input=found, format=ox.RdfFormat.N_QUADS)
            load_texts(units, texts)
        except (SyntaxError, ValueError):  # a part changed by hand: the store tells
            units = ox.Store()
            units.bulk_load(input=found, format=ox.RdfFormat.N_QUADS)
            unread = sorted({iri for iris in members.values() for iri in iris})
        units.bulk_load(input=self.ontology, format=ox.RdfFormat.N_QUADS)
        if unread:
            units.extend(described(self.store, unread, self.concepts, DEPTH - 1))
        return units


def phase_store(
    units: Units,
    phases: Sequence[Phase],
    links: Sequence[Link],
    event_docs: Mapping[str, str],
) -> ox.Store:
    """A store in memory holding the phases ``phases``, with the ``links`` that name
    their mentions, and the events' documents ``event_docs`` (see the module's
    description)."""
    members: dict[str, set[str]] = defaultdict(set)
    for phase in phases:
        for mention in phase.mentions:
            members[mention.doc].add(mention.iri)
        for event in phase.events:
            members[event_docs.get(event, "")].add(event)
    return units.store_of(consolidation_texts(phases, links, []), members, MENTIONS)


def step_store(units: Units, steps: Sequence[Step]) -> ox.Store:
    """A store in memory holding the steps ``steps`` with their figures' links in the
    reconciliation graph (see the module's description)."""
    members: dict[str, set[str]] = defaultdict(set)
    for step in steps:
        for figure in step.sources:
            members[figure.doc].add(figure.iri)
    found = units.store_of(consolidation_texts([], [], steps), members, FIGURES)
    figures = [iri for iris in members.values() for iri in iris]
    found.extend(_naming(units.store, figures, RECONCILIATION_GRAPH))
    return found


def write_consolidated(
    cache: Path,
    store: ox.Store,
    consolidated: Consolidated,
    keys: Mapping[str, str],
    linked: Mapping[str, int],
    previous: Index | None,
    parts: Mapping[str, Path] | None = None,
    of_phases: Mapping[str, str] | None = None,
) -> dict[str, Linked]:
    """Write the rows of each query of :data:`kg.tables.CONSOLIDATED` on ``store``
    (which holds the graph of ``consolidated``) block by block into ``cache`` and give
    its table (see the module's description), and those of ``of_phases`` (name: text),
    other queries whose rows are each a phase's, ordered by its mission first (the
    viewer's: :data:`kg.tables.VIEWER_PHASES`).
    ``keys`` is the key of each document's graph by the document's IRI; ``linked``
    each figure's links (:func:`link_digests`); ``parts`` the file of each document's
    figures and mentions described (:func:`kg.linked.describe`), by its IRI, where it
    was kept. What the ``previous`` index holds of the same units is kept, where it was
    made with the same query."""
    texts = _every_text()
    files = parts or {}

    @lru_cache(maxsize=256)  # a document's mentions are in a few units, often in turn
    def kept(document: str, section: int) -> Described | None:
        path = files.get(document)
        return None if path is None else read_described(path, section)

    units = Units(store, kept)
    of_mention: dict[str, list[Link]] = defaultdict(list)
    for link in consolidated.links:
        of_mention[link.a].append(link)
        of_mention[link.b].append(link)
    by_phase: dict[str, tuple[Phase, list[Link]]] = {}
    phase_blocks: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for phase in consolidated.phases:
        # once each, in the order of the mentions and of the links (both sorted)
        touching = list(dict.fromkeys(link for m in phase.mentions for link in of_mention[m.iri]))
        digest = phase_digest(phase, touching, keys, consolidated.event_docs)
        by_phase[digest] = phase, touching
        phase_blocks[phase.mission][digest] = frozenset((phase.iri,))
    by_step: dict[str, Step] = {}
    step_blocks: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for step in consolidated.steps:
        digest = step_digest(step, keys, linked)
        by_step[digest] = step
        step_blocks[step.mission][digest] = frozenset((step.iri,))
    named = {name: texts[name] for name in CONSOLIDATED if name != "strength"}
    tables = write_blocks(
        cache,
        named | dict(of_phases or {}),
        phase_blocks,
        lambda asked: phase_store(
            units,
            [by_phase[d][0] for d in asked],
            list(dict.fromkeys(link for d in asked for link in by_phase[d][1])),
            consolidated.event_docs,
        ),
        ("?phase",),
        1,
        previous,
        {d: len(p.mentions) + len(p.events) for d, (p, _) in by_phase.items()},
    )
    return tables | write_blocks(
        cache,
        {"strength": texts["strength"]},
        step_blocks,
        lambda asked: step_store(units, [by_step[d] for d in asked]),
        ("?step",),
        1,
        previous,
        {d: len(s.sources) for d, s in by_step.items()},
    )
