"""Run a named or given SPARQL query against a build and format the rows.

Named queries are data: ``kg/queries/NAME.rq``, their leading ``#`` comment
lines the description that ``kg query --list`` shows. Queries see the union of
all named graphs as their default graph, and the kg prefixes are predeclared.

A query runs on a :data:`Source`: a build's local store, or a remote SPARQL
endpoint (:class:`kg.remote.Endpoint`), which gives its results in the same
:data:`Answer`, so the rows are the same text either way.

kg is read-only: an update is refused before it reaches either, and SPARQL that does not
parse is a :class:`QueryError <kg.errors.QueryError>` that says where, in the query as
written, and what was expected there (both in :mod:`kg.sparql`).
CSV and TSV output makes cells that a spreadsheet would run as formulas text
(:func:`spreadsheet_safe`). The table format fits a width (:mod:`kg.termtable`), showing
the part of a quote around its fact's own words; JSON gives numbers and booleans as
JSON's own (:func:`literal_value`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar, cast

import pyoxigraph as ox
from rdflib import Dataset, Literal

from kg.errors import QueryError
from kg.sparql import parse_problem, refuse_update, syntax_message
from kg.termtable import lay_out
from kg.vocab import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")
# a word that names a query: anything else that is not a .rq file is read as SPARQL text
NAME = re.compile(r"[A-Za-z_][\w-]*")
DEFAULT_WIDTH = 80  # columns of a table when the terminal's width is not known
WORDS = "words"  # a column of a fact's own words; "quote" beside it holds its sentence
QUOTE = "quote"

XSD = PREFIXES["xsd"]
INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
DECIMAL = XSD + "decimal"
DOUBLE_TYPES = frozenset((XSD + "double", XSD + "float"))
BOOLEAN = XSD + "boolean"
INTEGER_TEXT = re.compile(r"[+-]?\d+")
DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
DOUBLE_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN")

Value = str | int | float | Decimal | bool | None
"""A cell as a value: a number (an exact :class:`~decimal.Decimal` for xsd:decimal), a
boolean, text, or None where the variable is unbound."""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of text, and where they were read with ``typed=True`` (:func:`run`), the
    same cells as values (:data:`Value`) for JSON; ``asked`` for the one cell of an
    ASK query's answer (no rows to page through)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    values: tuple[tuple[Value, ...], ...] | None = None
    asked: bool = False


Term = ox.NamedNode | ox.BlankNode | ox.Literal | None
"""An RDF term of a result row, or None where the variable is unbound."""


@dataclass(frozen=True, slots=True)
class Result:
    """The rows of a SELECT query as RDF terms, in column order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term, ...], ...]


Answer = Result | bool | tuple[ox.Triple, ...]
"""What a query gives: SELECT its rows, ASK a boolean, CONSTRUCT and DESCRIBE triples."""


class Remote(Protocol):
    """A source that answers queries itself, such as :class:`kg.remote.Endpoint`."""

    def answer(self, text: str) -> Answer:
        """Run SPARQL text as :func:`answer` does on a local store."""
        ...


Source = ox.Store | Remote
"""Where a query runs: a build's Oxigraph store, or a remote endpoint."""


