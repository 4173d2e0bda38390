"""Named queries answered from tables a build makes, not from the store.

Most named queries give rows that each come from one document's graph (and the
ontology), ordered by the document first: their whole answer is each document's
answer in turn, documents in the order of their names. The worker that reads a
document runs these queries on its graph alone (:func:`document_tables`, beside the
other parts in :mod:`kg.pipeline`) and the build keeps the rows as the document's
part, under the graph's key as the other parts are kept. The build then writes an
index: the parts in document order and each one's number of rows per query, named by
its digest in the build record. A query answered from the tables reads the index and
the parts that hold the rows asked for, so a page of rows costs a few files whatever
the size of the graph.

The tables answer only where they are the store's answer: the query is one of
:data:`TABLED`, its text is the text the tables were made with, the index and every
part it needs are there. Otherwise :func:`lookup` gives None and the query runs on the
store. ``tests/test_tables.py`` checks that each tabled query's table is the store's
answer, row for row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.files import write_atomic
from kg.query import Result, Term, answer, named_queries
from kg.store import BUILD_GRAPH, drop_unused, part_name
from kg.vocab import ID, KG

TABLES_CACHE = ".table-parts"  # in the build folder: each document's rows, and the index
TABLES = f"{ID}build/tables"  # the index, as an entity of the build record

# The named queries whose rows each come from one document's graph and the ontology,
# ordered by the document's file name first (their ORDER BY starts with ?doc). Those
# that join documents (the reconciliation's and the consolidation's), or order their
# rows across documents (questions_by_mission, spending), run on the store.
TABLED = (
    "budgets",
    "documents",
    "events",
    "evidence",
    "facts_per_document",
    "mentions",
    "periods",
    "personnel",
    "questions",
    "signatories",
)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Part(NamedTuple):
    """One document's entry in the index: its name, its part's file, and its
    number of rows per query of :data:`TABLED`."""

    name: str
    file: str
    counts: tuple[int, ...]


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    queries = named_queries()
    return {name: queries[name].text for name in TABLED}


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cell(term: Term) -> object:
    """A term as JSON: a plain string as itself, others as a list that says what
    they are, so that the term comes back the same (:func:`_term`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["<", term.value]
    if isinstance(term, ox.BlankNode):
        return ["_", term.value]
    if term.language:
        return [term.value, "@", term.language]
    if term.datatype.value == _XSD_STRING:
        return term.value
    return [term.value, term.datatype.value]


def _term(cell: object) -> Term:
    """The term :func:`_cell` wrote.

    >>> term = ox.Literal("2018", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    >>> [_term(_cell(t)) == t for t in (term, ox.Literal("nl", language="nl"), None)]
    [True, True, True]
    """
    if cell is None:
        return None
    if isinstance(cell, str):
        return ox.Literal(cell)
    assert isinstance(cell, list)
    if cell[0] == "<" and len(cell) == 2:
        return ox.NamedNode(cell[1])
    if cell[0] == "_" and len(cell) == 2:
        return ox.BlankNode(cell[1])
    if len(cell) == 3:
        return ox.Literal(cell[0], language=cell[2])
    return ox.Literal(cell[0], datatype=ox.NamedNode(cell[1]))


def document_tables(store: ox.Store) -> bytes:
    """The rows of each query of :data:`TABLED` on ``store`` (one document's graph and
    the ontology): for each query a line with its name, a tab and its number of rows,
    then a line per row, its cells as JSON (so that a page reads only its own rows)."""
    lines = []
    for name, text in _texts().items():
        found = answer(store, text)
        assert isinstance(found, Result)
        lines.append(f"{name}\t{len(found.rows)}\n")
        for row in found.rows:
            cells = [_cell(term) for term in row]
            lines.append(json.dumps(cells, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines).encode()


def part_file(graph: str, key: str) -> str:
    """The file name of a document's rows, kept under its graph's key."""
    return part_name(graph, key, ".tsv")


def _rows_of(data: bytes, name: str) -> list[bytes]:
    """One query's rows from a document's part, each as its line of JSON (a row's
    JSON holds no line break: :func:`json.dumps` writes one as ``\\n``)."""
    lines = data.split(b"\n")
    at = 0
    while at < len(lines) - 1:
        query, _, count = lines[at].decode().partition("\t")
        rows = int(count)
        if query == name:
            return lines[at + 1 : at + 1 + rows]
        at += 1 + rows
    raise KeyError(name)


def write_index(
    cache: Path, documents: Iterable[tuple[str, str]], previous: Mapping[str, Part]
) -> str:
    """Write the index of the parts of ``documents`` ((name, part file) pairs) in
    ``cache`` and give its digest, which names it. The counts of a part the previous
    index names are taken from there; the others are counted from the part. A
    document whose part is missing is left out, and the index is then marked
    incomplete, so that no query is answered from it."""
    texts = _texts()
    parts: list[list[object]] = []
    complete = True
    for name, file in sorted(documents):
        known = previous.get(file)
        if known is not None and known.name == name:
            parts.append([name, file, list(known.counts)])
            continue
        try:
            data = (cache / file).read_bytes()
            counts = [len(_rows_of(data, query)) for query in texts]
        except (OSError, KeyError, ValueError):
            complete = False
            continue
        parts.append([name, file, counts])
    index = {
        "complete": complete,
        "queries": {query: _text_digest(text) for query, text in texts.items()},
        "parts": parts,
    }
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(data).hexdigest()
    write_atomic(cache / _index_name(digest), data)
    return digest


def _index_name(digest: str) -> str:
    return f"index-{digest[:40]}.json"


def index_digest(store: ox.Store) -> str | None:
    """The digest of the index that the store's build record names, if any."""
    for q in store.quads_for_pattern(
        ox.NamedNode(TABLES), ox.NamedNode(str(KG.textDigest)), None, ox.NamedNode(BUILD_GRAPH)
    ):
        if isinstance(q.object, ox.Literal):
            return q.object.value
    return None


class Index(NamedTuple):
    complete: bool
    queries: dict[str, str]  # query name: digest of the text the rows were made with
    parts: tuple[Part, ...]


def read_index(cache: Path, digest: str | None) -> Index | None:
    """The index named ``digest`` in ``cache``; None where there is none to read."""
    if digest is None:
        return None
    try:
        found = json.loads((cache / _index_name(digest)).read_bytes())
        parts = tuple(Part(name, file, tuple(counts)) for name, file, counts in found["parts"])
        return Index(bool(found["complete"]), dict(found["queries"]), parts)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def previous_parts(cache: Path, store: ox.Store) -> dict[str, Part]:
    """The parts the store's index names, by file (what the next index can reuse)."""
    index = read_index(cache, index_digest(store))
    return {} if index is None else {part.file: part for part in index.parts}


def tidy(cache: Path, digest: str) -> None:
    """Remove from ``cache`` what the index ``digest`` does not name (the parts of
    documents that changed or were dropped, and older indexes)."""
    index = read_index(cache, digest)
    if index is not None:
        drop_unused(cache, {_index_name(digest), *(part.file for part in index.parts)})


def lookup(
    out: Path, store: ox.Store, name: str, *, limit: int | None = None, offset: int = 0
) -> Result | None:
    """The rows ``offset`` to ``offset + limit`` (all to the end where ``limit`` is
    None) of the named query ``name`` from the build's tables; None where the tables
    cannot answer it (see the module's description)."""
    if name not in TABLED:
        return None
    cache = out / TABLES_CACHE
    index = read_index(cache, index_digest(store))
    text = _texts()[name]
    if index is None or not index.complete or index.queries.get(name) != _text_digest(text):
        return None
    column = list(index.queries).index(name)
    try:
        rows = list(_rows(cache, index.parts, name, column, limit, offset))
    except (OSError, KeyError, ValueError):
        return None  # a part removed by a build since (the store has changed)
    return Result(_columns(name), tuple(rows))


def _rows(
    cache: Path, parts: tuple[Part, ...], name: str, column: int, limit: int | None, offset: int
) -> Iterator[tuple[Term, ...]]:
    skip, left = offset, limit
    for part in parts:
        count = part.counts[column]
        if skip >= count:
            skip -= count
            continue
        if left is not None and left <= 0:
            return
        rows = _rows_of((cache / part.file).read_bytes(), name)
        if len(rows) != count:
            raise ValueError(f"{part.file}: not the part the index counted")
        chosen = rows[skip:] if left is None else rows[skip : skip + left]
        skip = 0
        if left is not None:
            left -= len(chosen)
        for line in chosen:
            yield tuple(_term(cell) for cell in json.loads(line))


@cache
def _columns(name: str) -> tuple[str, ...]:
    """The columns of a tabled query: its variables, as a query on an empty store
    gives them."""
    found = answer(ox.Store(), _texts()[name])
    assert isinstance(found, Result)
    return found.columns
