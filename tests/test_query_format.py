"""kg query's output: tables that fit the terminal and show each quote around its fact's
own words; JSON with numbers, booleans and null as JSON's own; --wide keeps every cell."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.api import Build
from kg.cli import cli
from kg.query import XSD, Table, Value, render, run
from kg.termtable import ELLIPSIS, char_width, clean, lay_out, text_width, window, wrap

if TYPE_CHECKING:
    from conftest import SeedBuild

QUOTE = (
    "Het kabinet heeft besloten de Nederlandse bijdrage aan de anti-ISIS coalitie in Irak "
    "te verlengen, waarbij Nederland met maximaal 150 militairen de force protection van "
    "Erbil International Airport blijft verzorgen tot en met het einde van het jaar."
)
COLUMNS = ("doc", "mission", "component", "valid_from", "value", "words", "quote")
ROWS = (
    ("brief.txt", "OIR", "force-protection-erbil", "2023-06-01", "150", "maximaal 150", QUOTE),
    ("brief.txt", "NMI", "nmi-advisers", "2021", "7", "7 adviseurs", "Er gaan 7 adviseurs."),
    ("nota.txt", "OIR", "", "", "", "", ""),
)
TABLE = Table(COLUMNS, ROWS)
# words that sit at the very end of their quote
AT_END = Table(("words", "quote"), (("tot 2025", QUOTE.removesuffix(".") + " tot 2025"),))
# characters a terminal shows two columns wide, combining accents, an emoji sequence
SCRIPTS = (
    "北京的代表团",
    "Cafe\u0301 e\u0301e\u0301n",
    "👩\u200d👩\u200d👧 gezin",
    "中文 " * 30 + "twee militairen " + "日本語 " * 30,
)


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def assert_fits(text: str, width: int) -> None:
    wide = [line for line in lines_of(text) if text_width(line) > width]
    assert not wide, f"{len(wide)} line(s) wider than {width}: {wide[:3]}"


def blocks(shown: str) -> list[list[str]]:
    """The rows of a table of several lines a row: the lines between its rules."""
    lines = lines_of(shown)
    rule = next(line for line in lines if line and set(line) == {"-"})
    found, current = [], []
    for line in lines[lines.index(rule) + 1 : -1]:
        if line == rule:
            found.append(current)
            current = []
        else:
            current.append(line)
    return found


# --- the layout, on tables made here --------------------------------------------------


@pytest.mark.parametrize("width", [20, 30, 45, 60, 80, 100, 140, 400])
def test_query_format_table_fits_every_width(width: int) -> None:
    assert_fits(render(TABLE, "table", width=width), width)


@pytest.mark.parametrize("width", [30, 45, 60, 80, 100])
def test_query_format_short_cells_are_never_cut(width: int) -> None:
    shown = render(TABLE, "table", width=width)
    for row in ROWS:
        for cell in row[:-1]:
            assert cell in shown, (cell, shown)
    assert QUOTE not in shown and ELLIPSIS in shown  # only the quote gave way


def test_query_format_table_that_fits_is_printed_as_it_is() -> None:
    shown = render(TABLE, "table", width=400)
    assert QUOTE in shown and ELLIPSIS not in shown
    assert len(lines_of(shown)) == 2 + len(ROWS) + 1  # header, rule, rows, count


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_query_format_quote_shows_its_words(width: int) -> None:
    """The quote is cut on both sides, around the words of its figure."""
    cut = [line for line in lines_of(render(TABLE, "table", width=width)) if ELLIPSIS in line]
    assert len(cut) == 1, cut
    assert "maximaal 150 militairen" in cut[0]  # the figure's words, and then some
    assert cut[0].count(ELLIPSIS) == 2 and cut[0].endswith(ELLIPSIS)


def test_query_format_words_at_the_end_of_the_quote() -> None:
    shown = window(AT_END.rows[0][1], "tot 2025", 40)
    assert shown.startswith(ELLIPSIS) and shown.endswith("einde van het jaar tot 2025")
    assert text_width(shown) <= 40
    line = lines_of(render(AT_END, "table", width=60))[2]
    assert line.endswith("tot 2025") and ELLIPSIS in line


def test_query_format_words_not_in_the_quote_show_its_start() -> None:
    """A fact's words that its sentence does not hold as such (the text normalised
    differently) show the sentence's start, as a quote without words does."""
    assert window(QUOTE, "honderdvijftig militairen", 30) == window(QUOTE, "", 30)
    assert window(QUOTE, "", 30) == "Het kabinet heeft besloten de…"


