"""The vocabulary is data and is checked: the data uses only declared terms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.pipeline import build
from kg.vocab import KG, PREFIXES, ontology_dir

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
KG_NS = PREFIXES["kg"]
# Terms from these vocabularies may be used as they are; kg's own must be declared.
EXTERNAL = tuple(
    PREFIXES[name] for name in ("dcterms", "nif", "rdf", "rdfs", "schema", "owl", "skos")
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "kg.ttl", format="turtle")
    return graph


@pytest.fixture(scope="module")
def seed_quads(tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    out = tmp_path_factory.mktemp("vocab-build")
    report = build([SEEDS], out)
    assert not report.rejected
    return list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))


def declared(ontology: Graph) -> set[str]:
    return {str(s) for s in ontology.subjects(RDF.type, None) if str(s).startswith(KG_NS)}


def test_vocab_python_names_match_the_ontology(ontology: Graph) -> None:
    in_python = {str(getattr(KG, name)) for name in KG.__annotations__}
    assert in_python == declared(ontology)


def test_vocab_misspelt_term_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = KG.Documnet


def test_vocab_every_term_has_label_and_definition(ontology: Graph) -> None:
    for term in sorted(declared(ontology)):
        labels = [o for o in ontology.objects(URIRef(term), RDFS.label) if isinstance(o, Literal)]
        assert any(label.language == "en" for label in labels), f"{term} has no English label"
        assert any(True for _ in ontology.objects(URIRef(term), SKOS.definition)), term


def test_vocab_classes_and_properties_are_typed(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for term in declared(ontology):
        types = set(ontology.objects(URIRef(term), RDF.type))
        individual = bool(
            {str(t) for t in types} & {str(KG.DocumentType), str(KG.Chamber), str(KG.Mission)}
        )
        assert types & kinds or individual, f"{term} is neither class, property nor individual"


def test_vocab_data_uses_only_declared_terms(ontology: Graph, seed_quads: list[ox.Quad]) -> None:
    known = declared(ontology)
    rdf_type = PREFIXES["rdf"] + "type"
    used: set[str] = set()
    for quad in seed_quads:
        if quad.graph_name == ox.NamedNode(str(KG._NS).rstrip("#")):
            continue  # the ontology's own graph
        used.add(quad.predicate.value)
        if quad.predicate.value == rdf_type and isinstance(quad.object, ox.NamedNode):
            used.add(quad.object.value)
        if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(KG_NS):
            used.add(quad.object.value)
    undeclared = {t for t in used if t.startswith(KG_NS) and t not in known}
    foreign = {t for t in used if not t.startswith(KG_NS) and not t.startswith(EXTERNAL)}
    assert not undeclared, f"terms used but not declared in ontology/kg.ttl: {sorted(undeclared)}"
    assert not foreign, f"terms from undeclared vocabularies: {sorted(foreign)}"
