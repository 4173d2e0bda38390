"""Hostile text stays text. A document whose sentences hold what looks like HTML, SPARQL,
Turtle, JSON or a spreadsheet formula is built like any other: each sentence is in the
graph as the characters of the file, each export reads back to the same strings, the
viewer's data holds them as JSON that cannot end its element and its scripts show them as
text, and CSV and TSV output makes the cells a spreadsheet would run as formulas text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Dataset, Graph, Literal

from kg.cli import cli
from kg.query import FORMULA_START, Table, render, spreadsheet_safe
from kg.store import open_store

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "} ; DROP ALL ; {",
    '"""> . <x> <y> <z> .',
    '{"a": 1}',
    '"},{"',
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-1+2",
    "@SUM(A1)",
)
# one paragraph each, about Iraq and OIR with a figure, so that each is a sentence with a fact
PARAGRAPHS = (
    "Den Haag, 3 mei 2019",
    f"Nederland levert maximaal 50 militairen aan de missie OIR in Irak {HOSTILE[0]} tot 2020.",
    f"De inzet in Irak {HOSTILE[1]} wordt verlengd met 10 militairen voor OIR.",
    f"Het kabinet stuurt {HOSTILE[2]} 20 militairen naar Irak voor OIR.",
    f"De trainers in Irak {HOSTILE[3]} blijven met 25 militairen tot 2020 bij OIR.",
    f"De staf in Irak {HOSTILE[4]} en {HOSTILE[5]} telt 12 militairen voor OIR.",
    f"{HOSTILE[6]} Nederland levert 30 militairen aan OIR in Irak.",
    f"{HOSTILE[7]} Nederland zendt 40 militairen naar Irak voor OIR.",
    f"{HOSTILE[8]} Nederland levert 45 militairen aan OIR in Irak.",
    f"{HOSTILE[9]} Nederland levert 60 militairen aan OIR in Irak.",
)
TEXT = "\n\n".join(PARAGRAPHS) + "\n"
SENTENCES = """SELECT ?quote ?begin ?end WHERE {
  ?s a kg:Sentence ; nif:anchorOf ?quote ; nif:beginIndex ?begin ; nif:endIndex ?end
} ORDER BY ?begin"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build of one letter whose sentences hold the hostile strings."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "inputs").mkdir()
    (folder / "inputs" / "brief.txt").write_text(TEXT, "utf-8")
    out = folder / "out"
    result = CliRunner().invoke(cli, ["build", str(folder / "inputs"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def query_rows(out: Path, sparql: str, fmt: str) -> str:
    result = CliRunner().invoke(cli, ["query", sparql, "--out", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def anchors(hostile: Path) -> list[str]:
    """The sentences of the letter as the graph holds them (nif:anchorOf)."""
    rows = json.loads(query_rows(hostile, SENTENCES, "json"))
    return [row["quote"] for row in rows]


def test_hostile_sentences_are_the_characters_of_the_file(hostile: Path) -> None:
    rows = json.loads(query_rows(hostile, SENTENCES, "json"))
    assert [row["quote"] for row in rows] == list(PARAGRAPHS)
    for row in rows:
        assert TEXT[int(row["begin"]) : int(row["end"])] == row["quote"]


def test_hostile_figures_are_read_around_the_strings(hostile: Path) -> None:
    rows = json.loads(query_rows(hostile, "personnel", "json"))
    assert sorted(row["quote"] for row in rows) == sorted(PARAGRAPHS[1:])
    assert {row["mission"] for row in rows} == {"OIR"}


def literals_of_rdflib(path: Path, fmt: str) -> set[str]:
    graph: Graph = Dataset() if fmt in ("trig", "nquads") else Graph()
    graph.parse(path, format=fmt)
    quads = graph.quads((None, None, None, None)) if isinstance(graph, Dataset) else graph
    return {str(row[2]) for row in quads if isinstance(row[2], Literal)}


def literals_of_jsonld(path: Path) -> set[str]:
    dataset = jsonld.to_rdf(json.loads(path.read_text("utf-8")))
    return {
        quad["object"]["value"]
        for quads in dataset.values()
        for quad in quads
        if quad["object"]["type"] == "literal"
    }


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("trig", "g.trig"), ("nquads", "g.nq"), ("turtle", "g.ttl"), ("jsonld", "g.jsonld")],
)
def test_hostile_strings_read_back_from_every_export(
    hostile: Path, anchors: list[str], tmp_path: Path, fmt: str, name: str
) -> None:
    target = tmp_path / name
    result = CliRunner().invoke(
        cli, ["export", "--out", str(hostile), "--format", fmt, "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    literals = literals_of_jsonld(target) if fmt == "jsonld" else literals_of_rdflib(target, fmt)
    assert set(anchors) <= literals
    # and Oxigraph reads the same strings back
    parse_as = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
    parsed = ox.parse(path=str(target), format=parse_as.get(fmt, ox.RdfFormat.TURTLE))
    if fmt != "jsonld":
        assert set(anchors) <= {q.object.value for q in parsed if isinstance(q.object, ox.Literal)}


def test_hostile_strings_read_back_from_the_per_document_files(
    hostile: Path, anchors: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "nq"
    result = CliRunner().invoke(
        cli,
        ["export", "--out", str(hostile), "--format", "nquads", "--per-document", str(folder)],
    )
    assert result.exit_code == 0, result.output
    assert set(anchors) <= literals_of_rdflib(folder / "brief.txt.nq", "nquads")


def page_data(out: Path) -> tuple[str, dict[str, object]]:
    """The viewer's page and the data its JSON element holds."""
    page = (out / "site" / "index.html").read_text("utf-8")
    element = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert element is not None
    return page, json.loads(element.group(1))