def test_query_format_words_wider_than_the_column_show_their_start() -> None:
    assert window(QUOTE, "maximaal 150 militairen de force protection", 20) == (
        "…maximaal 150 milit…"
    )


def test_query_format_quote_a_is_cut_around_words_a() -> None:
    pairs = Table(
        ("words_a", "quote_a", "words_b", "quote_b"),
        (("maximaal 150", QUOTE, "Erbil International", QUOTE),),
    )
    shown = render(pairs, "table", width=70)
    assert_fits(shown, 70)
    (row,) = blocks(shown)
    assert [line.strip() for line in row[0::2]] == ["maximaal 150", "Erbil International"]
    assert "maximaal 150 militairen" in row[1] and "Erbil International Airport" in row[3]
    assert "maximaal" not in row[3]


def test_query_format_table_wider_than_any_budget_takes_several_lines() -> None:
    """Forty short columns do not fit on one line of 100: each row takes several lines,
    the columns in their order, and every cell is whole."""
    columns = tuple(f"column_{i:02}" for i in range(40))
    rows = tuple((*(f"r{r}c{i:02}" for i in range(40)), QUOTE) for r in range(3))
    wide = Table((*columns, "quote"), rows)
    shown = render(wide, "table", width=100)
    assert_fits(shown, 100)
    for row in rows:
        for cell in row[:-1]:
            assert cell in shown
    first = shown.index("r0c00")
    assert first < shown.index("r0c39") < shown.index("r1c00")  # rows stay apart, in order
    assert shown.count("-" * 100) == 1 + len(rows)  # under the header and after each row


def test_query_format_twenty_columns() -> None:
    shown = render(TABLE, "table", width=20)
    assert_fits(shown, 20)
    joined = "".join(shown.split())
    assert "force-protection-erbil" in joined  # wrapped, not cut: wider than a line
    assert "2023-06-01" in shown and "maximaal 150" in shown


def test_query_format_narrower_than_twenty_is_twenty() -> None:
    assert render(TABLE, "table", width=5) == render(TABLE, "table", width=20)


@pytest.mark.parametrize("text", SCRIPTS)
@pytest.mark.parametrize("width", [20, 33, 50])
def test_query_format_wide_and_combining_characters_fit(text: str, width: int) -> None:
    table = Table(("n", "words", "quote"), (("1", "twee militairen", text),))
    shown = render(table, "table", width=width)
    assert_fits(shown, width)
    for line in lines_of(shown):  # no accent parted from its letter
        for i, ch in enumerate(line):
            assert char_width(ch) or (i > 0 and line[i - 1] not in " " + ELLIPSIS), line


def test_query_format_character_widths() -> None:
    assert text_width("北京") == 4 and text_width("Cafe\u0301") == 4
    assert text_width("👩\u200d👩\u200d👧") == 6  # three wide people, two zero-width joiners
    assert [text_width(line) <= 5 for line in wrap("北京的代表团", 5)] == [True, True, True]
    assert window("e\u0301" * 50, "", 10) == "e\u0301" * 9 + ELLIPSIS


def test_query_format_wide_characters_are_aligned() -> None:
    table = Table(("name", "n"), (("北京", "1"), ("Erbil", "2")))
    beijing, erbil = lines_of(render(table, "table", width=40))[2:4]
    assert text_width(beijing.split("1")[0]) == text_width(erbil.split("2")[0])


def test_query_format_control_characters_are_shown_as_escapes() -> None:
    shown = render(Table(("quote",), (("rood\x1b[31m\nen\tgroen",),)), "table", width=40)
    assert "\x1b" not in shown and "rood\\x1b[31m en groen" in shown
    assert clean("a\r\nb\x00c") == "a b\\x00c"


def test_query_format_numbers_are_aligned_right() -> None:
    table = Table(("n", "doc"), (("3", "a.txt"), ("150", "b.txt")), ((3, "a.txt"), (150, "b.txt")))
    assert lines_of(render(table, "table", width=40))[2:4] == ["  3  a.txt", "150  b.txt"]


