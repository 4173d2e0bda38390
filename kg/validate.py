"""Check a build's graph against the SHACL shapes of ``ontology/shapes.ttl``.

The data graph is the union of every graph in the store: one per document, the
ontology's (so that ``sh:class`` sees the classes and the mission, role and
country concepts a fact points to) and the build record. pyshacl checks it with
the shapes, and each result becomes a :class:`Finding` in plain words: the
document, what the node is, the text it was read from, the property and the
shape's message. Violations make a build invalid; warnings (such as a fact
whose time is not known) are reported but allowed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import KgError
from kg.store import open_store
from kg.vocab import KG, PREFIXES, ontology_dir

SHAPES_FILE = "shapes.ttl"
XSD_STRING = str(XSD.string)
NIF_ANCHOR = URIRef(PREFIXES["nif"] + "anchorOf")
DCT_TITLE = URIRef(PREFIXES["dcterms"] + "title")
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
# Prefixed names for the report; resource IRIs (id:) are shown in full, as in the TriG.
DISPLAY_PREFIXES = sorted(
    ((name, iri) for name, iri in PREFIXES.items() if name != "id"),
    key=lambda item: -len(item[1]),
)
MAX_QUOTE = 80  # characters of a quote in a finding
DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation result in plain words.

    ``path`` is the property as a prefixed name (empty when the node as a whole
    fails, as for "a personnel fact must state a number"), ``value`` the value
    that fails (empty when a value is missing), ``document`` the file name of
    the node's document and ``quote`` the text it was read from, where known.
    """

    severity: str
    focus: str
    kind: str
    path: str
    value: str
    message: str
    document: str
    quote: str

    def __str__(self) -> str:
        where = self.document or "(no document)"
        what = f'{self.kind} "{self.quote}"' if self.quote else self.kind
        prop = f"{self.path}: " if self.path else ""
        found = f" (found {self.value})" if self.value else ""
        return f"{where}: {what} <{self.focus}>: {prop}{self.message}{found}"


