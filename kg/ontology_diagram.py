"""A Mermaid class diagram of the kg ontology, generated from ontology/kg.ttl.

The diagram in ontology/README.md is this module's output, so the picture in
the docs is the ontology itself: ``python -m kg.ontology_diagram`` prints it,
``python -m kg.ontology_diagram --write`` rewrites the part of the README
between ``<!-- diagram:start -->`` and ``<!-- diagram:end -->``, and a test
fails when the two differ.

What is drawn: every kg class, and every class of another vocabulary that a kg
class or property refers to (``prov:Entity``, ``sem:Event``...); subclass
edges; each kg object property as an arrow from each class it is used on to
each class of its values (``schema:domainIncludes`` and ``schema:rangeIncludes``
where it has them, else ``rdfs:domain`` and ``rdfs:range``, else ``owl:Thing``);
each kg datatype property inside each class it is used on, with the local name
of its range. Properties of other
vocabularies (``nif:beginIndex``, ``dcterms:title``...) have no domain in kg,
so they are not drawn. Everything is sorted: the same ontology gives the same
text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import KgError
from kg.vocab import PREFIXES, ontology_dir

START = "<!-- diagram:start -->"
END = "<!-- diagram:end -->"
KG_NS = PREFIXES["kg"]
SCHEMA = PREFIXES["schema"]


def load(path: Path | None = None) -> Graph:
    """The ontology graph read from ``path`` (default: ontology/kg.ttl)."""
    graph = Graph()
    graph.parse(path or ontology_dir() / "kg.ttl", format="turtle")
    return graph


def curie(iri: str) -> str:
    """``prefix:local`` for an IRI in one of the kg prefixes, else the IRI.

    >>> curie("http://www.w3.org/ns/prov#Entity")
    'prov:Entity'
    >>> curie("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def node_id(iri: str) -> str:
    """The Mermaid name of a class: the local name for kg, ``prefix_Local`` otherwise.

    >>> node_id("https://w3id.org/kg-iraq/ontology#Document")
    'Document'
    >>> node_id("http://www.w3.org/2006/time#Interval")
    'time_Interval'
    """
    name = curie(iri)
    if name.startswith("kg:"):
        name = name[3:]
    return re.sub(r"\W", "_", name)


def local_name(iri: str) -> str:
    """The part of an IRI after its namespace.

    >>> local_name("http://www.w3.org/2001/XMLSchema#date")
    'date'
    """
    return curie(iri).split(":", 1)[-1]


def classes_of(graph: Graph, prop: URIRef, side: str) -> list[str]:
    """The classes to draw on one ``side`` ("domain" or "range") of ``prop``.

    ``schema:domainIncludes``/``schema:rangeIncludes`` where the property has them
    (the classes it is used with, where they share no superclass but ``owl:Thing``),
    else ``rdfs:domain``/``rdfs:range``, else ``owl:Thing``.
    """
    includes = URIRef(f"{SCHEMA}{side}Includes")
    formal = RDFS.domain if side == "domain" else RDFS.range
    for predicate in (includes, formal):
        found = sorted({str(c) for c in graph.objects(prop, predicate) if isinstance(c, URIRef)})
        if found:
            return found
    return [str(OWL.Thing)]


def _kg_terms(graph: Graph, kind: URIRef) -> Iterator[URIRef]:
    terms = {t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef)}
    yield from sorted(t for t in terms if str(t).startswith(KG_NS))