def test_query_format_wide_keeps_every_cell_whole() -> None:
    shown = render(TABLE, "table", width=None)
    assert QUOTE in shown and ELLIPSIS not in shown
    assert len(lines_of(shown)) == 2 + len(ROWS) + 1


def test_query_format_wrap_keeps_long_text_whole() -> None:
    shown = render(TABLE, "table", width=60, wrap=True)
    assert_fits(shown, 60)
    assert ELLIPSIS not in shown
    assert QUOTE in " ".join(line.strip() for line in blocks(shown)[0])


def test_query_format_empty_table_has_its_header() -> None:
    assert render(Table(COLUMNS, ()), "table", width=30).endswith("(0 rows)\n")
    assert lay_out((), (), width=30) == []


# --- JSON -----------------------------------------------------------------------------


def typed_store() -> ox.Store:
    """One subject per literal, numbered in the order of LITERALS."""
    store = ox.Store()
    graph = ox.NamedNode("http://example.org/graph")
    for i, (text, datatype) in enumerate(LITERALS):
        literal = ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/{i:02}"),
                ox.NamedNode("http://example.org/p"),
                literal,
                graph,
            )
        )
    return store


LITERALS = (
    ("150", "integer"),
    ("-3", "int"),
    ("12345678901234567890123", "nonNegativeInteger"),
    ("88200000000.5", "decimal"),
    ("12345678901234567890.123456789", "decimal"),
    ("2.5E3", "double"),
    ("NaN", "double"),
    ("true", "boolean"),
    ("0", "boolean"),
    ("2018-09-14", "date"),
    ("2018-09-14T10:00:00Z", "dateTime"),
    ("2018", "gYear"),
    ("maximaal 50", "string"),
    ("veel", "integer"),  # not an integer: stays the text it is
)
EXPECTED = (
    150,
    -3,
    12345678901234567890123,
    Decimal("88200000000.5"),
    Decimal("12345678901234567890.123456789"),
    Decimal("2500.0"),
    "NaN",
    True,
    False,
    "2018-09-14",
    "2018-09-14T10:00:00Z",
    "2018",
    "maximaal 50",
    "veel",
)


def test_query_format_json_gives_typed_values() -> None:
    text = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    records = json.loads(render(run(typed_store(), text, typed=True), "json"), parse_float=Decimal)
    assert [record["o"] for record in records] == list(EXPECTED)
    assert [type(record["o"]) for record in records] == [type(v) for v in EXPECTED]
    assert all(record["unbound"] is None for record in records)
    assert all(isinstance(record["s"], str) for record in records)


def test_query_format_json_of_text_tables_stays_text() -> None:
    assert json.loads(render(TABLE, "json"))[1]["value"] == "7"


def test_query_format_json_is_laid_out_as_json_dumps() -> None:
    values: tuple[tuple[Value, ...], ...] = (
        (1, 2.5, True, None, 'é "x"'),
        (-3, 1e300, False, "", "\n"),
    )
    table = Table(("a", "b", "c", "d", "e"), tuple(tuple(map(str, r)) for r in values), values)
    expected = [dict(zip(table.columns, row, strict=True)) for row in values]
    assert render(table, "json") == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert render(Table(("a",), ()), "json") == "[]\n"


def test_query_format_ask_and_construct_in_json() -> None:
    store = typed_store()
    assert json.loads(render(run(store, "ASK { ?s ?p 150 }", typed=True), "json")) == [
        {"result": True}
    ]
    triples = json.loads(
        render(
            run(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o = 150) }", typed=True),
            "json",
        )
    )
    assert [t["object"] for t in triples] == [150]


# --- kg query on the seeds --------------------------------------------------------------