def test_hostile_strings_are_data_in_the_viewer(hostile: Path, anchors: list[str]) -> None:
    page, data = page_data(hostile)
    sentences = data["sentences"]
    assert isinstance(sentences, dict)
    shown = {text for texts in sentences.values() for text in texts}
    assert set(anchors[1:]) <= shown  # every sentence with a figure, as written
    # no markup of the text is markup of the page: no element, no end of the data's
    assert "<script>alert" not in page and "<img src=x" not in page and "HYPERLINK" in page
    assert page.count("<script") == page.count("</script>") == 5  # the data and 4 scripts
    assert "<!--" not in page


def test_hostile_viewer_scripts_write_text_never_markup() -> None:
    """The viewer's scripts put document text into the page only as text: none of them
    parses a string as HTML."""
    assets = Path(__file__).resolve().parent.parent / "kg" / "render" / "assets"
    scripts = sorted(assets.glob("*.js"))
    assert scripts
    for script in scripts:
        code = script.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{script.name} uses {sink}"


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_hostile_formulas_are_text_in_csv_and_tsv(
    hostile: Path, anchors: list[str], fmt: str, delimiter: str
) -> None:
    rows = list(csv.reader(io.StringIO(query_rows(hostile, SENTENCES, fmt)), delimiter=delimiter))
    assert rows[0] == ["quote", "begin", "end"]
    quotes = [row[0] for row in rows[1:]]
    assert quotes == [("'" + a if a.startswith(FORMULA_START) else a) for a in anchors]
    assert sum(q.startswith("'") for q in quotes) == 4  # =, +, - and @
    assert all(row[1].isdigit() for row in rows[1:])  # the numbers stay numbers


def test_hostile_json_and_table_keep_every_cell_as_it_is(hostile: Path, anchors: list[str]) -> None:
    assert [r["quote"] for r in json.loads(query_rows(hostile, SENTENCES, "json"))] == anchors
    table = query_rows(hostile, SENTENCES, "table")
    assert "=HYPERLINK(" in table and "'=HYPERLINK" not in table


def test_hostile_negative_numbers_stay_numbers_in_csv(hostile: Path) -> None:
    sparql = 'SELECT (-1.5 AS ?d) (-3 AS ?i) (-2.5e3 AS ?f) ("-1+2" AS ?t) ("-" AS ?m) {}'
    header, row = csv.reader(io.StringIO(query_rows(hostile, sparql, "csv")))
    assert header == ["d", "i", "f", "t", "m"]
    assert row[:2] == ["-1.5", "-3"] and float(row[2]) == -2500.0  # a double as Oxigraph writes it
    assert row[3:] == ["'-1+2", "'-"]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+31 70 123", "'+31 70 123"),
        ("\tTAB", "'\tTAB"),
        ("\r=1", "'\r=1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd", "'-cmd"),
        ("-INF", "'-INF"),
        ("-12", "-12"),
        ("+3", "+3"),
        ("-.5", "-.5"),
        ("-1.5E3", "-1.5E3"),
        ("a=b", "a=b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_hostile_spreadsheet_safe_cells(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        written = render(Table(("c",), ((cell,),)), fmt)
        assert list(csv.reader(io.StringIO(written, newline=""), delimiter=delimiter)) == [
            ["c"],
            [safe],
        ]


def test_hostile_store_holds_the_strings_exactly(hostile: Path, anchors: list[str]) -> None:
    store = open_store(hostile)
    held = {
        q.object.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.object, ox.Literal)
    }
    for text in HOSTILE:
        assert any(text in value for value in held), text
    assert set(anchors) <= held
