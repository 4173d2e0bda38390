"""Run a named or given SPARQL query against a build and format the rows.

Named queries are data: ``kg/queries/NAME.rq``, their leading ``#`` comment
lines the description that ``kg query --list`` shows. Queries see the union of
all named graphs as their default graph, and the kg prefixes are predeclared.

A query runs on a :data:`Source`: a build's local store, or a remote SPARQL
endpoint (:class:`kg.remote.Endpoint`), which gives its results in the same
:data:`Answer`, so the rows are the same text either way.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol, cast

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import QueryError
from kg.vocab import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")
SPARQL_START = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*(?:SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", re.I
)
MAX_CELL = 80  # characters of a cell in table format; csv, tsv and json are never cut


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


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
    """The SPARQL text for a query name, a .rq file or literal SPARQL."""
    queries = named_queries()
    if spec in queries:
        return queries[spec].text
    if spec.endswith(".rq"):
        path = Path(spec)
        try:
            return path.read_text("utf-8")
        except OSError as err:
            raise QueryError(f"{spec}: cannot read the query file ({err.strerror or err})") from err
    if SPARQL_START.match(spec):
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


def answer(source: Source, text: str) -> Answer:
    """Run SPARQL on a store or a remote endpoint and read its whole result.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
    ...     ox.Literal("1"), ox.NamedNode("http://e/graph")))
    >>> answer(store, "SELECT ?o WHERE { ?s ?p ?o }").rows
    ((<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,),)
    """
    if not isinstance(source, ox.Store):
        return source.answer(text)
    try:
        return read(source.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))
    except SyntaxError as err:
        # the parser lists every character it expected; its first line says what is wrong
        first = str(err).strip().splitlines()[0] if str(err).strip() else "syntax error"
        raise QueryError(f"the query is not valid SPARQL: {first}") from err
    except OSError as err:
        raise QueryError(f"the query failed: {err}") from err


def read(result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple | ox.Quad]) -> Answer:
    """Read pyoxigraph's query results (from a store or parsed from an endpoint's
    answer) to the end."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(var.value for var in result.variables)
        return Result(columns, tuple(tuple(row[name] for name in columns) for row in result))
    return tuple(ox.Triple(t.subject, t.predicate, t.object) for t in result)


def run(source: Source, text: str) -> Table:
    """Run SPARQL on a store or an endpoint; SELECT gives its rows, ASK one cell,
    CONSTRUCT triples, every cell as text."""
    found = answer(source, text)
    if isinstance(found, bool):
        return Table(("result",), (("true" if found else "false",),))
    if isinstance(found, Result):
        return Table(found.columns, tuple(tuple(_cell(t) for t in row) for row in found.rows))
    triples = tuple((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in found)
    return Table(("subject", "predicate", "object"), triples)


def render(table: Table, fmt: str, clip: bool = True) -> str:
    """Format a table as an aligned text table, CSV, TSV or JSON (a list of objects).

    >>> print(render(Table(("doc", "n"), (("a.txt", "3"),)), "csv"), end="")
    doc,n
    a.txt,3
    """
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    cut = [tuple(_fold(cell, clip) for cell in row) for row in table.rows]
    widths = [len(column) for column in table.columns]
    for row in cut:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cut
    ]
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _fold(text: str, clip: bool) -> str:
    """One line of text, cut to MAX_CELL characters when ``clip``."""
    text = " ".join(text.split())
    return text if not clip or len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def run_rdflib(dataset: Dataset, text: str) -> Table:
    """Run SPARQL with rdflib's own engine (slower; for comparison and rdflib users)."""
    try:
        result = dataset.query(text, initNs=PREFIXES)
    except Exception as err:  # rdflib raises pyparsing and its own errors alike
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise QueryError(f"the query failed: {first}") from err
    if result.type == "ASK":
        return Table(("result",), (("true" if result.askAnswer else "false",),))
    if result.type == "SELECT":
        columns = tuple(str(v) for v in result.vars or ())
        rows = tuple(
            tuple("" if cell is None else str(cell) for cell in cast(tuple[object, ...], row))
            for row in result
        )
        return Table(columns, rows)
    triples = tuple(
        (str(s), str(p), str(o))
        for s, p, o in (cast(tuple[object, object, object], t) for t in result)
    )
    return Table(("subject", "predicate", "object"), triples)