def query(seed_build: SeedBuild, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner(env=env).invoke(cli, ["query", *args, "--out", str(seed_build.out)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", ["personnel", "budgets", "spending", "periods"])
def test_query_format_seeds_quote_lines_show_their_words(seed_build: SeedBuild, name: str) -> None:
    """On a 100-column terminal every line fits and each row's quote line (the last
    line of the row) holds the fact's own words."""
    shown = query(seed_build, name, env={"COLUMNS": "100"})
    assert_fits(shown, 100)
    records = json.loads(query(seed_build, name, "--format", "json"))
    rows = blocks(shown)
    assert len(rows) == len(records) > 0
    for row, record in zip(rows, records, strict=True):
        assert clean(record["words"]) in row[-1], (record["words"], row[-1])


def test_query_format_seeds_strength_fits_100_columns(seed_build: SeedBuild) -> None:
    shown = query(seed_build, "strength", env={"COLUMNS": "100"})
    assert_fits(shown, 100)
    records = json.loads(query(seed_build, "strength", "--format", "json"))
    assert len(blocks(shown)) == len(records) > 0
    if "words" not in records[0]:
        pytest.skip("strength has no words column yet")
    for row, record in zip(blocks(shown), records, strict=True):
        assert clean(record["words"]) in row[-1], (record["words"], row[-1])


def test_query_format_width_option_and_columns(
    seed_build: SeedBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    default = query(seed_build, "personnel")
    assert_fits(default, 80)
    assert max(map(text_width, lines_of(default))) == 80  # not a terminal: 80
    assert query(seed_build, "personnel", env={"COLUMNS": "120"}) == query(
        seed_build, "personnel", "--width", "120"
    )
    assert query(seed_build, "personnel", "--width", "60", env={"COLUMNS": "120"}) == query(
        seed_build, "personnel", "--width", "60"
    )


def test_query_format_wide_and_width_do_not_go_together(seed_build: SeedBuild) -> None:
    result = CliRunner().invoke(
        cli, ["query", "personnel", "--out", str(seed_build.out), "--wide", "--width", "90"]
    )
    assert result.exit_code == 2 and "--wide" in result.output


def test_query_format_seeds_wide_keeps_every_quote(seed_build: SeedBuild) -> None:
    shown = query(seed_build, "personnel", "--wide", env={"COLUMNS": "100"})
    records = json.loads(query(seed_build, "personnel", "--format", "json"))
    assert len(lines_of(shown)) == 2 + len(records) + 1
    for line, record in zip(lines_of(shown)[2:-1], records, strict=True):
        assert line.endswith(clean(record["quote"]))


def test_query_format_list_wraps_the_descriptions(seed_build: SeedBuild) -> None:
    shown = query(seed_build, "--list", env={"COLUMNS": "70"})
    assert_fits(shown, 70)
    described = json.loads(query(seed_build, "--list", "--format", "json"))
    words = shown.split()
    for entry in described:
        assert " ".join(entry["description"].split()) in " ".join(words)


def test_query_format_seeds_json_numbers_are_numbers(seed_build: SeedBuild) -> None:
    personnel = json.loads(query(seed_build, "personnel", "--format", "json"))
    figures = [r[k] for r in personnel for k in ("value", "min", "max") if r[k] is not None]
    assert figures and all(type(v) is int for v in figures)
    assert any(r["component"] is None for r in personnel)  # unbound: null, not ""
    budgets = json.loads(query(seed_build, "budgets", "--format", "json"), parse_float=Decimal)
    assert all(isinstance(r["amount"], int | Decimal) for r in budgets)
    documents = json.loads(query(seed_build, "documents", "--format", "json"))
    assert all(isinstance(r["inferred"], bool) for r in documents)
    assert all(isinstance(r["date"], str) for r in documents if r["date"] is not None)


def test_query_format_seeds_json_is_the_same_from_rdflib(seed_build: SeedBuild) -> None:
    """The same values from rdflib's engine: amounts (xsd:decimal), years, null."""
    assert query(seed_build, "budgets", "--format", "json") == query(
        seed_build, "budgets", "--format", "json", "--store", "rdflib"
    )


def test_query_format_api_records_hold_the_json_values(seed_build: SeedBuild) -> None:
    """kg.api's records are the values kg query --format json gives (a decimal as float)."""
    records = Build.open(seed_build.out).records("budgets")
    printed = json.loads(query(seed_build, "budgets", "--format", "json"))
    assert [r["amount"] for r in records] == [float(r["amount"]) for r in printed]
    assert [r["year"] for r in records] == [r["year"] for r in printed]