def named_queries() -> dict[str, NamedQuery]:
    """The queries shipped with kg, by name."""
    found: dict[str, NamedQuery] = {}
    folder = resources.files("kg").joinpath("queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text("utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        name = entry.name.removesuffix(".rq")
        found[name] = NamedQuery(name, " ".join(comments), text)
    return found


def resolve(spec: str) -> str:
    """The SPARQL text for a query name, a .rq file or literal SPARQL.

    A bare word that names no query is an error that lists the names; anything else
    (words with blanks, braces, a ``?`` ...) is SPARQL text, checked when it runs.

    >>> resolve("SELECT * { ?s ?p ?o }")
    'SELECT * { ?s ?p ?o }'
    >>> resolve("personel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: unknown query 'personel': use a named query (budgets, ...
    """
    queries = named_queries()
    if spec in queries:
        return queries[spec].text
    if spec.endswith(".rq"):
        path = Path(spec)
        try:
            return path.read_text("utf-8-sig")  # an editor may start it with a BOM
        except OSError as err:
            raise QueryError(f"{spec}: cannot read the query file ({err.strerror or err})") from err
        except UnicodeDecodeError as err:
            raise QueryError(f"{spec}: the query file is not UTF-8 text ({err.reason})") from err
    if not NAME.fullmatch(spec):
        return spec
    known = ", ".join(queries)
    raise QueryError(
        f"unknown query '{spec}': use a named query ({known}), a .rq file or SPARQL text"
    )


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def term_value(term: object) -> Value:
    """An RDF term of a result as a value: a literal by its datatype
    (:func:`literal_value`), an IRI or blank node as its text, None where unbound."""
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value)
    return None if term is None else _cell(term)


def literal_value(text: str, datatype: str | None) -> Value:
    """A literal as a value: xsd:integer and the types derived from it as int, xsd:decimal
    as an exact Decimal, xsd:double and xsd:float as float, xsd:boolean as bool; any other
    (strings, dates, date-times, years) as its text, as is a literal that is not valid
    for its type.

    >>> [literal_value(t, XSD + d) for t, d in (("150", "integer"), ("88.20", "decimal"),
    ...     ("2.5E3", "double"), ("true", "boolean"), ("2018-09-14", "date"), ("x", "int"))]
    [150, Decimal('88.20'), 2500.0, True, '2018-09-14', 'x']
    """
    try:
        if datatype in INTEGER_TYPES and INTEGER_TEXT.fullmatch(text):
            return int(text)
        if datatype == DECIMAL and DECIMAL_TEXT.fullmatch(text):
            return Decimal(text)
        if datatype in DOUBLE_TYPES and DOUBLE_TEXT.fullmatch(text):
            return float(text)
    except (ValueError, InvalidOperation):  # digits beyond what int() reads
        return text
    if datatype == BOOLEAN and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


@contextmanager
def naming_file(spec: str) -> Iterator[None]:
    """Errors of the query ``spec`` (a name, a .rq file or SPARQL text) name its file
    where it is a .rq file, so that a line and column can be found in it."""
    try:
        yield
    except QueryError as err:
        if spec.endswith(".rq"):
            raise QueryError(f"{spec}: {err}") from err
        raise


def answer(source: Source, text: str) -> Answer:
    """Run SPARQL on a store or a remote endpoint and read its whole result.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
    ...     ox.Literal("1"), ox.NamedNode("http://e/graph")))
    >>> answer(store, "SELECT ?o WHERE { ?s ?p ?o }").rows
    ((<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,),)
    """
    refuse_update(text)
    if not isinstance(source, ox.Store):
        return source.answer(text)
    try:
        return read(source.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))
    except SyntaxError as err:
        message = syntax_message(text, str(err))
        raise QueryError(f"the query is not valid SPARQL: {message}") from err
    except OSError as err:
        raise QueryError(f"the query failed: {err}") from err


def read(result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple | ox.Quad]) -> Answer:
    """Read pyoxigraph's query results (from a store or parsed from an endpoint's
    answer) to the end."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(var.value for var in result.variables)
        # a solution gives its values in the order of the variables (a few times quicker
        # than looking each one up by name)
        return Result(columns, tuple(tuple(row) for row in result))
    return tuple(ox.Triple(t.subject, t.predicate, t.object) for t in result)


def run(source: Source, text: str, *, typed: bool = False) -> Table:
    """Run SPARQL on a store or an endpoint; SELECT gives its rows, ASK one cell,
    CONSTRUCT triples, every cell as text, and with ``typed`` as a value too."""
    return table_of(answer(source, text), typed=typed)


def table_of(found: Answer, *, typed: bool = False) -> Table:
    """A query's answer as :func:`run` gives it."""
    if isinstance(found, bool):
        values: tuple[tuple[Value, ...], ...] = ((found,),)
        cell = (("true" if found else "false",),)
        return Table(("result",), cell, values if typed else None, asked=True)
    if isinstance(found, Result):
        terms: tuple[tuple[object, ...], ...] = found.rows
        columns = found.columns
    else:
        terms = tuple((t.subject, t.predicate, t.object) for t in found)
        columns = ("subject", "predicate", "object")
    rows = tuple(tuple(_cell(t) for t in row) for row in terms)
    if not typed:
        return Table(columns, rows)
    return Table(columns, rows, tuple(tuple(term_value(t) for t in row) for row in terms))


