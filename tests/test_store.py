"""The store and its exports: one graph per document, a build record, stable bytes,
the rdflib API, and the named analysis queries."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import pipeline
from kg.cli import cli
from kg.consolidate.graph import read_mentions
from kg.pipeline import CONSOLIDATION_CACHE, FIGURES_CACHE, TRIG_CACHE, build
from kg.query import named_queries, run, run_rdflib
from kg.rdf import graph_iri, sort_key
from kg.reconcile import read_figures
from kg.render import write_site
from kg.render.site import SITE_CACHE
from kg.store import (
    BUILD_GRAPH,
    RECONCILIATION_GRAPH,
    _difference,
    build_record,
    build_time,
    graph_keys,
    held_text,
    in_export_order,
    keep_trig,
    open_rdflib,
    open_store,
    replace_graph,
    replace_graph_lines,
    rules_of,
    store_path,
    stored_documents,
    write_sorted,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store") / "out"
    assert not build([SEEDS], out).rejected
    return out


def graph_quads(out: Path, graph: str) -> list[str]:
    store = open_store(out)
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_store_build_record_names_software_inputs_hashes_and_time(built: Path) -> None:
    store = open_store(built)
    table = run(
        store,
        f"""SELECT ?p ?o WHERE {{ GRAPH <{BUILD_GRAPH}> {{ <{BUILD_GRAPH}> ?p ?o }} }}""",
    )
    predicates = [row[0].rsplit("#", 1)[-1] for row in table.rows]
    assert predicates.count("used") == 5
    assert predicates.count("endedAtTime") == 1  # the time is recorded once
    hashes = run(
        store,
        f"""SELECT ?doc ?sha WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?doc kg:sha256 ?sha }} }}""",
    )
    assert len(hashes.rows) == 5 and all(len(sha) == 64 for _, sha in hashes.rows)


def test_store_trig_is_byte_identical_across_builds_at_different_times(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    again = tmp_path / "again"
    build([SEEDS], again)
    assert (again / "graph.trig").read_bytes() == (built / "graph.trig").read_bytes()
    when = run(open_store(again), "SELECT ?t WHERE { ?a prov:endedAtTime ?t }").rows
    assert when == (("2023-11-14T22:13:20Z",),)


def test_store_a_changed_document_is_read_again_and_the_others_are_kept(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    kept = "000_aecc147fb1b91a27.txt"
    before = graph_quads(out, graph_iri(kept))
    parts = kept_parts(out)
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    changed = inputs / "001_1044ea1259fcd4ce.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("maximaal 50 militairen", "maximaal 60 militairen", 1), "utf-8")
    report = build([inputs], out)
    assert [b.name for b in report.built] == [changed.name]  # the others are not read again
    assert len(report.kept) == 4 and not report.dropped
    assert graph_quads(out, graph_iri(kept)) == before
    personnel = run(open_store(out), named_queries()["personnel"].text)
    maxima = {row[6] for row in personnel.rows if row[0] == changed.name}
    assert "60" in maxima and "50" in maxima  # one sentence changed, the other not
    fresh = tmp_path / "fresh"
    build([inputs], fresh)  # the TriG of the kept documents is reused, to the same bytes
    assert (out / "graph.trig").read_bytes() == (fresh / "graph.trig").read_bytes()
    # the reconciliation and the viewer read again only the changed document's figures
    # and data, and give the same graph and page
    now = kept_parts(out)
    for folder in (FIGURES_CACHE, SITE_CACHE):
        changed_parts = parts[folder] - now[folder]
        assert len(changed_parts) == 1 and len(now[folder] - parts[folder]) == 1, folder
        assert len(now[folder]) == 5
    assert (out / "site" / "index.html").read_bytes() == (
        fresh / "site" / "index.html"
    ).read_bytes()


def kept_parts(out: Path) -> dict[str, set[str]]:
    """The files kept per document for the reconciliation and the viewer."""
    return {
        folder: {path.name for path in (out / folder).iterdir()}
        for folder in (FIGURES_CACHE, SITE_CACHE)
    }


def test_store_a_document_no_longer_among_the_inputs_is_dropped(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    gone = sorted(inputs.glob("*.txt"))[-1]
    gone.unlink()
    report = build([inputs], out)
    assert report.dropped == [gone.name] and not report.built and len(report.kept) == 4
    assert not open_store(out).contains_named_graph(ox.NamedNode(graph_iri(gone.name)))
    fresh = tmp_path / "fresh"
    build([inputs], fresh)
    assert (out / "graph.trig").read_bytes() == (fresh / "graph.trig").read_bytes()
    assert {folder: len(names) for folder, names in kept_parts(out).items()} == {
        FIGURES_CACHE: 4,
        SITE_CACHE: 4,
    }
    assert (out / "site" / "index.html").read_bytes() == (
        fresh / "site" / "index.html"
    ).read_bytes()


def test_store_nothing_changed_leaves_the_build_as_it_was(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    stamp = (out / "graph.trig").stat().st_mtime_ns
    report = build([SEEDS], out)
    assert not report.built and len(report.kept) == 5
    assert (out / "graph.trig").stat().st_mtime_ns == stamp


def test_store_a_build_by_other_rules_reads_every_document_again(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    monkeypatch.setattr(pipeline, "rules_digest", lambda: "other rules")
    report = build([SEEDS], out)
    assert len(report.built) == 5 and not report.kept
    assert any("every document is read again" in note for note in report.notes)


def test_store_a_build_by_other_rules_replaces_the_graphs_and_drops_the_removed(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document read again by other rules replaces its graph of the last build (what
    the old rules alone found is gone), and a document no longer among the inputs is
    dropped: a graph is never the old rules' and the new ones' together."""
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    shutil.copytree(built, out)
    shutil.copytree(SEEDS, inputs)
    kept, removed = sorted(inputs.iterdir())[:2]
    removed.unlink()
    store = ox.Store(str(store_path(out)))
    graph = ox.NamedNode(graph_iri(kept.name))
    stale = ox.Quad(graph, ox.NamedNode("urn:kg:test:oldRule"), ox.Literal("old"), graph)
    store.add(stale)
    del store
    monkeypatch.setattr(pipeline, "rules_digest", lambda: "other rules")
    report = build([inputs], out)
    assert report.dropped == [removed.name] and len(report.built) == 4
    store = open_store(out)
    assert stale not in set(store.quads_for_pattern(None, None, None, graph))
    assert ox.NamedNode(graph_iri(removed.name)) not in set(store.named_graphs())
    fresh = tmp_path / "fresh"
    build([inputs], fresh)
    for name in sorted(p.name for p in inputs.iterdir()):
        assert graph_quads(out, graph_iri(name)) == graph_quads(fresh, graph_iri(name)), name


