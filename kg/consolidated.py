"""Tables of the named queries of the consolidation's phases and strength steps.

``lifecycle`` and ``phases`` (:data:`kg.tables.CONSOLIDATED`) give rows for one
contribution phase each (``?phase``), ``strength`` for one strength step (``?step``)
(kg/consolidate/). A unit's rows (a phase's, a step's) are made of the unit alone:

- its quads in the consolidation graph, and the links there that name its mentions;
- what it names described to depth three (its mentions, figures and events, its times;
  the nodes these name, such as their sentences and documents; and the quads of
  those), but for the reconciliation's graph and the build record;
- the quads of the ontology's concepts named on the way (a concept's quads are the
  ontology's);
- for a step, the reconciliation's links of its figures.

So a unit's rows are the query's answer on a store in memory that holds only the unit,
and they stay the same while these do: the unit as the consolidation made it (its
fields, which its quads in the consolidation graph are written from; its IRI is made
of its mentions'), the links that name its mentions, the keys of its mentions'
documents' graphs, and for a step its figures' links (:func:`link_digests`). That is
a unit's digest. (Its quads' form is kg's code, in the rules digest of every key.)

Every unit is of one mission, whose notation leads the query's ORDER BY, so the units
fall into blocks by mission, made, kept and read as :func:`kg.linked.write_blocks`
makes them: a rebuild after one document changed makes again only the units that
hold its mentions, or whose mentions' links changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.consolidate import Consolidated, Link, Phase, Step, consolidation_texts
from kg.linked import write_blocks
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
    found: dict[str, int] = defaultdict(int)
    for match in matches:
        for me, other, side in ((match.a, match.b, "a"), (match.b, match.a, "b")):
            text = f"{other.iri}\t{match.relation.value}\t{side}".encode()
            number = int.from_bytes(hashlib.blake2b(text, digest_size=16).digest(), "big")
            found[me.iri] = (found[me.iri] + number) % (1 << 128)
    return dict(found)


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
    touching = sorted(repr(link) for link in links)
    return _digest([repr(phase), *touching, *_documents(docs, keys)])


def step_digest(step: Step, keys: Mapping[str, str], linked: Mapping[str, int]) -> str:
    """The digest of what a step's rows are made of: the step, the key of each of its
    figures' documents' graphs, and each figure's links (``linked``:
    :func:`link_digests`)."""
    figures = [f"{f.iri}\t{linked.get(f.iri, 0):x}" for f in step.sources]
    docs = _documents((f.doc for f in step.sources), keys)
    return _digest([repr(step), *docs, *figures])


def concepts_by_iri(store: ox.Store) -> dict[str, list[ox.Quad]]:
    """The quads of the ontology's graph in ``store``, by their subject's IRI."""
    found: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI)):
        if isinstance(quad.subject, ox.NamedNode):
            found[quad.subject.value].append(quad)
    return dict(found)


def described(
    store: ox.Store, roots: Iterable[str], concepts: Mapping[str, list[ox.Quad]]
) -> list[ox.Quad]:
    """The quads of ``roots`` in ``store`` and of the nodes they name, to
    :data:`DEPTH` levels, but for those of the graphs :data:`LEFT_OUT`; a concept of
    the ontology (``concepts``: :func:`concepts_by_iri`) named on the way is described
    by the ontology's quads alone."""
    left_out = {ox.NamedNode(graph) for graph in LEFT_OUT}
    seen = set(roots)
    level = sorted(seen)
    quads: list[ox.Quad] = []
    for _ in range(DEPTH):
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
    quads.extend(q for iri in sorted(seen) for q in concepts.get(iri, ()))
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


def phase_store(
    store: ox.Store,
    phases: Sequence[Phase],
    links: Sequence[Link],
    concepts: Mapping[str, list[ox.Quad]],
) -> ox.Store:
    """A store in memory holding the phases ``phases``, with the ``links`` that name
    their mentions (see the module's description)."""
    units = ox.Store()
    units.extend(described(store, [p.iri for p in phases], concepts))
    # the links as the consolidation graph holds them (kg.consolidate.consolidation_texts)
    texts = "".join(f"{text} .\n" for text in consolidation_texts([], links, []))
    units.bulk_load(input=texts.encode(), format=ox.RdfFormat.N_QUADS)
    return units


def step_store(
    store: ox.Store, steps: Sequence[Step], concepts: Mapping[str, list[ox.Quad]]
) -> ox.Store:
    """A store in memory holding the steps ``steps`` (see the module's description)."""
    units = ox.Store()
    units.extend(described(store, [s.iri for s in steps], concepts))
    units.extend(_naming(store, [f.iri for s in steps for f in s.sources], RECONCILIATION_GRAPH))
    return units


def write_consolidated(
    cache: Path,
    store: ox.Store,
    consolidated: Consolidated,
    keys: Mapping[str, str],
    linked: Mapping[str, int],
    previous: Index | None,
) -> dict[str, Linked]:
    """Write the rows of each query of :data:`kg.tables.CONSOLIDATED` on ``store``
    (which holds the graph of ``consolidated``) block by block into ``cache`` and give
    its table (see the module's description).
    ``keys`` is the key of each document's graph by the document's IRI; ``linked``
    each figure's links (:func:`link_digests`). What the ``previous`` index holds of
    the same units is kept, where it was made with the same query."""
    texts = _every_text()
    concepts = concepts_by_iri(store)
    of_mention: dict[str, list[Link]] = defaultdict(list)
    for link in consolidated.links:
        of_mention[link.a].append(link)
        of_mention[link.b].append(link)
    by_phase: dict[str, tuple[Phase, list[Link]]] = {}
    phase_blocks: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for phase in consolidated.phases:
        touching = sorted({link for m in phase.mentions for link in of_mention.get(m.iri, ())})
        digest = phase_digest(phase, touching, keys, consolidated.event_docs)
        by_phase[digest] = phase, touching
        phase_blocks[phase.mission][digest] = frozenset((phase.iri,))
    by_step: dict[str, Step] = {}
    step_blocks: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for step in consolidated.steps:
        digest = step_digest(step, keys, linked)
        by_step[digest] = step
        step_blocks[step.mission][digest] = frozenset((step.iri,))
    of_phases = {name: texts[name] for name in CONSOLIDATED if name != "strength"}
    tables = write_blocks(
        cache,
        of_phases,
        phase_blocks,
        lambda asked: phase_store(
            store,
            [by_phase[d][0] for d in asked],
            sorted({link for d in asked for link in by_phase[d][1]}),
            concepts,
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
        lambda asked: step_store(store, [by_step[d] for d in asked], concepts),
        ("?step",),
        1,
        previous,
        {d: len(s.sources) for d, s in by_step.items()},
    )
