"""``kg validate``: the seed graph conforms to ontology/shapes.ttl, and a broken fact
is reported in plain words with its document, quote and property."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.cli import cli
from kg.errors import KgError
from kg.rdf import doc_iri, graph_iri
from kg.store import store_path
from kg.validate import Finding, Report, load_shapes, validate, validate_graph
from kg.vocab import ID, KG, PREFIXES, ontology_dir

if TYPE_CHECKING:
    from conftest import SeedBuild

NIF = PREFIXES["nif"]
RDF_TYPE = ox.NamedNode(str(RDF.type))
MISSION_MESSAGE = "A fact names exactly one mission (kg:mission)"


@pytest.fixture(scope="module")
def seed_out(seed_build: SeedBuild) -> Path:
    """The build folder of the seeds (made once per session by conftest)."""
    assert seed_build.result.exit_code == 0, seed_build.result.output
    return seed_build.out


@pytest.fixture(scope="module")
def seed_report(seed_out: Path) -> Report:
    return validate(seed_out)


def broken_build(
    seed_out: Path, out: Path, doc_name: str, facts: dict[str, dict[str, ox.NamedNode | ox.Literal]]
) -> Path:
    """A copy of the seed build in ``out`` with personnel facts added to ``doc_name``'s graph.

    ``facts`` maps a fact's name (the last step of its IRI) to the properties it has
    besides its class and provenance (document, sentence, offsets, quote,
    qualifier, scope, role, modality, mission basis), which every fact gets.
    """
    shutil.copytree(seed_out, out)
    store = ox.Store(str(store_path(out)))
    graph = ox.NamedNode(graph_iri(doc_name))
    doc = doc_iri(doc_name)
    solutions = store.query(
        f"""SELECT ?s ?b ?e ?a WHERE {{ GRAPH <{graph.value}> {{
            ?s a <{KG.Sentence}> ; <{NIF}beginIndex> ?b ; <{NIF}endIndex> ?e ;
               <{NIF}anchorOf> ?a }} }} ORDER BY ?b LIMIT 1"""
    )
    assert isinstance(solutions, ox.QuerySolutions)
    sentence, begin, end, text = next(iter(solutions))
    quads = []
    for name, extra in facts.items():
        fact = ox.NamedNode(f"{doc}/personnel/{begin.value}-{end.value}/{name}")
        common: dict[str, ox.NamedNode | ox.Literal] = {
            str(KG.inDocument): ox.NamedNode(doc),
            str(KG.sentence): sentence,
            NIF + "beginIndex": begin,
            NIF + "endIndex": end,
            NIF + "anchorOf": text,
            str(KG.qualifier): ox.Literal("exact"),
            str(KG.scope): ox.Literal("contribution"),
            str(KG.modality): ox.NamedNode(f"{ID}modality/stated"),
            str(KG.missionBasis): ox.NamedNode(f"{ID}basis/none"),
            str(KG.role): ox.NamedNode(f"{ID}role/military"),
        }
        quads.append(ox.Quad(fact, RDF_TYPE, ox.NamedNode(str(KG.PersonnelFact)), graph))
        for prop, value in (common | extra).items():
            quads.append(ox.Quad(fact, ox.NamedNode(prop), value, graph))
    store.extend(quads)
    store.flush()
    del store  # let go of the store's lock before validate opens it
    return out


# The broken facts: the name of each, the mission it has ("" for none) and how a
# finding shows that mission.
ODD_MISSIONS: dict[str, tuple[ox.NamedNode | ox.Literal, str]] = {
    "literal": (ox.Literal("OIR"), '"OIR"'),
    "undeclared": (ox.NamedNode(f"{ID}mission/XYZ"), f"<{ID}mission/XYZ>"),
    "role": (ox.NamedNode(f"{ID}role/military"), f"<{ID}role/military>"),
}


@pytest.fixture(scope="module")
def broken_out(
    seed_out: Path, tmp_path_factory: pytest.TempPathFactory, seed_names: list[str]
) -> Path:
    """The seed build plus, in the first seed's graph, a fact with no mission and no
    number ("bare"), facts whose mission is not a kg:Mission, and a good fact with no
    mission stated and bounds ("ranged")."""
    facts: dict[str, dict[str, ox.NamedNode | ox.Literal]] = {"bare": {}}
    for name, (mission, _shown) in ODD_MISSIONS.items():
        facts[name] = {
            str(KG.mission): mission,
            str(KG.value): ox.Literal(5),
            str(KG.timeStated): ox.Literal(False),
        }
    facts["ranged"] = {
        str(KG.mission): ox.NamedNode(str(KG.NoMission)),
        str(KG.minValue): ox.Literal(3),
        str(KG.maxValue): ox.Literal(12),
        str(KG.validFrom): ox.Literal("2019"),
    }
    return broken_build(seed_out, tmp_path_factory.mktemp("broken") / "out", seed_names[0], facts)


@pytest.fixture(scope="module")
def broken_report(broken_out: Path) -> Report:
    return validate(broken_out)


def findings_for(report: Report, name: str, *, warnings: bool = False) -> list[Finding]:
    """The violations (and with ``warnings`` the warnings too) about the fact ``name``."""
    found = report.findings if warnings else report.violations
    return [f for f in found if f.focus.endswith(f"/{name}")]


def test_validate_seed_graph_conforms(seed_report: Report) -> None:
    assert seed_report.conforms, "\n".join(str(f) for f in seed_report.violations)
    assert seed_report.focus_nodes > 2000  # documents, spans, facts, time expressions...
    assert seed_report.summary().startswith("valid: ")


def test_validate_warns_only_about_facts_without_time(seed_report: Report) -> None:
    for finding in seed_report.warnings:
        assert finding.severity == "warning"
        assert finding.kind in ("personnel fact", "budget fact"), finding
        assert "when it applies" in finding.message
        assert finding.document and finding.quote


def test_validate_reports_a_fact_without_mission_or_value(
    broken_report: Report, seed_names: list[str]
) -> None:
    assert not broken_report.conforms
    found = findings_for(broken_report, "bare")
    assert len(found) == 3, "\n".join(map(str, found))
    by_path = {f.path: f for f in found if "applies" not in f.message}
    assert any("does not say when it applies" in f.message for f in found)
    assert MISSION_MESSAGE in by_path["kg:mission"].message
    assert "kg:NoMission" in by_path["kg:mission"].message
    count = by_path[""]  # the fact as a whole: no count and no bounds
    assert "must state a number" in count.message
    assert "kg:value" in count.message and "kg:minValue" in count.message
    for finding in found:
        assert finding.severity == "violation"
        assert finding.document == seed_names[0]
        assert finding.kind == "personnel fact"
        assert finding.quote
        assert seed_names[0] in str(finding) and finding.message in str(finding)


@pytest.mark.parametrize("name", sorted(ODD_MISSIONS))
def test_validate_reports_a_mission_that_is_not_a_mission(
    broken_report: Report, seed_names: list[str], name: str
) -> None:
    [finding] = findings_for(broken_report, name)
    assert finding.severity == "violation"
    assert finding.path == "kg:mission"
    assert finding.value == ODD_MISSIONS[name][1]
    assert MISSION_MESSAGE in finding.message
    assert finding.document == seed_names[0]


def test_validate_accepts_no_mission_stated_and_bounds(broken_report: Report) -> None:
    assert findings_for(broken_report, "ranged", warnings=True) == []
    bad = {f.focus.rsplit("/", 1)[-1] for f in broken_report.violations}
    assert bad == {"bare", *ODD_MISSIONS}, "the seeds' own facts stay valid"


def document(date: str, precision: str) -> str:
    """A minimal document in Turtle with the given date and date precision."""
    return f"""
        @prefix kg: <https://w3id.org/kg-iraq/ontology#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://example.org/doc> a kg:Document ; kg:fileName "brief.txt" ;
            kg:mediaType "text/plain" ; kg:sha256 "{"0" * 64}" ; kg:textLength 10 ;
            kg:docType kg:Kamerbrief ; dcterms:date {date} ; kg:datePrecision "{precision}" ;
            kg:dateInferred false .
        """


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    """The ontology and its concepts (ontology/*.ttl but the shapes), as a build holds them."""
    graph = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize(
    ("date", "precision", "valid"),
    [
        ('"2018-09-14"^^xsd:date', "day", True),
        ('"2018-09"^^xsd:gYearMonth', "month", True),
        ('"2018"^^xsd:gYear', "year", True),
        ('"2018"^^xsd:gYear', "day", False),
        ('"2018-09-14"^^xsd:date', "month", False),
        ('"2018-09-14"', "day", False),
    ],
)
def test_validate_document_date_is_typed_by_its_precision(
    vocabulary: Graph, date: str, precision: str, valid: bool
) -> None:
    data = Graph()
    data += vocabulary
    data.parse(data=document(date, precision), format="turtle")

    report = validate_graph(data, load_shapes())

    assert report.focus_nodes == 1
    assert report.conforms == valid, "\n".join(map(str, report.violations))
    if not valid:
        [finding] = report.violations
        assert finding.path == "dcterms:date"
        assert finding.document == "brief.txt"
        assert "xsd:gYearMonth for a month" in finding.message


def test_validate_cli_exits_0_with_one_line_for_a_valid_build(
    runner: CliRunner, seed_out: Path
) -> None:
    result = runner.invoke(cli, ["validate", "--out", str(seed_out)])

    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert line.startswith("valid: ") and "focus nodes checked" in line


def test_validate_cli_verbose_lists_the_warnings(
    runner: CliRunner, seed_out: Path, seed_report: Report
) -> None:
    result = runner.invoke(cli, ["validate", "--out", str(seed_out), "--verbose"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(seed_report.warnings) + 1
    assert all(line.startswith("warning: ") for line in lines[:-1])


def test_validate_cli_exits_1_and_prints_each_violation(
    runner: CliRunner, broken_out: Path, broken_report: Report, seed_names: list[str]
) -> None:
    result = runner.invoke(cli, ["validate", "--out", str(broken_out)])

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    *violations, summary = result.stdout.splitlines()
    assert violations == [f"violation: {f}" for f in broken_report.violations]
    assert all(seed_names[0] in line and "personnel fact" in line for line in violations)
    assert summary.startswith("invalid: ") and f"{len(violations)} violations" in summary


def test_validate_cli_missing_build_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", "--out", str(tmp_path / "nergens")])

    assert result.exit_code == 2, result.output
    assert "no kg build here" in result.stderr
    assert "Traceback" not in result.output


def test_validate_shapes_have_names_and_messages_and_no_blank_nodes() -> None:
    shapes = load_shapes()
    properties = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert properties
    for shape in properties | set(shapes.subjects(RDF.type, SH.NodeShape)):
        assert isinstance(shape, URIRef), shape
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
    for shape in properties:
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
    # the store loads every ontology/*.ttl; a blank node would get a new label in
    # each build and make two builds' TriG differ
    assert not any(isinstance(term, BNode) for triple in shapes for term in triple)


def test_validate_shapes_use_only_declared_kg_terms() -> None:
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    declared = {str(s) for s in ontology.subjects(RDF.type, None)}
    used = {
        str(term)
        for triple in load_shapes()
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(KG._NS))
    }
    assert used <= declared, sorted(used - declared)


@pytest.mark.parametrize("content", [None, "kgsh:Broken a sh:NodeShape ;"])
def test_validate_unreadable_shapes_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str | None
) -> None:
    if content is not None:
        (tmp_path / "shapes.ttl").write_text(content, encoding="utf-8")
    monkeypatch.setattr("kg.validate.ontology_dir", lambda: tmp_path)

    with pytest.raises(KgError, match="cannot read the SHACL shapes"):
        load_shapes()