@pytest.mark.parametrize(
    ("fmt", "name", "parse_as"),
    [
        ("trig", "graph.trig", ox.RdfFormat.TRIG),
        ("nquads", "graph.nq", ox.RdfFormat.N_QUADS),
        ("turtle", "graph.ttl", ox.RdfFormat.TURTLE),
        ("jsonld", "graph.jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_store_exports_parse(
    built: Path, tmp_path: Path, fmt: str, name: str, parse_as: ox.RdfFormat
) -> None:
    target = tmp_path / name
    result = CliRunner().invoke(
        cli, ["export", "--out", str(built), "--format", fmt, "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(path=str(target), format=parse_as))
    assert len(parsed) > 10_000
    if fmt in ("trig", "nquads"):
        graphs = {str(q.graph_name) for q in parsed}
        assert f"<{graph_iri('003_7ba65e5599d72e72.txt')}>" in graphs
        assert f"<{BUILD_GRAPH}>" not in graphs  # the build record stays out of exports
    first = target.read_bytes()
    CliRunner().invoke(cli, ["export", "--out", str(built), "--format", fmt, "-o", str(target)])
    assert target.read_bytes() == first


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_store_rdflib_api_gives_the_same_rows(built: Path, backend: str) -> None:
    text = named_queries()["periods"].text
    expected = run(open_store(built), text)
    dataset = open_rdflib(built, backend)
    got = run_rdflib(dataset, text)
    assert got.columns == expected.columns
    assert sorted(got.rows) == sorted(expected.rows)


@pytest.mark.parametrize("backend", ["oxigraph-memory", "rdflib"])
def test_store_query_with_another_store_from_the_command_line(built: Path, backend: str) -> None:
    runner = CliRunner()
    args = ["query", "budgets", "--out", str(built), "--format", "csv"]
    disk = runner.invoke(cli, args)
    other = runner.invoke(cli, [*args, "--store", backend])
    assert disk.exit_code == other.exit_code == 0
    assert disk.stdout == other.stdout


ANALYSIS = {
    "strength": ("mission", "component", "valid_from", "valid_to", "value", "doc", "quote"),
    "spending": ("year", "mission", "purpose", "amount", "currency", "doc", "quote"),
    "lifecycle": ("mission", "date", "kind", "label", "doc", "doc_type", "doc_date", "quote"),
    "facts_per_document": ("doc", "type", "date", "personnel", "budgets", "events", "periods"),
    "conflicts": ("mission", "component", "doc_a", "figure_a", "doc_b", "figure_b"),
    "questions_by_mission": ("mission", "doc", "number", "question", "answer"),
}


@pytest.mark.parametrize("name", sorted(ANALYSIS))
def test_store_analysis_queries_have_their_columns(built: Path, name: str) -> None:
    query = named_queries()[name]
    assert query.description  # kg query --list shows it
    table = run(open_store(built), query.text)
    assert set(ANALYSIS[name]) <= set(table.columns)


def test_store_lifecycle_shows_the_f16_end_with_its_letter(built: Path) -> None:
    table = run(open_store(built), named_queries()["lifecycle"].text)
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert any(
        r["mission"] == "OIR"
        and r["date"] == "2018-12-31"
        and r["kind"] == "end"
        and r["doc_type"] == "artikel 100-brief"
        and r["doc_date"] == "2018-09-14"
        for r in rows
    )


def test_store_facts_per_document_counts_each_document(built: Path) -> None:
    table = run(open_store(built), named_queries()["facts_per_document"].text)
    counts = {row[0]: row[3:] for row in table.rows}
    assert len(counts) == 5
    assert counts["001_1044ea1259fcd4ce.txt"][0] != "0"  # personnel figures in the letter


def test_store_questions_by_mission_links_questions_to_missions(built: Path) -> None:
    table = run(open_store(built), named_queries()["questions_by_mission"].text)
    missions = {row[0] for row in table.rows}
    assert {"OIR", "NMI"} <= missions
    assert all(row[1].startswith(("000_", "002_")) for row in table.rows)


def test_store_per_document_nquads_hold_the_whole_graph(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nquads"
    result = CliRunner().invoke(
        cli, ["export", "--out", str(built), "--format", "nquads", "--per-document", str(folder)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in folder.rglob("*.nq"))
    documents = sorted(f"{p.name}.nq" for p in SEEDS.glob("*.txt"))
    assert files == [*documents, "consolidation.nq", "ontology.nq", "reconciliation.nq"]
    loaded = ox.Store()
    for path in folder.rglob("*.nq"):
        loaded.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    whole = {
        q
        for q in open_store(built).quads_for_pattern(None, None, None, None)
        if q.graph_name != ox.NamedNode(BUILD_GRAPH)
    }
    assert set(loaded.quads_for_pattern(None, None, None, None)) == whole
    wrong = CliRunner().invoke(cli, ["export", "--out", str(built), "--per-document", str(folder)])
    assert wrong.exit_code == 2 and "--format nquads" in wrong.output


def test_store_replace_graph_keeps_what_stays_and_leaves_other_graphs() -> None:
    store = ox.Store()
    graph, other = "urn:kg:test:g", "urn:kg:test:other"

    def quad(n: int, g: str = graph) -> ox.Quad:
        return ox.Quad(
            ox.NamedNode(f"urn:kg:s{n}"),
            ox.NamedNode("urn:kg:p"),
            ox.Literal(str(n)),
            ox.NamedNode(g),
        )

    store.extend([quad(1), quad(2), quad(2, other)])
    replace_graph(store, graph, [quad(2), quad(3)])
    assert set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))) == {quad(2), quad(3)}
    assert set(store.quads_for_pattern(None, None, None, ox.NamedNode(other))) == {quad(2, other)}
    replace_graph(store, graph, [])
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_store_write_sorted_sorts_in_runs_and_keeps_each_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph's text is sorted in runs written aside and merged: the file is the
    sorted distinct texts, whatever the size of a run (a last run shorter than the
    others, none, or the only one), and nothing is left beside it."""
    texts = [f"<urn:kg:s{n % 997}> <urn:kg:p> <urn:kg:o{n % 13}> <urn:kg:g>" for n in range(5_000)]
    random.Random(3).shuffle(texts)
    wanted = "".join(f"{t} .\n" for t in sorted(set(texts)))
    for size in (7, 1_000, 5_000, 100_000):
        monkeypatch.setattr("kg.store._BATCH_QUADS", size)
        path = tmp_path / f"{size}.nq"
        write_sorted(path, iter(texts))
        assert path.read_text(encoding="utf-8") == wanted, size
    write_sorted(tmp_path / "none.nq", [])
    assert (tmp_path / "none.nq").read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "1000.nq",
        "100000.nq",
        "5000.nq",
        "7.nq",
        "none.nq",
    ]


def test_store_difference_of_sorted_runs() -> None:
    """What only the new run holds and what only the old one holds, however the two
    interleave."""
    rng = random.Random(7)
    for _ in range(400):
        pool = [f"<urn:kg:s{n:03d}>" for n in range(rng.randint(0, 40))]
        new = sorted(rng.sample(pool, rng.randint(0, len(pool))))
        old = sorted(rng.sample(pool, rng.randint(0, len(pool))))
        found = sorted(_difference(iter(new), iter(old)))
        wanted = sorted(
            [(True, t) for t in set(new) - set(old)] + [(False, t) for t in set(old) - set(new)]
        )
        assert found == wanted, (new, old)


@pytest.mark.parametrize("held_kept", [True, False])
def test_store_replace_graph_lines_loads_and_removes_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held_kept: bool
) -> None:
    """Many added quads go to the bulk loader in batches, many gone ones are removed in
    batches, and the graph is then the file's quads exactly, whether the graph's old
    text is read from a kept file or from the store."""
    monkeypatch.setattr("kg.store._BATCH_QUADS", 50)
    monkeypatch.setattr("kg.store._BULK_QUADS", 20)
    graph = "urn:kg:derived"

    def texts(numbers: range) -> list[str]:
        return [f'<urn:kg:s{n}> <urn:kg:p> "{n}" <{graph}>' for n in numbers]

    store = ox.Store(str(tmp_path / "store"))
    old = tmp_path / "old.nq"
    write_sorted(old, texts(range(0, 300)))
    store.bulk_load(path=str(old), format=ox.RdfFormat.N_QUADS)
    loads = []
    original = ox.Store.bulk_load
    monkeypatch.setattr(
        ox.Store, "bulk_load", lambda self, **kw: (loads.append(kw), original(self, **kw))[1]
    )
    new = tmp_path / "new.nq"
    write_sorted(new, texts(range(200, 520)))  # 200-299 stay, 0-199 go, 300-519 come
    replace_graph_lines(store, graph, new, old if held_kept else None)
    held = {str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    assert held == set(texts(range(200, 520)))
    assert len(loads) == 5  # 220 added, 50 at a time
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.nq", "old.nq", "store"]


def test_store_replace_graph_reads_the_graph_from_its_kept_text(tmp_path: Path) -> None:
    """Where the graph's text was kept, replace_graph compares with it instead of
    reading the graph back, and removes what the text holds and the new quads do not."""
    store = ox.Store()
    graph = "urn:kg:derived"

    def quad(n: int) -> ox.Quad:
        return ox.Quad(
            ox.NamedNode(f"urn:kg:s{n}"),
            ox.NamedNode("urn:kg:p"),
            ox.Literal(f'"{n}"\n'),
            ox.NamedNode(graph),
        )

    first = in_export_order([quad(1), quad(2)])
    store.extend(first)
    key = keep_trig(tmp_path, graph, [str(q) for q in first])
    store.extend(build_record([], "0", build_time(), None, {graph: key}))
    held = held_text(store, tmp_path, graph)
    assert held is not None
    assert set(ox.parse(path=str(held), format=ox.RdfFormat.N_QUADS)) == set(first)
    replace_graph(store, graph, [quad(2), quad(3)], held)
    assert set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))) == {quad(2), quad(3)}
    held.unlink()  # a build that stopped, say: the graph is read from the store
    assert held_text(store, tmp_path, graph) is None


def test_store_a_build_keeps_the_text_of_its_reconciliation(built: Path) -> None:
    store = open_store(built)
    held = held_text(store, built / TRIG_CACHE, RECONCILIATION_GRAPH)
    assert held is not None
    graph = ox.NamedNode(RECONCILIATION_GRAPH)
    assert set(ox.parse(path=str(held), format=ox.RdfFormat.N_QUADS)) == set(
        store.quads_for_pattern(None, None, None, graph)
    )


def test_store_export_order_by_text_is_the_order_by_terms(built: Path) -> None:
    store = open_store(built)
    for graph in store.named_graphs():
        quads = list(store.quads_for_pattern(None, None, None, graph))
        assert in_export_order(quads) == sorted(quads, key=sort_key), graph


def test_store_parts_made_by_the_workers_are_those_read_from_the_store(
    built: Path, tmp_path: Path
) -> None:
    """The figures, the mentions and the viewer's data a worker keeps of a document's
    graph are what the reconciliation, the consolidation and the viewer read from the
    store when none is kept."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    folders = (FIGURES_CACHE, SITE_CACHE, CONSOLIDATION_CACHE)
    kept = {folder: read_folder(out / folder) for folder in folders}
    for folder in kept:
        shutil.rmtree(out / folder)
    store = open_store(out)
    keys = graph_keys(stored_documents(store).values(), rules_of(store))
    assert len(read_figures(store, out / FIGURES_CACHE, keys)) > 0
    assert read_mentions(store, out / CONSOLIDATION_CACHE, keys).periods
    del store
    write_site(out)
    assert {folder: read_folder(out / folder) for folder in kept} == kept
    page = "site/index.html"
    assert (out / page).read_bytes() == (built / page).read_bytes()


def read_folder(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_store_a_build_with_no_figures_to_compare_exports_no_reconciliation(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in" / "brief.txt"
    source.parent.mkdir()
    source.write_text("Den Haag, 1 mei 2019\n\nHet kabinet besprak de zaak.\n", "utf-8")
    out = tmp_path / "out"
    assert not build([source], out).rejected
    graphs = {q.graph_name for q in ox.parse(path=str(out / "graph.trig"))}
    assert ox.NamedNode(RECONCILIATION_GRAPH) not in graphs and len(graphs) == 2