def page(table: Table, limit: int | None, offset: int = 0) -> Table:
    """The rows ``offset`` to ``offset + limit`` of a table (to its end where ``limit``
    is None); an ASK query's answer whole.

    >>> page(Table(("n",), (("1",), ("2",), ("3",))), 1, 1).rows
    (('2',),)
    """
    if (limit is None and not offset) or table.asked:
        return table
    values = None if table.values is None else window(table.values, limit, offset)
    return Table(table.columns, window(table.rows, limit, offset), values)


Rows = TypeVar(
    "Rows",
    tuple[tuple[str, ...], ...],
    tuple[tuple[Value, ...], ...],
    tuple[tuple[Term, ...], ...],
    tuple[ox.Triple, ...],
    list[bytes],
)


def window(rows: Rows, limit: int | None, offset: int) -> Rows:
    """The rows ``offset`` to ``offset + limit`` (to the end where ``limit`` is None)."""
    return rows[offset : None if limit is None else offset + limit]


def render(table: Table, fmt: str, *, width: int | None = DEFAULT_WIDTH, wrap: bool = False) -> str:
    """Format a table as a text table, CSV, TSV or JSON (a list of objects).

    The text table fits ``width`` columns (None: every cell whole, each row one line) as
    :mod:`kg.termtable` lays it out: a ``quote`` column is cut around the row's
    ``words`` (``quote_a`` around ``words_a``, ...), and with ``wrap`` long text is
    wrapped rather than cut. Columns of numbers are aligned right.

    In CSV and TSV a cell that a spreadsheet would take for a formula (one that starts
    with =, +, -, @, a tab or a carriage return, and is not a plain number) gets a ``'``
    before it (:func:`spreadsheet_safe`); the table and JSON add no ``'``.
    JSON gives a typed table's numbers and booleans as JSON numbers and booleans (an
    xsd:decimal with all its digits; a double that is not finite as ``"NaN"``, ``"INF"``
    or ``"-INF"``) and unbound cells as null; everything else, dates too, is a string.

    >>> print(render(Table(("doc", "n"), (("a.txt", "3"),)), "csv"), end="")
    doc,n
    a.txt,3
    >>> print(render(Table(("quote", "n"), (("=HYPERLINK(1)", "-1.5"),)), "csv"), end="")
    quote,n
    '=HYPERLINK(1),-1.5
    >>> print(render(Table(("n", "x"), (("3", ""),), ((3, None),)), "json"), end="")
    [
      {
        "n": 3,
        "x": null
      }
    ]
    """
    if fmt in ("csv", "tsv"):
        rows = (tuple(spreadsheet_safe(cell) for cell in row) for row in table.rows)
        return _delimited((table.columns, *rows), "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _json(table)
    if fmt != "table":
        raise QueryError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    columns = table.columns
    words = {
        i: columns.index(WORDS + name.removeprefix(QUOTE))
        for i, name in enumerate(columns)
        if name.startswith(QUOTE) and WORDS + name.removeprefix(QUOTE) in columns
    }
    numeric = set()
    if table.values is not None:
        for i in range(len(columns)):
            kinds = {type(row[i]) for row in table.values if row[i] is not None}
            if kinds and kinds <= {int, float, Decimal}:
                numeric.add(i)
    lines = lay_out(columns, table.rows, width=width, words=words, numeric=numeric, wrap_long=wrap)
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json(table: Table) -> str:
    """The table as a JSON list of objects, indented as ``json.dumps(indent=2)`` does,
    with each Decimal written with all its digits (which ``json`` cannot)."""
    cells: tuple[tuple[Value, ...], ...] = table.rows if table.values is None else table.values
    if not cells:
        return "[]\n"
    records = []
    for row in cells:
        fields = ",\n".join(
            f"    {json.dumps(name, ensure_ascii=False)}: {_json_value(value)}"
            for name, value in zip(table.columns, row, strict=True)
        )
        records.append("  {\n" + fields + "\n  }" if fields else "  {}")
    return "[\n" + ",\n".join(records) + "\n]\n"


def _json_value(value: Value) -> str:
    """A value as JSON text.

    >>> [_json_value(v) for v in (Decimal("88200000000.10"), Decimal(".5"), float("-inf"), "é")]
    ['88200000000.10', '0.5', '"-INF"', '"é"']
    """
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps("NaN" if math.isnan(value) else "INF" if value > 0 else "-INF")
    return json.dumps(value, ensure_ascii=False)


def _delimited(rows: Iterable[tuple[str, ...]], delimiter: str) -> str:
    """Rows as CSV or TSV lines ending in a line feed. The writer is told that rows end
    in CR LF, so that it quotes a cell holding either (with a line feed alone it leaves
    a carriage return bare, which ends the row for a reader); each row's CR LF is then
    written as a line feed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2])
    return "".join(line + "\n" for line in lines)


# OWASP's rule against CSV injection: a cell that starts so is read as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """The cell with a ``'`` before it where a spreadsheet would read it as a formula:
    where it starts with =, +, -, @, a tab or a carriage return (OWASP's rule on CSV
    injection), unless it is a plain number such as -1.5 or +3, which a spreadsheet
    reads as that number and which no formula can hide in.

    >>> [spreadsheet_safe(c) for c in ("-12", "-1.5E3", "-1+2", "+cmd", "@SUM(A1)", "a=b")]
    ['-12', '-1.5E3', "'-1+2", "'+cmd", "'@SUM(A1)", 'a=b']
    """
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def run_rdflib(dataset: Dataset, text: str, *, typed: bool = False) -> Table:
    """Run SPARQL with rdflib's own engine (slower; for comparison and rdflib users);
    the cells as :func:`run` gives them."""
    refuse_update(text)
    try:
        result = dataset.query(text, initNs=PREFIXES)
    except Exception as err:  # rdflib raises pyparsing and its own errors alike
        problem = parse_problem(text)  # Oxigraph's reading, in words, where it has one
        if problem is not None:
            raise QueryError(f"the query is not valid SPARQL: {problem}") from err
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise QueryError(f"the query failed: {first}") from err
    if result.type == "ASK":
        found = bool(result.askAnswer)
        values: tuple[tuple[Value, ...], ...] = ((found,),)
        cell = (("true" if found else "false",),)
        return Table(("result",), cell, values if typed else None, asked=True)
    if result.type == "SELECT":
        columns = tuple(str(v) for v in result.vars or ())
        terms = tuple(tuple(cast(tuple[object, ...], row)) for row in result)
    else:
        columns = ("subject", "predicate", "object")
        terms = tuple(tuple(cast(tuple[object, object, object], t)) for t in result)
    rows = tuple(tuple("" if cell is None else str(cell) for cell in row) for row in terms)
    if not typed:
        return Table(columns, rows)
    return Table(columns, rows, tuple(tuple(_rdflib_value(t) for t in row) for row in terms))


def _rdflib_value(term: object) -> Value:
    """An rdflib term of a result as :func:`term_value` reads a pyoxigraph one."""
    if isinstance(term, Literal):
        datatype = term.datatype
        return literal_value(str(term), None if datatype is None else str(datatype))
    return None if term is None else str(term)