@dataclass(frozen=True, slots=True)
class Report:
    """The findings of one validation, sorted by document, node and property."""

    focus_nodes: int
    findings: tuple[Finding, ...]
    seconds: float

    @property
    def violations(self) -> tuple[Finding, ...]:
        """The findings that make the graph invalid."""
        return tuple(f for f in self.findings if f.severity == "violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are reported but allowed (warnings and infos)."""
        return tuple(f for f in self.findings if f.severity != "violation")

    @property
    def conforms(self) -> bool:
        """True when nothing violates the shapes."""
        return not self.violations

    def summary(self) -> str:
        """One line: valid or invalid, how many nodes were checked, what was found.

        >>> Report(2, (), 0.1).summary()
        'valid: 2 focus nodes checked, 0 violations, 0 warnings'
        """
        return (
            f"{'valid' if self.conforms else 'invalid'}: {self.focus_nodes} focus nodes checked, "
            f"{len(self.violations)} violations, {len(self.warnings)} warnings"
        )


def validate(out: Path) -> Report:
    """Check the build in the folder ``out`` against ``ontology/shapes.ttl``.

    Raises :class:`~kg.errors.StoreError` when there is no build in ``out`` and
    :class:`~kg.errors.KgError` when the shapes cannot be read.
    """
    started = time.perf_counter()
    data = load_graph(open_store(out))
    report = validate_graph(data, load_shapes())
    return Report(report.focus_nodes, report.findings, time.perf_counter() - started)


def load_graph(store: ox.Store) -> Graph:
    """The union of every graph in ``store`` as one rdflib graph (the data graph).

    One graph, not a dataset: pyshacl checks each graph of a dataset on its own,
    and a fact's mission concept lives in the ontology's graph.
    """
    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def load_shapes() -> Graph:
    """The shapes graph, read from ``ontology/shapes.ttl``."""
    path = ontology_dir() / SHAPES_FILE
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as err:  # rdflib's Turtle errors are SyntaxErrors
        raise KgError(f"{path}: cannot read the SHACL shapes ({err}); restore the file") from err


def validate_graph(data: Graph, shapes: Graph) -> Report:
    """Check the rdflib graph ``data`` against ``shapes``; the pure core of :func:`validate`.

    Examples
    --------
    A document that has nothing but its class misses every required property:

    >>> data = Graph().parse(format="turtle", data='''
    ...     @prefix kg: <https://w3id.org/kg-iraq/ontology#> .
    ...     <https://example.org/doc> a kg:Document .
    ... ''')
    >>> report = validate_graph(data, load_shapes())
    >>> report.conforms, report.focus_nodes
    (False, 1)
    >>> sorted(finding.path for finding in report.violations)
    ['kg:docType', 'kg:fileName', 'kg:mediaType', 'kg:sha256', 'kg:textLength']
    >>> print(report.violations[0])  # doctest: +ELLIPSIS
    (no document): node <https://example.org/doc>: kg:docType: A document has exactly one type...
    """
    # imported here, not at the top: pyshacl takes a while to load
    from pyshacl import validate as run_shacl
    from pyshacl.errors import ReportableRuntimeError

    started = time.perf_counter()
    try:
        # no inference: the ontology's subclass triples are in the data, which is
        # all that sh:class and sh:targetClass need; inplace: the graph is ours
        outcome = cast(
            tuple[bool, Any, str],
            run_shacl(data, shacl_graph=shapes, inference="none", inplace=True),
        )
    except ReportableRuntimeError as err:  # a shape pyshacl cannot load or apply
        raise KgError(f"the SHACL shapes cannot be applied: {err.message}") from err
    results = outcome[1]
    if not isinstance(results, Graph):
        raise KgError("pyshacl returned no results graph; is a supported version installed?")
    findings = {
        _finding(data, results, node) for node in results.subjects(RDF.type, SH.ValidationResult)
    }
    return Report(
        len(focus_nodes(data, shapes)),
        tuple(sorted(findings, key=_order)),
        time.perf_counter() - started,
    )


def focus_nodes(data: Graph, shapes: Graph) -> set[Node]:
    """The nodes of ``data`` that some shape targets: the nodes that were checked."""
    nodes: set[Node] = set()
    for cls in set(shapes.objects(None, SH.targetClass)):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for prop in set(shapes.objects(None, SH.targetObjectsOf)):
        nodes.update(data.objects(None, prop))
    for prop in set(shapes.objects(None, SH.targetSubjectsOf)):
        nodes.update(data.subjects(prop, None))
    nodes.update(node for node in shapes.objects(None, SH.targetNode) if (node, None, None) in data)
    return nodes


def _finding(data: Graph, results: Graph, result: Node) -> Finding:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    if focus is None:  # SHACL requires one; pyshacl always gives it
        raise KgError("pyshacl returned a result without a focus node")
    return Finding(
        severity=SEVERITIES.get(cast(URIRef, severity), "violation"),
        focus=str(focus),
        kind=_kind(data, focus),
        path=_short(path) if path is not None else "",
        value=_short(value) if value is not None and value != focus else "",
        message=messages[0] if messages else "does not conform to its shape",
        document=_document(data, focus),
        quote=_quote(data, focus),
    )


def _order(finding: Finding) -> tuple[object, ...]:
    """Violations first, then by document, node (offsets as numbers), property, message."""
    focus = tuple(int(part) if part.isdigit() else part for part in DIGITS.split(finding.focus))
    return (
        finding.severity != "violation",
        finding.document,
        tuple((isinstance(part, int), part) for part in focus),
        finding.path,
        finding.message,
        finding.value,
    )


def _kind(data: Graph, node: Node) -> str:
    """What ``node`` is, in words: the English label of its class ("personnel fact")."""
    labels = []
    for cls in data.objects(node, RDF.type):
        for label in data.objects(cls, RDFS.label):
            if isinstance(label, Literal) and label.language == "en":
                labels.append(str(label))
    return sorted(labels)[0] if labels else "node"


def _document(data: Graph, node: Node) -> str:
    """The file name of the document ``node`` belongs to, or of one that points to it."""
    for candidate in (node, *data.subjects(None, node)):
        name = data.value(candidate, KG.fileName)
        if name is None:
            doc = data.value(candidate, KG.inDocument)
            name = data.value(doc, KG.fileName) if doc is not None else None
        if name is not None:
            return str(name)
    return ""


def _quote(data: Graph, node: Node) -> str:
    """The text ``node`` was read from (its own, its sentence's), or a document's title."""
    sentence = data.value(node, KG.sentence)
    for subject, prop in ((node, NIF_ANCHOR), (sentence, NIF_ANCHOR), (node, DCT_TITLE)):
        text = data.value(subject, prop) if subject is not None else None
        if text is not None:
            folded = " ".join(str(text).split())
            return folded if len(folded) <= MAX_QUOTE else folded[: MAX_QUOTE - 1] + "…"
    return ""


def _short(term: Node) -> str:
    """A term as a reader would write it: kg:mission, <https://...>, "OIR"."""
    if isinstance(term, Literal):
        return f'"{term}"' if term.datatype is None else f'"{term}"^^{_short(term.datatype)}'
    if isinstance(term, URIRef):
        for name, iri in DISPLAY_PREFIXES:
            if term.startswith(iri) and "/" not in term[len(iri) :]:
                return f"{name}:{term[len(iri) :]}"
        return f"<{term}>"
    return "(a path or node without a name)"


def _term(term: object) -> Node:
    """A pyoxigraph term as an rdflib term (xsd:string literals as plain ones)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise KgError(f"cannot check a graph holding {term!r}: quoted triples are not supported")
