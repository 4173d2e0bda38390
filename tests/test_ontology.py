"""The ontology loads as OWL, documents itself, covers the data, and its docs are current.

tests/test_vocab.py checks the kg: terms against the Python names; these tests
check the whole of ontology/: that OWL tools such as Protégé find every term it
uses declared, that every term the seed build uses (from any vocabulary) is
declared with a label, that domains and ranges hold in the data, and that the
diagram in ontology/README.md is what kg.ontology_diagram makes of kg.ttl.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.ontology_diagram import (
    between_markers,
    diagram,
    load,
    main,
    readme_block,
    replace_diagram,
)
from kg.pipeline import build
from kg.store import open_store
from kg.vocab import ONTOLOGY_IRI, PREFIXES, ontology_dir

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TTL_FILES = sorted(ontology_dir().glob("*.ttl"))
README = ontology_dir() / "README.md"
KG_NS = PREFIXES["kg"]
DOMAIN_INCLUDES = URIRef(PREFIXES["schema"] + "domainIncludes")
RANGE_INCLUDES = URIRef(PREFIXES["schema"] + "rangeIncludes")
VANN = "http://purl.org/vocab/vann/"
# Terms of these namespaces are built into RDF and OWL: a tool knows them undeclared.
BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))
PROPERTY_KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
DECLARATION_KINDS = {OWL.Class, RDFS.Datatype, OWL.NamedIndividual} | PROPERTY_KINDS
# The XML Schema datatypes of the OWL 2 datatype map; others (xsd:date) need a declaration.
OWL2_XSD_DATATYPES = {
    *("decimal", "integer", "long", "int", "short", "byte", "double", "float"),
    *("nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger"),
    *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    *("string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN"),
    *("boolean", "hexBinary", "base64Binary", "anyURI", "dateTime", "dateTimeStamp"),
}


@pytest.fixture(scope="module")
def kg_ttl() -> Graph:
    """ontology/kg.ttl on its own, as Protégé would open it."""
    return load()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """All of ontology/*.ttl, as the build loads it into the ontology graph."""
    graph = Graph()
    for path in TTL_FILES:
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class SeedData:
    """The quads of one build of the seeds, without the ontology's own graph."""

    quads: list[ox.Quad]

    def types(self) -> dict[str, set[str]]:
        """The rdf:type IRIs of every subject."""
        out: dict[str, set[str]] = {}
        for quad in self.quads:
            if quad.predicate.value == str(RDF.type) and isinstance(quad.object, ox.NamedNode):
                out.setdefault(quad.subject.value, set()).add(quad.object.value)
        return out


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory: pytest.TempPathFactory) -> SeedData:
    """Every quad the seed build writes to its store (the build record included)."""
    out = tmp_path_factory.mktemp("ontology-build")
    report = build([SEEDS], out)
    assert not report.rejected, report.rejected
    store = open_store(out)
    try:
        ontology_graph = ox.NamedNode(ONTOLOGY_IRI)
        quads = [q for q in store.quads_for_pattern(None, None, None, None)]
    finally:
        del store
    return SeedData([q for q in quads if q.graph_name != ontology_graph])


def kg_terms(graph: Graph, kinds: Iterable[URIRef]) -> list[URIRef]:
    """The kg: IRIs typed with one of ``kinds``, sorted."""
    found = {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(KG_NS)
    }
    return sorted(found)


def labels(graph: Graph, term: Node, language: str) -> list[Literal]:
    return [
        o
        for o in graph.objects(term, RDFS.label)
        if isinstance(o, Literal) and o.language == language
    ]


def superclasses(graph: Graph, cls: str) -> set[str]:
    """``cls`` and everything it is a subclass of, by rdfs:subClassOf."""
    seen, todo = {cls}, [cls]
    while todo:
        for sup in graph.objects(URIRef(todo.pop()), RDFS.subClassOf):
            if isinstance(sup, URIRef) and str(sup) not in seen:
                seen.add(str(sup))
                todo.append(str(sup))
    return seen


# ------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_ontology_file_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(graph) == len(set(triples)) > 0


def test_ontology_survives_a_round_trip_through_rdf_xml(kg_ttl: Graph) -> None:
    # RDF/XML is what OWL tools read everywhere; nothing may be lost on the way.
    again = Graph().parse(data=kg_ttl.serialize(format="xml"), format="xml")
    assert isomorphic(kg_ttl, again)


def test_ontology_header_has_version_dates_license_and_namespace(kg_ttl: Graph) -> None:
    assert list(kg_ttl.subjects(RDF.type, OWL.Ontology)) == [URIRef(ONTOLOGY_IRI)]
    header = URIRef(ONTOLOGY_IRI)
    assert kg_ttl.value(header, OWL.versionInfo) is not None
    for prop in (DCTERMS.created, DCTERMS.modified):
        date = kg_ttl.value(header, prop)
        assert isinstance(date, Literal) and date.datatype == XSD.date, prop
    assert isinstance(kg_ttl.value(header, DCTERMS.license), URIRef)
    assert labels(kg_ttl, header, "en") and kg_ttl.value(header, DCTERMS.description)
    assert str(kg_ttl.value(header, URIRef(VANN + "preferredNamespacePrefix"))) == "kg"
    assert str(kg_ttl.value(header, URIRef(VANN + "preferredNamespaceUri"))) == KG_NS


# ------------------------------------------------- documentation of terms


def test_ontology_every_kg_class_and_property_has_labels_and_a_definition(
    kg_ttl: Graph,
) -> None:
    terms = kg_terms(kg_ttl, (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty))
    assert len(terms) > 40
    for term in terms:
        assert labels(kg_ttl, term, "en"), f"{term} has no English rdfs:label"
        assert labels(kg_ttl, term, "nl"), f"{term} has no Dutch rdfs:label"
        assert kg_ttl.value(term, SKOS.definition) is not None, f"{term} has no skos:definition"


def test_ontology_every_term_it_uses_is_declared(kg_ttl: Graph) -> None:
    # What Protégé lists as undeclared: a property, class or datatype kg.ttl uses
    # without saying what kind of term it is. XML Schema datatypes outside the
    # OWL 2 datatype map (xsd:date) must be declared too.
    declared = {s for kind in DECLARATION_KINDS for s in kg_ttl.subjects(RDF.type, kind)}
    used: set[Node] = set(kg_ttl.predicates())
    for prop in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        used.update(kg_ttl.objects(None, prop))
    used.update(kg_ttl.objects(None, DOMAIN_INCLUDES))
    used.update(kg_ttl.objects(None, RANGE_INCLUDES))
    undeclared = sorted(
        str(term)
        for term in used
        if isinstance(term, URIRef)
        and term not in declared
        and not str(term).startswith((str(RDF), str(RDFS), str(OWL)))
        and str(term).removeprefix(str(XSD)) not in OWL2_XSD_DATATYPES
    )
    assert not undeclared, f"used in kg.ttl but not declared: {undeclared}"


def test_ontology_every_declared_term_has_an_english_label(ontology: Graph) -> None:
    for kind in sorted(DECLARATION_KINDS - {OWL.NamedIndividual}):
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                assert labels(ontology, term, "en"), f"{term} ({kind}) has no English label"


def test_ontology_property_kinds_do_not_pun(ontology: Graph) -> None:
    # OWL 2 DL forbids one IRI as two kinds of property, and a data property
    # below an annotation property (such as rdfs:label).
    for term in set(ontology.subjects(RDF.type, None)):
        kinds = {k for k in ontology.objects(term, RDF.type) if k in PROPERTY_KINDS}
        assert len(kinds) <= 1, f"{term} is declared as {sorted(kinds)}"
    annotation = set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) | {
        RDFS.label,
        RDFS.comment,
    }
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        assert (sub in annotation) == (sup in annotation), f"{sub} rdfs:subPropertyOf {sup}"


def test_ontology_uses_no_reserved_iri_as_a_class(ontology: Graph) -> None:
    # rdf:Property, rdfs:Resource and the like cannot be classes in OWL 2 DL.
    datatype_properties = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    for prop in (RDFS.domain, RDFS.range, RDFS.subClassOf, DOMAIN_INCLUDES, RANGE_INCLUDES):
        for subject, cls in ontology.subject_objects(prop):
            if prop == RDFS.range and subject in datatype_properties:
                continue  # a datatype
            reserved = str(cls).startswith(BUILT_IN) and cls != OWL.Thing
            assert isinstance(cls, URIRef) and not reserved, f"{subject} {prop} {cls}"


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_ontology_file_has_no_blank_nodes(path: Path) -> None:
    # Every build copies ontology/ into graph.trig, and a blank node is given a
    # new label each time it is read: two builds of the same input would differ.
    graph = Graph().parse(path, format="turtle")
    blank = [triple for triple in graph if any(isinstance(t, BNode) for t in triple)]
    assert not blank, f"{path.name} has blank nodes (an owl:unionOf?): {blank[:3]}"


# --------------------------------------------------- the data is covered


def test_ontology_declares_every_predicate_and_type_the_data_uses(
    ontology: Graph, seed_data: SeedData
) -> None:
    used = {q.predicate.value for q in seed_data.quads}
    used |= {t for types in seed_data.types().values() for t in types}
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    missing = sorted(t for t in used if not t.startswith(BUILT_IN) and t not in declared)
    assert not missing, f"used by the build but not declared in ontology/*.ttl: {missing}"
    unlabelled = sorted(
        t for t in used if not t.startswith(BUILT_IN) and not labels(ontology, URIRef(t), "en")
    )
    assert not unlabelled, f"declared without an English rdfs:label: {unlabelled}"


def test_ontology_describes_every_iri_the_data_points_to(
    ontology: Graph, seed_data: SeedData
) -> None:
    # A mission, component, role, country, organisation, event type, document
    # type or property the data points to is a concept or term of ontology/.
    subjects = {q.subject.value for q in seed_data.quads}
    pointed = {
        q.object.value
        for q in seed_data.quads
        if isinstance(q.object, ox.NamedNode) and q.predicate.value != str(RDF.type)
    }
    dangling = []
    for iri in sorted(pointed - subjects):
        term = URIRef(iri)
        named = labels(ontology, term, "en") or list(ontology.objects(term, SKOS.prefLabel))
        if (term, RDF.type, None) not in ontology or not named:
            dangling.append(iri)
    assert not dangling, f"the data points to IRIs ontology/ does not describe: {dangling}"


def test_ontology_domains_and_ranges_hold_in_the_seed_data(
    ontology: Graph, seed_data: SeedData
) -> None:
    # rdfs:domain and rdfs:range: every use is an instance of the class (or has
    # the datatype); schema:domainIncludes and rangeIncludes: of one of them.
    types = seed_data.types()
    for s, o in ontology.subject_objects(RDF.type):
        types.setdefault(str(s), set()).add(str(o))
    closure = {t: superclasses(ontology, t) for kinds in types.values() for t in kinds}

    def rules(prop: URIRef, formal: URIRef, includes: URIRef) -> list[set[str]]:
        found = [{str(c)} for c in ontology.objects(prop, formal) if c != OWL.Thing]
        listed = {str(c) for c in ontology.objects(prop, includes)}
        return found + ([listed] if listed else [])

    wrong: dict[str, str] = {}
    for quad in seed_data.quads:
        prop = URIRef(quad.predicate.value)
        for classes in rules(prop, RDFS.domain, DOMAIN_INCLUDES):
            if not any(closure[t] & classes for t in types.get(quad.subject.value, ())):
                wrong.setdefault(f"{prop} domain", quad.subject.value)
        for classes in rules(prop, RDFS.range, RANGE_INCLUDES):
            if isinstance(quad.object, ox.Literal):
                if quad.object.datatype.value not in classes:
                    wrong.setdefault(f"{prop} range", str(quad.object))
            elif not any(closure[t] & classes for t in types.get(quad.object.value, ())):
                wrong.setdefault(f"{prop} range", quad.object.value)
    assert not wrong, "\n".join(f"{k}: e.g. {v}" for k, v in sorted(wrong.items()))


# ---------------------------------------------- the README and its diagram


def test_ontology_readme_diagram_is_current(kg_ttl: Graph) -> None:
    readme = README.read_text(encoding="utf-8")
    assert between_markers(readme) == readme_block(diagram(kg_ttl)), (
        "ontology/README.md's diagram is stale: run 'python -m kg.ontology_diagram --write'"
    )


def test_ontology_readme_explains_every_kg_class(kg_ttl: Graph) -> None:
    readme = README.read_text(encoding="utf-8")
    prose = readme.replace(between_markers(readme), "")
    for cls in kg_terms(kg_ttl, (OWL.Class,)):
        name = "kg:" + str(cls)[len(KG_NS) :]
        assert name in prose, f"ontology/README.md does not explain {name}"


def test_ontology_diagram_is_deterministic_and_draws_the_model(kg_ttl: Graph) -> None:
    text = diagram(kg_ttl)
    assert text == diagram(load())
    lines = text.splitlines()
    assert lines[0] == "classDiagram"
    for line in (
        "    Fact <|-- PersonnelFact",
        "    sem_Event <|-- Event",
        "    Fact --> Mission : mission",
        "    Event --> TimeExpression : time",
        "    Period --> TimeExpression : time",
        "        +date earliest",
    ):
        assert line in lines, line


def test_ontology_diagram_command_prints_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0
    printed = capsys.readouterr().out
    assert printed == diagram(load())
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!-- diagram:start -->\nold\n<!-- diagram:end -->\nend\n")
    assert main(["--write", "--readme", str(readme)]) == 0
    text = readme.read_text()
    assert between_markers(text) == readme_block(printed)
    assert text.startswith("# x\n<!-- diagram:start -->\n```mermaid\nclassDiagram\n")
    assert text.endswith("```\n<!-- diagram:end -->\nend\n")
    assert replace_diagram(text, printed) == text


def test_ontology_diagram_write_without_markers_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    assert main(["--write", "--readme", str(readme)]) == 2
    assert "diagram:start" in capsys.readouterr().err
    assert readme.read_text() == "# no markers\n"
    with pytest.raises(KgError):
        between_markers("no markers")
