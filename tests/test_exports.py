"""Exports are what the docs say: each format, read back by a parser that is not
Oxigraph's (rdflib for TriG, N-Quads and Turtle, pyld for JSON-LD), holds what the store
holds: every quad in its graph where the format keeps graphs, and the distinct triples of
all graphs where it merges them (Turtle)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import SeedBuild
from pyld import jsonld
from rdflib import Dataset, Graph

from kg.cli import cli
from kg.store import BUILD_GRAPH, open_store

README = Path(__file__).resolve().parent.parent / "README.md"
KEEP_GRAPHS = ("trig", "nquads", "jsonld")  # as --help and the README say
NAMES = {"trig": "TriG", "nquads": "N-Quads", "jsonld": "JSON-LD", "turtle": "Turtle"}


def per_graph(store: ox.Store, with_build: bool = False) -> Counter[str]:
    """How many quads the store holds in each named graph (the build record left out
    unless ``with_build``, as the exports leave it out)."""
    return Counter(
        q.graph_name.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode)
        and (with_build or q.graph_name.value != BUILD_GRAPH)
    )


def export(out: Path, target: Path, fmt: str, *more: str) -> Path:
    result = CliRunner().invoke(
        cli, ["export", "--out", str(out), "--format", fmt, "-o", str(target), *more]
    )
    assert result.exit_code == 0, result.output
    return target


def rdflib_graphs(path: Path, fmt: str) -> Counter[str]:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    return Counter(str(graph) for _s, _p, _o, graph in dataset.quads((None, None, None, None)))


@pytest.mark.parametrize(("fmt", "parse_as"), [("trig", "trig"), ("nquads", "nquads")])
def test_exports_graph_formats_hold_every_quad_in_its_graph(
    seed_build: SeedBuild, tmp_path: Path, fmt: str, parse_as: str
) -> None:
    expected = per_graph(open_store(seed_build.out))
    found = rdflib_graphs(export(seed_build.out, tmp_path / f"graph.{fmt}", fmt), parse_as)
    assert found == expected
    # five documents, the ontology, the reconciliation and the consolidation
    assert len(expected) == 8 and sum(expected.values()) > 20_000


def test_exports_jsonld_holds_every_quad_in_its_graph(
    seed_build: SeedBuild, tmp_path: Path
) -> None:
    expected = per_graph(open_store(seed_build.out))
    path = export(seed_build.out, tmp_path / "graph.jsonld", "jsonld")
    dataset = jsonld.to_rdf(json.loads(path.read_text("utf-8")))
    found = Counter({name: len(quads) for name, quads in dataset.items() if quads})
    assert found == expected
    assert "@default" not in found  # every triple is in a document's (or kg's) graph


def test_exports_turtle_holds_the_distinct_triples_of_all_graphs(
    seed_build: SeedBuild, tmp_path: Path
) -> None:
    store = open_store(seed_build.out)
    union = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if q.graph_name != ox.NamedNode(BUILD_GRAPH)
    }
    graph = Graph()
    graph.parse(export(seed_build.out, tmp_path / "graph.ttl", "turtle"), format="turtle")
    assert len(graph) == len(union) > 20_000


def test_exports_turtle_and_jsonld_of_graphs_sharing_a_triple(tmp_path: Path) -> None:
    """A triple in two graphs is one triple in Turtle and a quad in each graph in JSON-LD."""
    out = tmp_path / "out"
    out.mkdir()
    store = ox.Store(str(out / "store"))
    shared = (ox.NamedNode("urn:kg:a"), ox.NamedNode("urn:kg:p"), ox.Literal("Irak"))
    store.extend([ox.Quad(*shared, ox.NamedNode(f"urn:kg:graph/{n}")) for n in (1, 2)])
    store.add(ox.Quad(ox.NamedNode("urn:kg:b"), *shared[1:], ox.NamedNode("urn:kg:graph/2")))
    store.flush()
    del store
    graph = Graph()
    graph.parse(export(out, tmp_path / "g.ttl", "turtle"), format="turtle")
    assert len(graph) == 2
    data = json.loads(export(out, tmp_path / "g.jsonld", "jsonld").read_text("utf-8"))
    found = {name: len(quads) for name, quads in jsonld.to_rdf(data).items() if quads}
    assert found == {"urn:kg:graph/1": 1, "urn:kg:graph/2": 2}


def test_exports_with_build_adds_the_build_record(seed_build: SeedBuild, tmp_path: Path) -> None:
    expected = per_graph(open_store(seed_build.out), with_build=True)
    path = export(seed_build.out, tmp_path / "graph.nq", "nquads", "--with-build")
    assert rdflib_graphs(path, "nquads") == expected
    assert expected[BUILD_GRAPH] > 0


def test_exports_per_document_files_hold_one_graph_each(
    seed_build: SeedBuild, tmp_path: Path
) -> None:
    folder = tmp_path / "nquads"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--out",
            str(seed_build.out),
            "--format",
            "nquads",
            "--per-document",
            str(folder),
        ],
    )
    assert result.exit_code == 0, result.output
    found: Counter[str] = Counter()
    for path in sorted(folder.rglob("*.nq")):
        graphs = rdflib_graphs(path, "nquads")
        assert len(graphs) == 1, path  # one graph a file
        found += graphs
    assert found == per_graph(open_store(seed_build.out))


def test_exports_keep_graphs_as_help_and_readme_say(seed_build: SeedBuild, tmp_path: Path) -> None:
    """The formats that keep the graphs, as measured, are those that --help and the
    README name (Turtle has no graphs: it is read as one above)."""
    keeps = [
        fmt
        for fmt in ("trig", "nquads")
        if len(rdflib_graphs(export(seed_build.out, tmp_path / f"g.{fmt}", fmt), fmt)) > 1
    ]
    data = json.loads(export(seed_build.out, tmp_path / "g.jsonld", "jsonld").read_text())
    if len([name for name, quads in jsonld.to_rdf(data).items() if quads]) > 1:
        keeps.append("jsonld")
    assert tuple(keeps) == KEEP_GRAPHS
    kept = ", ".join(NAMES[f] for f in KEEP_GRAPHS[:-1]) + f" and {NAMES[KEEP_GRAPHS[-1]]}"
    helped = CliRunner().invoke(cli, ["export", "--help"]).stdout
    assert f"{kept} keep one named graph per document" in " ".join(helped.split())
    readme = " ".join(README.read_text("utf-8").split())
    assert re.search(
        rf"`kg export` writes {kept} \(graphs kept[^)]*\) or Turtle \(graphs merged", readme
    )
