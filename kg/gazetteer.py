"""The gazetteers, read from the ontology: missions, components, roles, countries.

Names are data (``ontology/missions.ttl``, ``ontology/vocabularies.ttl``), not
Python lists: a concept's ``skos:notation`` is its code, its ``skos:prefLabel``,
``skos:altLabel`` and ``skos:hiddenLabel`` values are the names the texts use,
and a component's ``skos:broader`` is its mission.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from kg.vocab import KG, PREFIXES, ontology_dir

SKOS = PREFIXES["skos"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
KINDS = {
    str(KG.Mission): "mission",
    str(KG.Component): "component",
    str(KG.Role): "role",
    str(KG.Country): "country",
    str(KG.Organisation): "organisation",
    str(KG.EventType): "eventtype",
    str(KG.Place): "place",
    str(KG.Modality): "modality",
    str(KG.MissionBasis): "basis",
    str(KG.PeriodCue): "periodcue",
    str(KG.PlausibilityBound): "bound",
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
    theatres: tuple[str, ...] = ()  # a mission's countries (kg:theatre), a place's (kg:inCountry)
    active_from: str | None = None  # ISO day: a mission or component exists from ...
    active_until: str | None = None  # ... to this day
    context_labels: tuple[str, ...] = ()  # names that hold only in a text about its theatre
    exceptions: tuple[str, ...] = ()  # a modality's phrases in which a cue is no cue
    rank: int = 0  # a modality's precedence (lowest wins)
    locations: tuple[str, ...] = ()  # a component's places and countries (kg:location)
    within: bool = False  # a cue's labels match inside longer words too (kg:matchWithin)
    civilian: bool = False  # a civilian mission takes no military count (kg:civilian)
    any_component: bool = False  # a role of every component's people (kg:anyComponent)
    most: Decimal | None = None  # a plausibility bound's largest figure (kg:maxPlausible)
    name: str = ""  # the English rdfs:label, for messages


@dataclass(frozen=True, slots=True)
class Gazetteer:
    concepts: tuple[Concept, ...]
    _kinds: dict[str, dict[str, Concept]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        kinds: dict[str, dict[str, Concept]] = defaultdict(dict)
        for concept in self.concepts:
            kinds[concept.kind][concept.code] = concept
        object.__setattr__(self, "_kinds", dict(kinds))  # indexed once: asked per sentence

    def of_kind(self, kind: str) -> dict[str, Concept]:
        """Concepts of one kind by code."""
        return dict(self._kinds.get(kind, {}))

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
    multi: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    single: dict[str, dict[str, str]] = defaultdict(dict)
    many = {
        str(KG.theatre): "theatres",
        str(KG.inCountry): "theatres",
        str(KG.contextLabel): "context",
        str(KG.location): "locations",
        str(KG.exceptIn): "exceptions",
    }
    one = {
        str(KG.activeFrom): "from",
        str(KG.activeUntil): "until",
        str(KG.rank): "rank",
        str(KG.matchWithin): "within",
        str(KG.civilian): "civilian",
        str(KG.anyComponent): "any",
        str(KG.maxPlausible): "most",
    }
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
            elif predicate in many:
                multi[many[predicate]][subject].add(obj.value)
            elif predicate in one:
                single[one[predicate]][subject] = obj.value
            elif predicate == RDFS_LABEL and getattr(obj, "language", None) == "en":
                single["name"][subject] = obj.value
    concepts = []
    for iri, kind in sorted(types.items()):
        if iri not in notations:
            continue  # kg:NoMission and the like: nothing to recognise in text
        mission = notations.get(broader[iri]) if iri in broader else None
        roles = tuple(sorted(notations[r] for r in typical[iri] if r in notations))
        own_theatres = multi["theatres"][iri]
        if kind == "component" and iri in broader:  # a component works where its mission does
            own_theatres = own_theatres | multi["theatres"][broader[iri]]
        concepts.append(
            Concept(
                kind,
                notations[iri],
                iri,
                tuple(sorted(labels[iri])),
                mission,
                roles,
                theatres=tuple(sorted(notations[t] for t in own_theatres if t in notations)),
                active_from=single["from"].get(iri),
                active_until=single["until"].get(iri),
                context_labels=tuple(sorted(multi["context"][iri])),
                exceptions=tuple(sorted(multi["exceptions"][iri])),
                rank=int(single["rank"].get(iri, 0)),
                locations=tuple(
                    sorted(notations[t] for t in multi["locations"][iri] if t in notations)
                ),
                within=single["within"].get(iri) == "true",
                civilian=single["civilian"].get(iri) == "true",
                any_component=single["any"].get(iri) == "true",
                most=Decimal(single["most"][iri]) if iri in single["most"] else None,
                name=single["name"].get(iri, ""),
            )
        )
    return Gazetteer(tuple(concepts))