@dataclass
class Diagram:
    """The parts of the class diagram, before they are written out."""

    classes: set[str] = field(default_factory=set)
    attributes: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    subclasses: set[tuple[str, str]] = field(default_factory=set)
    associations: set[tuple[str, str, str]] = field(default_factory=set)

    def render(self) -> str:
        """The Mermaid ``classDiagram`` text, sorted, ending with a newline."""
        lines = ["classDiagram"]
        for iri in sorted(self.classes, key=node_id):
            name = node_id(iri)
            head = f"class {name}" if iri.startswith(KG_NS) else f'class {name}["{curie(iri)}"]'
            attributes = sorted(self.attributes.get(iri, set()))
            if not attributes:
                lines.append(f"    {head}")
                continue
            lines.append(f"    {head} {{")
            lines.extend(f"        +{kind} {prop}" for prop, kind in attributes)
            lines.append("    }")
        lines.extend(
            f"    {node_id(sup)} <|-- {node_id(sub)}"
            for sub, sup in sorted(self.subclasses, key=lambda e: (node_id(e[1]), node_id(e[0])))
        )
        lines.extend(
            f"    {node_id(domain)} --> {node_id(range_)} : {prop}"
            for domain, range_, prop in sorted(
                self.associations, key=lambda e: (node_id(e[0]), e[2], node_id(e[1]))
            )
        )
        return "\n".join(lines) + "\n"


def diagram(graph: Graph) -> str:
    """The Mermaid class diagram of the kg classes and properties in ``graph``.

    >>> text = diagram(load())
    >>> text.splitlines()[0]
    'classDiagram'
    >>> "    Fact <|-- PersonnelFact" in text.splitlines()
    True
    """
    parts = Diagram()
    for cls in _kg_terms(graph, OWL.Class):
        parts.classes.add(str(cls))
        for sup in graph.objects(cls, RDFS.subClassOf):
            if isinstance(sup, URIRef):
                parts.subclasses.add((str(cls), str(sup)))
                parts.classes.add(str(sup))
    for prop in _kg_terms(graph, OWL.ObjectProperty):
        for domain in classes_of(graph, prop, "domain"):
            for range_ in classes_of(graph, prop, "range"):
                parts.associations.add((domain, range_, local_name(str(prop))))
                parts.classes.update((domain, range_))
    for prop in _kg_terms(graph, OWL.DatatypeProperty):
        ranges = sorted(local_name(str(r)) for r in graph.objects(prop, RDFS.range))
        kind = "/".join(ranges) or "literal"
        for domain in classes_of(graph, prop, "domain"):
            parts.attributes.setdefault(domain, set()).add((local_name(str(prop)), kind))
            parts.classes.add(domain)
    return parts.render()


def readme_block(text: str) -> str:
    """What goes between the README's markers: the diagram in a mermaid fence."""
    return f"\n```mermaid\n{text}```\n"


def between_markers(readme: str) -> str:
    """The text between the diagram markers of ``readme``.

    >>> between_markers("a <!-- diagram:start -->X<!-- diagram:end --> b")
    'X'
    """
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise KgError(
            f"the README has no '{START}' ... '{END}' pair; add the two markers "
            "where the diagram belongs"
        )
    return readme[start + len(START) : end]


def replace_diagram(readme: str, text: str) -> str:
    """``readme`` with the part between the markers replaced by ``text``'s block.

    >>> replace_diagram("a <!-- diagram:start -->old<!-- diagram:end --> b", "X\\n")
    'a <!-- diagram:start -->\\n```mermaid\\nX\\n```\\n<!-- diagram:end --> b'
    """
    old = between_markers(readme)
    start = readme.find(START) + len(START)
    return readme[:start] + readme_block(text) + readme[start + len(old) :]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the diagram, or with ``--write`` put it into the README; the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m kg.ontology_diagram", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--ontology", type=Path, default=None, help="default: ontology/kg.ttl")
    parser.add_argument("--readme", type=Path, default=None, help="default: ontology/README.md")
    parser.add_argument(
        "--write", action="store_true", help="rewrite the diagram between the README's markers"
    )
    args = parser.parse_args(argv)
    text = diagram(load(args.ontology))
    if not args.write:
        sys.stdout.write(text)
        return 0
    readme: Path = args.readme or ontology_dir() / "README.md"
    try:
        old = readme.read_text(encoding="utf-8")
        new = replace_diagram(old, text)
    except (OSError, KgError) as err:
        print(f"kg.ontology_diagram: error: {readme}: {err}", file=sys.stderr)
        return 2
    if new != old:
        readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
