"""The query tables (kg/tables.py, kg/linked.py): the rows a build keeps of the named
queries of one document's facts and of the reconciliation's pairs are the store's
answer, row for row and page by page, after a rebuild too; where the tables cannot
answer, the store does."""

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.api import Build
from kg.cli import cli
from kg.linked import LINKED_CACHE, describe, read_described
from kg.pipeline import build
from kg.query import XSD, answer, named_queries
from kg.render.data import concepts_of, labels_of, phases_of, viewer_query
from kg.store import (
    RECONCILIATION_GRAPH,
    graph_keys,
    open_store,
    part_name,
    rules_of,
    stored_documents,
)
from kg.tables import (
    CONSOLIDATED,
    LINKED,
    MERGED,
    TABLED,
    TABLES_CACHE,
    VIEWER_PHASES,
    _cell,
    _columns,
    _keyed,
    _term,
    index_digest,
    linked_rows,
    lookup,
    order_key,
    part_file,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path(__file__).resolve().parent / "corpus"


def cache_of(out: Path) -> Path:
    return out / TABLES_CACHE


def _dev_texts() -> list[Path]:
    return [
        case / "text.txt"
        for case in sorted(CORPUS.iterdir())
        if (case / "case.json").is_file()
        and json.loads((case / "case.json").read_text(encoding="utf-8"))["split"] == "dev"
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the dev split of tests/corpus, each text under a name of its own."""
    folder = tmp_path_factory.mktemp("tables-inputs")
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    for path in _dev_texts():
        shutil.copy(path, folder / f"{path.parent.name}.txt")
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables") / "out"
    build([corpus], out)
    return out


def _same_as_store(out: Path) -> None:
    store = open_store(out)
    queries = named_queries()
    for name in (*TABLED, *LINKED, *CONSOLIDATED):
        expected = answer(store, queries[name].text)
        found = lookup(out, store, name)
        assert found is not None, name
        assert found.columns == expected.columns, name
        assert found.rows == expected.rows, name
    # the viewer's phases, a table that is no named query (its lists in no order)
    assert linked_rows(out, store, VIEWER_PHASES, viewer_query("phases")) is not None
    labels = labels_of(concepts_of(store))
    assert list(phases_of(store, labels, out)) == list(phases_of(store, labels))


def test_tables_every_tabled_query_gives_the_stores_rows(built: Path) -> None:
    store = open_store(built)
    assert len(answer(store, named_queries()["events"].text).rows) > 1000  # not a toy graph
    for name in (*LINKED, *CONSOLIDATED):  # pairs, phases and steps in many blocks
        assert len(answer(store, named_queries()[name].text).rows) > 100, name
    index = json.loads(next(cache_of(built).glob("index-*.json")).read_bytes())
    for name in CONSOLIDATED:
        assert len(index["linked"][name]["blocks"]) > 2, name
    _same_as_store(built)


def test_tables_tabled_queries_are_ordered_by_document_first_or_merged() -> None:
    """Each document's rows in turn answer only a query ordered by ?doc first; the
    others are merged, sorted by the keys their ORDER BY names."""
    for name in TABLED:
        order = named_queries()[name].text.rsplit("ORDER BY", 1)[1].split()
        assert (order[0] == "?doc") == (name not in MERGED), name
    keyed = _keyed(named_queries()["spending"].text)
    assert "(?year AS ?kg_order_0)" in keyed and "(?begin AS ?kg_order_4)" in keyed


def test_tables_merged_rows_sort_as_the_store_sorts() -> None:
    """A descending key, an expression, unbound cells and numbers of two types."""
    store = ox.Store()
    e = "http://e/"
    rows = [("a", "3", "x"), ("b", "10.5", None), ("c", "3", "y"), ("d", None, "x")]
    for doc, value, tag in rows:
        store.add(ox.Quad(ox.NamedNode(e + doc), ox.NamedNode(e + "doc"), ox.Literal(doc)))
        if value is not None:
            kind = XSD + ("decimal" if "." in value else "integer")
            literal = ox.Literal(value, datatype=ox.NamedNode(kind))
            store.add(ox.Quad(ox.NamedNode(e + doc), ox.NamedNode(e + "v"), literal))
        if tag is not None:
            store.add(ox.Quad(ox.NamedNode(e + doc), ox.NamedNode(e + "t"), ox.Literal(tag)))
    text = (
        "SELECT ?doc ?v WHERE { ?s <http://e/doc> ?doc OPTIONAL { ?s <http://e/v> ?v } "
        'OPTIONAL { ?s <http://e/t> ?t } } ORDER BY DESC(?v) (?t = "x") ?doc'
    )
    expected = answer(store, text)
    keyed = answer(store, _keyed(text))
    cells = [[_cell(term) for term in row] for row in reversed(keyed.rows)]
    for n, descending in reversed(list(enumerate((True, False, False)))):
        cells.sort(key=lambda row: order_key(row[2 + n]), reverse=descending)
    assert [tuple(_term(c) for c in row[:2]) for row in cells] == list(expected.rows)


@pytest.mark.parametrize(("offset", "limit"), [(0, 1), (0, 100), (7, 50), (130, 400), (0, 0)])
def test_tables_a_page_is_the_slice_of_the_whole(built: Path, offset: int, limit: int) -> None:
    store = open_store(built)
    for name in ("events", "documents", "personnel", "questions", "spending", *LINKED):
        whole = answer(store, named_queries()[name].text)
        found = lookup(built, store, name, limit=limit, offset=offset)
        assert found is not None
        assert found.rows == whole.rows[offset : offset + limit], name
    far = lookup(built, store, "events", offset=10**6)
    assert far is not None and far.rows == ()


def test_tables_hold_after_a_change_a_new_and_a_dropped_document(
    corpus: Path, built: Path, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    shutil.copytree(built, out)  # the same documents: the build is the next one
    first = index_digest(open_store(out))
    names = sorted(p.name for p in inputs.iterdir())
    changed = inputs / names[3]
    changed.write_text(
        changed.read_text(encoding="utf-8")
        + "\n\nNederland draagt in 2019 met 150 militairen bij aan de missie in Irak.\n",
        encoding="utf-8",
    )
    (inputs / names[5]).unlink()
    for kept in (out / TABLES_CACHE).glob("merged-spending-*"):
        kept.unlink()  # gone: the next build reads the parts again
    store = open_store(out)
    graph = next(d.graph for d in stored_documents(store).values() if d.name == names[7])
    key = graph_keys(stored_documents(store).values(), rules_of(store))[graph]
    del store
    (out / TABLES_CACHE / part_file(graph, key)).unlink()  # made again from the store
    for described in (out / LINKED_CACHE).iterdir():
        described.unlink()  # the pairs' figures are read from the store
    shutil.copy(SEEDS / names[0], inputs / "zz-new.txt")
    report = build([inputs], out)
    assert len(report.built) == 2 and len(report.dropped) == 1
    assert index_digest(open_store(out)) != first
    _same_as_store(out)
    cache = out / TABLES_CACHE
    indexes = sorted(p.name for p in cache.glob("index-*.json"))
    assert len(indexes) == 1  # the old index is removed after the build
    parts = {p.name for p in cache.glob("*.tsv") if not p.name.startswith(("merged-", "linked-"))}
    assert len(parts) == len(names)
    index = json.loads(next(cache.glob("index-*.json")).read_bytes())
    named = {
        file
        for table in index["linked"].values()
        for _, _, pairs, _, chunks, _ in table["blocks"]
        for file in (pairs, *(chunk for chunk, _ in chunks))
    }
    assert {p.name for p in cache.glob("linked-*")} == named  # the older blocks are removed
    assert len(list(cache.glob("merged-*.tsv"))) == len(
        MERGED
    )  # one changed, one dropped, one new: each once


def test_tables_stand_aside_where_they_cannot_answer(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    store = open_store(out)
    assert lookup(out, store, "SELECT * { ?s ?p ?o }") is None  # not a named query
    for name, other in (("conflicts", "confirmations"), ("lifecycle", "phases")):
        assert lookup(out, store, name) is not None
        _first_block(out, name)[0].unlink()
        assert lookup(out, store, name) is None
        assert lookup(out, store, other) is not None
    cache = out / TABLES_CACHE
    index = json.loads(next(cache.glob("index-*.json")).read_bytes())
    counts = index["counts"]["events"]
    part = next(file for file, count in zip(index["files"], counts, strict=True) if count)
    (cache / part).unlink()  # a part gone (a build removed it since): the store answers
    assert lookup(out, store, "events") is None
    assert lookup(out, store, "spending") is not None
    for merged in cache.glob("merged-spending-*.tsv"):
        merged.unlink()
    assert lookup(out, store, "spending") is None
    for index in cache.glob("index-*.json"):
        index.unlink()
    assert lookup(out, store, "documents") is None


def test_tables_made_with_another_query_text_are_not_used(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build made by a kg whose query differs (an upgrade since) is answered by the
    store with the query as it is now."""
    import kg.tables

    texts = dict(kg.tables._texts())
    texts["events"] = texts["events"].replace("?doc ?begin ?e", "?doc ?e")
    monkeypatch.setattr(kg.tables, "_texts", lambda: texts)
    assert lookup(built, open_store(built), "events") is None
    assert lookup(built, open_store(built), "budgets") is not None
    every = dict(kg.tables._every_text())
    every["conflicts"] = every["conflicts"].replace("?doc_a ?doc_b ?a ?b", "?doc_b ?doc_a ?a ?b")
    monkeypatch.setattr(kg.tables, "_every_text", lambda: every)
    assert lookup(built, open_store(built), "conflicts") is None
    assert lookup(built, open_store(built), "confirmations") is not None


def test_tables_the_viewer_reads_its_phases_from_the_tables(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The viewer's phases come from the build's table of them, the same as the
    store's; where the table was made with another text or a file of it is damaged,
    from the store."""
    import kg.render.data

    out = tmp_path / "out"
    shutil.copytree(built, out)
    store = open_store(out)
    labels = labels_of(concepts_of(store))
    expected = list(phases_of(store, labels))
    assert len(expected) > 100
    assert [p.id for p in expected] == sorted(p.id for p in expected)
    asked: list[str] = []
    real_run = kg.render.data.run

    def run(source: object, text: str) -> object:
        asked.append(text)
        return real_run(source, text)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.render.data, "run", run)
    assert list(phases_of(store, labels, out)) == expected
    assert not asked  # read from the table alone
    monkeypatch.setattr(kg.render.data, "viewer_query", lambda name: viewer_query(name) + " ")
    assert list(phases_of(store, labels, out)) == expected
    assert len(asked) == 1  # another text than the table's: the store answers
    monkeypatch.setattr(kg.render.data, "viewer_query", viewer_query)
    _first_block(out, VIEWER_PHASES)[0].write_bytes(b"damaged\n")
    assert list(phases_of(store, labels, out)) == expected
    assert len(asked) == 2


def test_tables_the_command_and_the_api_give_the_stores_page(runner, built: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("events", "conflicts"):
        args = ["query", name, "--out", str(built), "--format", "csv"]
        page = runner.invoke(cli, [*args, "--limit", "5", "--offset", "3"])
        whole = runner.invoke(cli, [*args, "--from-store"])
        assert page.exit_code == 0 and whole.exit_code == 0, page.output + whole.output
        head, *rows = list(csv.reader(io.StringIO(whole.output)))
        assert list(csv.reader(io.StringIO(page.output))) == [head, *rows[3:8]], name
    with Build.open(built) as kg_build:
        whole = kg_build.run("personnel")
        assert kg_build.run("personnel", limit=4, offset=2).rows == whole.rows[2:6]
        assert kg_build.run("lifecycle", limit=2).rows == kg_build.run("lifecycle").rows[:2]


def test_tables_the_help_and_the_readme_name_the_tabled_queries(runner) -> None:  # type: ignore[no-untyped-def]
    """kg query --help and the README list the queries the tables answer."""
    import re

    help_text = " ".join(runner.invoke(cli, ["query", "--help"]).output.split())
    listed = re.search(r"The named queries of one document's facts \(([^)]*)\)", help_text)
    assert listed is not None
    assert tuple(sorted(n.strip() for n in listed.group(1).split(","))) == tuple(sorted(TABLED))
    readme = " ".join((SEEDS.parent / "README.md").read_text(encoding="utf-8").split())
    named = re.search(r"The named queries of one document's facts \(([^)]*)\)", readme)
    assert named is not None
    assert sorted(n.strip(" `") for n in named.group(1).split(",")) == sorted(TABLED)
    for text in (help_text, readme):
        pairs = re.search(r"The named queries of the reconciliation's pairs \(([^)]*)\)", text)
        assert pairs is not None
        assert sorted(n.strip(" `") for n in pairs.group(1).split(",")) == sorted(LINKED)


def test_tables_every_stage_of_a_build_has_a_message() -> None:
    """kg build names each stage after the reading as it starts (the tables' too)."""
    import re

    from kg.cli import BUILD_PHASES

    source = (SEEDS.parent / "kg" / "pipeline.py").read_text(encoding="utf-8")
    stages = set(re.findall(r'_timed\(\s*report,\s*"(\w+)"', source))
    assert "tables" in stages and stages <= set(BUILD_PHASES)


@pytest.mark.parametrize(
    "damage",
    [
        "counts as text",
        "counts cut short",
        "a row of other cells",
        "a merged table cut short",
        "a linked table cut short",
        "a linked row of other cells",
        "a linked block not well formed",
    ],
)
def test_tables_damaged_tables_leave_the_answer_to_the_store(
    built: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    cache = out / TABLES_CACHE
    index_file = next(cache.glob("index-*.json"))
    index = json.loads(index_file.read_bytes())
    query = "spending" if "merged" in damage else "conflicts" if "linked" in damage else "documents"
    chunk = cache / index["linked"]["conflicts"]["blocks"][0][4][0][0]
    if damage == "counts as text":
        index["counts"][query] = [str(c) for c in index["counts"][query]]
    elif damage == "counts cut short":
        index["counts"][query] = index["counts"][query][:2]
    elif damage == "a row of other cells":
        part = cache / index["files"][0]
        lines = part.read_bytes().split(b"\n")
        at = lines.index(b"documents\t1")
        lines[at + 1] = json.dumps(["x"]).encode()
        part.write_bytes(b"\n".join(lines))
    elif damage == "a merged table cut short":
        table = cache / index["merged"]["spending"]
        table.write_bytes(b"\n".join(table.read_bytes().splitlines()[:-1]) + b"\n")
    elif damage == "a linked table cut short":
        chunk.write_bytes(chunk.read_bytes()[:-20])
    elif damage == "a linked row of other cells":
        lines = chunk.read_bytes().split(b"\n")
        pair, order, _ = lines[0].split(b"\t")
        lines[0] = b"\t".join((pair, order, b'["x"]'))
        chunk.write_bytes(b"\n".join(lines))
    else:
        index["linked"]["conflicts"]["blocks"][0][4] = "not a list of files"
    index_file.write_bytes(json.dumps(index).encode())
    assert lookup(out, open_store(out), query) is None


def test_tables_an_ask_answer_is_not_paged(runner, built: Path) -> None:  # type: ignore[no-untyped-def]
    asked = runner.invoke(cli, ["query", "ASK { ?s ?p ?o }", "--out", str(built), "--limit", "0"])
    assert asked.exit_code == 0 and "true" in asked.output, asked.output


def _add_a_figure(path: Path) -> None:
    """Add a paragraph with a troop figure of a mission in Iraq to the text at ``path``."""
    added = "\n\nNederland draagt in 2019 met 150 militairen bij aan de missie in Irak.\n"
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")


def _copy_with_busiest(
    corpus: Path, built: Path, tmp_path: Path, query: str, column: str
) -> tuple[Path, Path, str, str, int]:
    """Copies of the corpus and of its build; the name and IRI of the document that the
    most rows of ``query`` name in ``column``, and the number of its rows."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    shutil.copytree(built, out)
    store = open_store(out)
    found = answer(store, named_queries()[query].text)
    at = found.columns.index(column)
    counts = Counter(row[at].value for row in found.rows)
    name = max(sorted(counts), key=counts.__getitem__)
    iri = next(d.iri for d in stored_documents(store).values() if d.name == name)
    return inputs, out, name, iri, len(found.rows)


def test_tables_a_rebuild_makes_only_the_pairs_of_the_changed_document(
    corpus: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of the reconciliation's pairs keep the rows of every pair whose two
    documents are unchanged; only the changed document's pairs are made again."""
    import kg.linked

    inputs, out, name, iri, _ = _copy_with_busiest(corpus, built, tmp_path, "conflicts", "doc_a")
    before = {p.name for p in cache_of(out).glob("linked-*")}
    made: list[kg.linked.Match] = []
    real = kg.linked.pair_store

    def recorded(store: ox.Store, matches: list[kg.linked.Match], *rest: object) -> ox.Store:
        made.extend(matches)
        return real(store, matches, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.linked, "pair_store", recorded)
    changed = inputs / name
    _add_a_figure(changed)
    report = build([inputs], out)
    assert [b.name for b in report.built] == [name]
    assert made and all(iri in (m.a.doc, m.b.doc) for m in made)
    _same_as_store(out)
    after = {p.name for p in cache_of(out).glob("linked-*")}
    assert before & after  # the blocks without the document's figures are kept whole
    assert after - before  # those with them are written again


def test_tables_linked_blocks_that_cannot_be_ordered_give_no_table(tmp_path: Path) -> None:
    """Two blocks that lead with the same cells, rows of one block that lead with two
    values, a number beside a text in a key: the query runs on the store."""
    from kg.linked import _in_order, _write_block
    from kg.tables import Block

    text = named_queries()["conflicts"].text
    lead = ["OIR", None, "NL", "military"]
    blocks = [
        Block("k1", "d1", "p1", lead, [("f1", 1)]),
        Block("k2", "d2", "p2", lead, [("f2", 1)]),
    ]
    assert not _in_order("t", blocks, True).ordered
    other = [*lead[:3], "civilian"]
    assert _in_order("t", [blocks[0], blocks[1]._replace(lead=other)], True).ordered
    order = [*lead, "2019", "a.txt", "b.txt", ["<", "http://e/a"], ["<", "http://e/b"]]
    rows = [("p", order, "[]"), ("q", [*other, *order[4:]], "[]")]
    assert (
        _write_block(tmp_path, "conflicts", text, "k", "d", ["p", "q"], [], rows, None, 4) is None
    )
    number = [*lead, ["2019", XSD + "integer"], *order[5:]]
    # a number beside a text in one key, among the new rows or beside a kept row
    mixed = [("p", order, "[]"), ("q", number, "[]")]
    assert (
        _write_block(tmp_path, "conflicts", text, "k", "d", ["p", "q"], [], mixed, None, 4) is None
    )
    kept = _write_block(tmp_path, "conflicts", text, "k", "d", ["p"], [], rows[:1], None, 4)
    assert kept is not None
    lines = (tmp_path / kept.chunks[0][0]).read_bytes().splitlines()
    numbers = [("q", number, "[]")]
    assert (
        _write_block(tmp_path, "conflicts", text, "k", "d", ["p", "q"], lines, numbers, kept, 4)
        is None
    )
    # numbers alone in a key sort as the store sorts them
    alone = _write_block(tmp_path, "conflicts", text, "k", "d", ["q"], [], numbers, None, 4)
    assert alone is not None and alone.chunks[0][1] == 1
    assert alone.kinds[4] == "n" and kept.kinds[4] == "t" and kept.kinds[:4] == "t-tt"
    one = _write_block(tmp_path, "conflicts", text, "k", "d", ["p"], [], rows[:1], None, 4)
    assert one is not None and one.lead == lead and one.chunks[0][1] == 1


def test_tables_the_pairs_figures_are_read_from_what_the_worker_kept(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker that reads a document keeps its figures described (kg.linked.describe);
    the tables of the pairs read them from there, not from the store."""
    import kg.linked

    store = open_store(built)
    documents = stored_documents(store).values()
    keys = graph_keys(documents, rules_of(store))
    parts = {
        d.iri: built / LINKED_CACHE / part_name(d.graph, keys[d.graph], ".json") for d in documents
    }
    assert all(kg.linked.read_described(path) is not None for path in parts.values())
    read: list[str] = []
    monkeypatch.setattr(kg.linked, "_depth_two", lambda store, iris: read.extend(iris))
    from kg.pipeline import FIGURES_CACHE
    from kg.reconcile import read_figures, reconcile

    matches = reconcile(read_figures(store, built / FIGURES_CACHE, keys))
    block = next(iter(kg.linked._blocks(matches).values()))
    pairs = kg.linked.pair_store(
        store, block, lambda d: kg.linked.read_described(parts[d]), kg.linked.concepts_of(store)
    )
    assert read == [] and len(pairs) > 100


def _first_block(out: Path, query: str) -> tuple[Path, Path, list[list[object]]]:
    """The first file of rows of ``query``'s largest block, the file of its pairs and
    the rows of the first as cells."""
    cache = cache_of(out)
    index = json.loads(next(cache.glob("index-*.json")).read_bytes())
    blocks = index["linked"][query]["blocks"]
    _, _, pairs, _, chunks, _ = max(blocks, key=lambda block: block[4][0][1] if block[4] else 0)
    chunk = cache / chunks[0][0]
    rows = [json.loads(line.split(b"\t")[2]) for line in chunk.read_bytes().splitlines()]
    return chunk, cache / pairs, rows


@pytest.mark.parametrize(
    "damage", ["rows cut short", "a row gone", "the pairs listed changed", "a part changed"]
)
def test_tables_a_damaged_linked_file_is_made_again(
    corpus: Path, built: Path, tmp_path: Path, damage: str
) -> None:
    """A file of a linked table or a document's part changed since it was written:
    the query runs on the store, and the next build that touches the block makes it
    anew with the store's rows. The damage is to a row of two documents that did not
    change, which the build would otherwise keep."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    shutil.copytree(built, out)
    chunk, pairs, rows = _first_block(out, "conflicts")
    doc_a, doc_b = _columns("conflicts").index("doc_a"), _columns("conflicts").index("doc_b")
    name, partner = rows[0][doc_a], rows[0][doc_b]
    victim = next(n for n, row in enumerate(rows) if name not in (row[doc_a], row[doc_b]))
    lines = chunk.read_bytes().splitlines(keepends=True)
    if damage == "rows cut short":
        chunk.write_bytes(b"".join(lines[:victim]) + lines[victim][:-30])
    elif damage == "a row gone":
        chunk.write_bytes(b"".join(lines[:victim] + lines[victim + 1 :]))
    elif damage == "the pairs listed changed":
        pair = lines[victim].split(b"\t")[0] + b"\n"
        pairs.write_bytes(pairs.read_bytes().replace(pair, b""))
    else:  # the part of a document whose figures are paired with the changed one's
        store = open_store(out)
        documents = stored_documents(store)
        keys = graph_keys(documents.values(), rules_of(store))
        del store
        graph = documents[str(partner)].graph
        part = out / LINKED_CACHE / part_name(graph, keys[graph], ".json")
        head, _, body = part.read_bytes().partition(b"\n")
        lines = body.split(b"\n")  # the line of the pairs' figures, without its nodes
        lines[0] = json.dumps({**json.loads(lines[0]), "named": {}}).encode()
        part.write_bytes(head + b"\n" + b"\n".join(lines))
    if damage in ("rows cut short", "a row gone"):
        assert lookup(out, open_store(out), "conflicts") is None
    changed = inputs / str(name)
    _add_a_figure(changed)
    build([inputs], out)
    _same_as_store(out)


def test_tables_a_rebuild_makes_only_the_phases_and_steps_of_the_changed_document(
    corpus: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of the consolidation keep the rows of every phase and step whose
    mentions, documents and links are unchanged; only the phases that hold the changed
    document's mentions, and the steps that hold its figures or figures linked to
    them, are made again."""
    import kg.consolidated

    inputs, out, name, iri, steps_before = _copy_with_busiest(
        corpus, built, tmp_path, "strength", "doc"
    )

    def linked_to_the_document(store: ox.Store) -> set[str]:
        text = f"""SELECT DISTINCT ?f {{ GRAPH <{RECONCILIATION_GRAPH}> {{ ?f ?p ?g }}
                   ?g kg:inDocument <{iri}> }}"""
        return {str(row[0].value) for row in answer(store, text).rows}

    store = open_store(out)
    linked = linked_to_the_document(store)
    phases_before = len(answer(store, named_queries()["phases"].text).rows)
    del store
    made: dict[str, list[object]] = {"phases": [], "steps": []}
    real_phases, real_steps = kg.consolidated.phase_store, kg.consolidated.step_store

    def phases(store: ox.Store, asked: list[object], *rest: object) -> ox.Store:
        made["phases"].extend(asked)
        return real_phases(store, asked, *rest)  # type: ignore[arg-type]

    def steps(store: ox.Store, asked: list[object], *rest: object) -> ox.Store:
        made["steps"].extend(asked)
        return real_steps(store, asked, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.consolidated, "phase_store", phases)
    monkeypatch.setattr(kg.consolidated, "step_store", steps)
    changed = inputs / name
    _add_a_figure(changed)
    report = build([inputs], out)
    assert [b.name for b in report.built] == [name]
    _same_as_store(out)
    linked |= linked_to_the_document(open_store(out))
    assert made["steps"] and made["phases"]
    for step in made["steps"]:
        assert any(f.doc == iri or f.iri in linked for f in step.sources)  # type: ignore[attr-defined]
    for phase in made["phases"]:
        assert any(m.doc == iri for m in phase.mentions)  # type: ignore[attr-defined]
    assert len(made["phases"]) < phases_before / 2
    assert len(made["steps"]) < steps_before / 2


def test_tables_the_units_mentions_are_read_from_what_the_worker_kept(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of the consolidation read the phases' mentions and the steps' figures
    from what the worker that read each document described; a part gone is read from
    the store, with the same rows."""
    import kg.consolidated

    read: list[str] = []
    real = kg.consolidated.described

    def recorded(store: ox.Store, roots: list[str], *rest: object) -> list[ox.Quad]:
        read.extend(roots)
        return real(store, roots, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.consolidated, "described", recorded)
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    build([inputs], out)
    assert read == []
    _same_as_store(out)
    for part in sorted((out / LINKED_CACHE).iterdir())[::2]:
        part.write_text("{}", encoding="utf-8")  # damaged: the store tells
    for index in cache_of(out).glob("index-*.json"):
        index.unlink()  # no table is kept: every block is made again
    changed = inputs / sorted(p.name for p in inputs.iterdir())[1]
    _add_a_figure(changed)
    build([inputs], out)
    assert read
    _same_as_store(out)


def test_tables_a_damaged_consolidated_file_is_made_again(
    corpus: Path, built: Path, tmp_path: Path
) -> None:
    """A row of a step of unchanged documents cut from its file: the query runs on the
    store, and the next build makes the block anew with the store's rows."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    shutil.copytree(built, out)
    chunk, _, rows = _first_block(out, "strength")
    doc = _columns("strength").index("doc")
    lines = chunk.read_bytes().splitlines(keepends=True)
    chunk.write_bytes(b"".join(lines[1:]))
    assert lookup(out, open_store(out), "strength") is None
    changed = next(p for p in sorted(inputs.iterdir()) if p.name != rows[0][doc])
    _add_a_figure(changed)
    build([inputs], out)
    _same_as_store(out)


def test_tables_a_block_in_many_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of more rows than a file holds give the store's rows, whole and in pages,
    after a rebuild too."""
    import kg.linked

    monkeypatch.setattr(kg.linked, "CHUNK", 7)
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, inputs)
    build([inputs], out)
    changed = inputs / sorted(p.name for p in inputs.iterdir())[2]
    _add_a_figure(changed)
    build([inputs], out)
    _same_as_store(out)
    store = open_store(out)
    assert any(
        len(b[4]) > 1
        for b in json.loads(next(cache_of(out).glob("index-*")).read_bytes())["linked"][
            "conflicts"
        ]["blocks"]
    )
    whole = answer(store, named_queries()["conflicts"].text)
    for offset, limit in ((0, 3), (5, 9), (20, 50), (len(whole.rows) - 2, 10)):
        found = lookup(out, store, "conflicts", limit=limit, offset=offset)
        assert found is not None and found.rows == whole.rows[offset : offset + limit]


def test_tables_a_part_section_is_read_and_checked_alone(tmp_path: Path) -> None:
    """Each section of a document's part is read and checked by itself: a damaged
    section is not read, and the others still are."""
    graph = ox.NamedNode("urn:kg:doc")
    store = ox.Store()
    for n in range(3):
        node = ox.NamedNode(f"urn:kg:f{n}")
        store.add(ox.Quad(node, ox.NamedNode("urn:kg:in"), ox.NamedNode(f"urn:kg:s{n}"), graph))
        store.add(
            ox.Quad(
                ox.NamedNode(f"urn:kg:s{n}"), ox.NamedNode("urn:kg:t"), ox.Literal(f"s {n}"), graph
            )
        )
    path = tmp_path / "part.json"
    path.write_bytes(describe(store, [["urn:kg:f0"], ["urn:kg:f1"], ["urn:kg:f2"]]))
    read = [read_described(path, section) for section in range(3)]
    assert [list(r.items) if r else None for r in read] == [[f"urn:kg:f{n}"] for n in range(3)]
    assert all(r and list(r.named) == [f"<urn:kg:s{n}>"] for n, r in enumerate(read))
    head, _, body = path.read_bytes().partition(b"\n")
    second = body.index(b"\n") + 1 + body[body.index(b"\n") + 1 :].index(b"s 1")
    path.write_bytes(head + b"\n" + body[:second] + b"S" + body[second + 1 :])  # same length
    assert [read_described(path, s) is None for s in range(3)] == [False, True, False]
    path.write_bytes(head + b"\n" + body[:-5])  # cut short: the last section is not whole
    assert [read_described(path, s) is None for s in range(3)] == [False, False, True]
    path.write_bytes(b"{}")  # not a part
    assert all(read_described(path, s) is None for s in range(3))
