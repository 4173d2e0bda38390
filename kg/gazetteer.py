"""The gazetteers, read from the ontology: missions, components, roles, countries.

Names are data (``ontology/missions.ttl``, ``ontology/vocabularies.ttl``), not
Python lists: a concept's ``skos:notation`` is its code, its ``skos:prefLabel``,
``skos:altLabel`` and ``skos:hiddenLabel`` values are the names the texts use,
and a component's ``skos:broader`` is its mission.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from kg.vocab import KG, PREFIXES, ontology_dir

SKOS = PREFIXES["skos"]
RDF_TYPE = PREFIXES["rdf"] + "type"
KINDS = {
    str(KG.Mission): "mission",
    str(KG.Component): "component",
    str(KG.Role): "role",
    str(KG.Country): "country",
    str(KG.Organisation): "organisation",
    str(KG.EventType): "eventtype",
}
LABELS = {SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel"}


@dataclass(frozen=True, slots=True)
class Concept:
    """A named thing the extraction recognises."""

    kind: str  # mission, component, role, country
    code: str  # skos:notation: "OIR", "force-protection-erbil", "military", "NL"
    iri: str
    labels: tuple[str, ...]
    mission: str | None = None  # a component's mission code
    roles: tuple[str, ...] = ()  # a component's typical roles


@dataclass(frozen=True, slots=True)
class Gazetteer:
    concepts: tuple[Concept, ...]

    def of_kind(self, kind: str) -> dict[str, Concept]:
        """Concepts of one kind by code."""
        return {c.code: c for c in self.concepts if c.kind == kind}

    def by_label(self, kind: str) -> dict[str, tuple[Concept, ...]]:
        """Concepts of one kind by lower-cased label; a label may name several."""
        index: dict[str, list[Concept]] = defaultdict(list)
        for concept in self.concepts:
            if concept.kind == kind:
                for label in concept.labels:
                    if concept not in index[label.lower()]:
                        index[label.lower()].append(concept)
        return {label: tuple(found) for label, found in index.items()}


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read every concept of a known kind from the ontology folder."""
    types: dict[str, str] = {}
    notations: dict[str, str] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    broader: dict[str, str] = {}
    typical: dict[str, set[str]] = defaultdict(set)
    for path in sorted(ontology_dir().glob("*.ttl")):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, predicate, obj = triple.subject.value, triple.predicate.value, triple.object
            if predicate == RDF_TYPE and obj.value in KINDS:
                types[subject] = KINDS[obj.value]
            elif predicate == SKOS + "notation":
                notations[subject] = obj.value
            elif predicate in LABELS:
                labels[subject].add(obj.value)
            elif predicate == SKOS + "broader":
                broader[subject] = obj.value
            elif predicate == str(KG.typicalRole):
                typical[subject].add(obj.value)
    concepts = []
    for iri, kind in sorted(types.items()):
        if iri not in notations:
            continue  # kg:NoMission and the like: nothing to recognise in text
        mission = notations.get(broader[iri]) if iri in broader else None
        roles = tuple(sorted(notations[r] for r in typical[iri] if r in notations))
        concepts.append(
            Concept(kind, notations[iri], iri, tuple(sorted(labels[iri])), mission, roles)
        )
    return Gazetteer(tuple(concepts))
