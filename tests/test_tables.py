"""The query tables (kg/tables.py): the rows a build keeps of the named queries of one
document's facts are the store's answer, row for row and page by page, after a
rebuild too; where the tables cannot answer, the store does."""

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.api import Build
from kg.cli import cli
from kg.pipeline import build
from kg.query import XSD, answer, named_queries
from kg.store import graph_keys, open_store, rules_of, stored_documents
from kg.tables import (
    MERGED,
    TABLED,
    TABLES_CACHE,
    _cell,
    _keyed,
    _term,
    index_digest,
    lookup,
    order_key,
    part_file,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path(__file__).resolve().parent / "corpus"


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
    for name in TABLED:
        expected = answer(store, queries[name].text)
        found = lookup(out, store, name)
        assert found is not None, name
        assert found.columns == expected.columns, name
        assert found.rows == expected.rows, name


def test_tables_every_tabled_query_gives_the_stores_rows(built: Path) -> None:
    store = open_store(built)
    assert len(answer(store, named_queries()["events"].text).rows) > 1000  # not a toy graph
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
    for name in ("events", "documents", "personnel", "questions", "spending"):
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
    shutil.copy(SEEDS / names[0], inputs / "zz-new.txt")
    report = build([inputs], out)
    assert len(report.built) == 2 and len(report.dropped) == 1
    assert index_digest(open_store(out)) != first
    _same_as_store(out)
    cache = out / TABLES_CACHE
    indexes = sorted(p.name for p in cache.glob("index-*.json"))
    assert len(indexes) == 1  # the old index is removed after the build
    parts = {p.name for p in cache.glob("*.tsv") if not p.name.startswith("merged-")}
    assert len(parts) == len(names)
    assert len(list(cache.glob("merged-*.tsv"))) == len(
        MERGED
    )  # one changed, one dropped, one new: each once


def test_tables_stand_aside_where_they_cannot_answer(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    store = open_store(out)
    assert lookup(out, store, "conflicts") is None  # not a query of one document's facts
    assert lookup(out, store, "SELECT * { ?s ?p ?o }") is None
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


def test_tables_every_stage_of_a_build_has_a_message() -> None:
    """kg build names each stage after the reading as it starts (the tables' too)."""
    import re

    from kg.cli import BUILD_PHASES

    source = (SEEDS.parent / "kg" / "pipeline.py").read_text(encoding="utf-8")
    stages = set(re.findall(r'_timed\(\s*report,\s*"(\w+)"', source))
    assert "tables" in stages and stages <= set(BUILD_PHASES)


@pytest.mark.parametrize(
    "damage",
    ["counts as text", "counts cut short", "a row of other cells", "a merged table cut short"],
)
def test_tables_damaged_tables_leave_the_answer_to_the_store(
    built: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    cache = out / TABLES_CACHE
    index_file = next(cache.glob("index-*.json"))
    index = json.loads(index_file.read_bytes())
    query = "spending" if "merged" in damage else "documents"
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
    else:
        table = cache / index["merged"]["spending"]
        table.write_bytes(b"\n".join(table.read_bytes().splitlines()[:-1]) + b"\n")
    index_file.write_bytes(json.dumps(index).encode())
    assert lookup(out, open_store(out), query) is None


def test_tables_an_ask_answer_is_not_paged(runner, built: Path) -> None:  # type: ignore[no-untyped-def]
    asked = runner.invoke(cli, ["query", "ASK { ?s ?p ?o }", "--out", str(built), "--limit", "0"])
    assert asked.exit_code == 0 and "true" in asked.output, asked.output
