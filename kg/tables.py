"""Named queries answered from tables a build makes, not from the store.

Most named queries give rows that each come from one document's graph (and the
ontology). The worker that reads a document runs these queries on its graph alone
(:func:`document_tables`, beside the other parts in :mod:`kg.pipeline`), and the
build keeps the rows as the document's part, under the graph's key as the other parts
are kept. Those ordered by the document first are then each document's rows in turn,
documents in the order of their names; the others (:data:`MERGED`) are sorted across
documents by the keys of their ORDER BY, as the store sorts them (:func:`order_key`).
The build writes an index, named by its digest in the build record: the parts in
document order, each one's number of rows per query, and the merged tables. A query
answered from the tables reads the index and the parts that hold the rows asked for,
so a page of rows costs a few files whatever the size of the graph.

The queries of the reconciliation's pairs (:data:`LINKED`) and of the consolidation
(:data:`CONSOLIDATED`) have tables made across documents, block by block
(:mod:`kg.linked`, :mod:`kg.consolidated`), which the index lists in their order.

The tables answer only where they are the store's answer: the query is one of
:data:`TABLED`, :data:`LINKED` or :data:`CONSOLIDATED`, its text is the text the tables
were made with, the index and every part it needs are there. Otherwise :func:`lookup`
gives None and the query runs on the store. ``tests/test_tables.py`` checks that each
query's table is the store's answer, row for row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.files import write_atomic
from kg.query import (
    DECIMAL,
    DOUBLE_TYPES,
    INTEGER_TYPES,
    XSD,
    Answer,
    Result,
    Source,
    Term,
    answer,
    named_queries,
    window,
)
from kg.store import BUILD_GRAPH, drop_unused, part_name
from kg.vocab import ID, KG

TABLES_CACHE = ".table-parts"  # in the build folder: each document's rows, and the index
TABLES = f"{ID}build/tables"  # the index, as an entity of the build record

# The named queries whose rows each come from one document's graph and the ontology.
# Those ordered by the document's file name first (their ORDER BY starts with ?doc)
# are each document's rows in turn; the others (MERGED) are sorted across documents
# when the build writes the index. Those of the reconciliation's pairs (LINKED) have
# tables made across documents (kg/linked.py), and so have the consolidation's
# (CONSOLIDATED: kg/consolidated.py).
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
    "questions_by_mission",
    "signatories",
    "spending",
)
MERGED = ("questions_by_mission", "spending")
# The named queries of pairs of figures the reconciliation links: their tables are
# made across documents, block by block (kg/linked.py).
LINKED = ("confirmations", "conflicts")
LEAD = 4  # the keys of their ORDER BY a block holds one value of: mission, component, ...
# The named queries of the consolidation's phases and strength steps: their tables are
# made across documents, block by block, a block for each mission (kg/consolidated.py).
CONSOLIDATED = ("lifecycle", "phases", "strength")
# The viewer's query of the phases (kg/render/queries/phases.rq), whose rows are each a
# phase's: the build makes its table with those of CONSOLIDATED, and the viewer reads
# it (linked_rows). It is no named query: a user never asks for it.
VIEWER_PHASES = "viewer_phases"
# what a block's rows hold in a key of the ORDER BY: numbers, other literals, neither
KINDS = "nt-"
# the number of the ORDER BY keys that a block's rows lead with, by query
LEADS = {**dict.fromkeys(LINKED, LEAD), **dict.fromkeys((*CONSOLIDATED, VIEWER_PHASES), 1)}

_XSD_STRING = XSD + "string"


class Block(NamedTuple):
    """A block of a table made across documents (:mod:`kg.linked`): what it is a block
    of, the digest of what its rows are made from, the file that lists the pairs they
    are made from, the cells they lead with (as :func:`_cell` writes them; none where
    it has no rows), the files of its rows in order, each with its number of rows, and
    what its rows hold in each key of the ORDER BY (:data:`KINDS`: numbers, other
    literals, neither), a letter each."""

    key: str
    digest: str
    pairs: str
    lead: list[object]
    chunks: list[tuple[str, int]]
    kinds: str = ""


class Linked(NamedTuple):
    """A query's table made across documents: the digest of the text it was made
    with, its blocks in the order of its rows (each block's rows are its files' in
    turn), and where its rows can not be put in the store's order, ``ordered``
    False: the query runs on the store."""

    text: str
    blocks: list[Block]
    ordered: bool


class Part(NamedTuple):
    """One document's entry in the index: its name, its part's file, and its
    number of rows per query of :data:`TABLED`."""

    name: str
    file: str
    counts: tuple[int, ...]


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    """The texts of the queries of :data:`TABLED`."""
    every = _every_text()
    return {name: every[name] for name in TABLED}


@cache
def _order(text: str) -> tuple[str, ...]:
    """The terms of the query's ORDER BY, its last clause: ``?var``, ``(expr)``,
    ``ASC(expr)`` or ``DESC(expr)``.

    >>> _order('SELECT ?a { ?a ?b ?c } ORDER BY ?a DESC(?b) (?c != "x")')
    ('?a', 'DESC(?b)', '(?c != "x")')
    """
    clause = text.rsplit("ORDER BY", 1)[1]
    terms, at = [], 0
    while at < len(clause):
        if clause[at].isspace():
            at += 1
            continue
        end = at
        if clause[at] == "?":
            end += 1
            while end < len(clause) and (clause[end].isalnum() or clause[end] == "_"):
                end += 1
        else:
            depth = 0
            while end < len(clause):
                depth += {"(": 1, ")": -1}.get(clause[end], 0)
                end += 1
                if clause[end - 1] == ")" and depth == 0:
                    break
            if depth:
                raise ValueError(f"unbalanced ORDER BY: {clause.strip()}")
        terms.append(clause[at:end])
        at = end
    return tuple(terms)


@cache
def _keyed(text: str) -> str:
    """The query with its ORDER BY terms projected after its own columns (so that the
    build can sort the rows of all documents as the store would): ``(?begin AS
    ?kg_order_1)`` and so on, ``DESC(x)`` as ``x``."""
    keys = []
    for n, term in enumerate(_order(text)):
        expression = term.removeprefix("DESC").removeprefix("ASC")
        keys.append(f"({expression} AS ?kg_order_{n})")
    select = text.index("SELECT")
    where = text.index("WHERE", select)
    return f"{text[:where]}{' '.join(keys)} {text[where:]}"


def _descending(text: str) -> tuple[bool, ...]:
    return tuple(term.startswith("DESC") for term in _order(text))


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
    if not isinstance(cell, list) or not all(isinstance(c, str) for c in cell):
        raise ValueError(f"not a cell of a query table: {cell!r}")
    if cell[0] == "<" and len(cell) == 2:
        return ox.NamedNode(cell[1])
    if cell[0] == "_" and len(cell) == 2:
        return ox.BlankNode(cell[1])
    if len(cell) == 3 and cell[1] == "@":
        return ox.Literal(cell[0], language=cell[2])
    if len(cell) == 2:
        return ox.Literal(cell[0], datatype=ox.NamedNode(cell[1]))
    raise ValueError(f"not a cell of a query table: {cell!r}")


def _row(line: bytes, width: int) -> list[object]:
    """The cells of a row's line of JSON; ValueError where it is not a row of ``width``
    cells (a file cut short or changed by hand)."""
    cells = json.loads(line)
    if not isinstance(cells, list) or len(cells) != width:
        raise ValueError(f"not a row of {width} cells: {line[:80]!r}")
    return cells


def document_tables(store: ox.Store) -> bytes:
    """The rows of each query of :data:`TABLED` on ``store`` (one document's graph and
    the ontology): for each query a line with its name, a tab and its number of rows,
    then a line per row, its cells as JSON (so that a page reads only its own rows)."""
    lines = []
    for name, text in _texts().items():
        found = answer(store, _keyed(text) if name in MERGED else text)
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
    cache: Path,
    documents: Iterable[tuple[str, str, str]],
    previous: Index | None,
    make: Callable[[str], bytes],
    linked: Mapping[str, Linked] | None = None,
) -> str:
    """Write the index of the parts of ``documents`` ((name, part file, graph)) in
    ``cache``, with the table of each query of :data:`MERGED` and the tables made
    across documents ``linked`` (:func:`kg.linked.write_linked`), and give its digest,
    which names it. What the previous index holds of a part is taken from there; the
    other parts are read, and a part that is missing or unreadable is made anew by
    ``make(graph)`` and kept."""
    texts = _texts()
    cache.mkdir(exist_ok=True)
    try:
        known = {} if previous is None else {part.file: part for part in previous.parts}
    except ValueError:
        known = {}  # an index with counts that are not: every part is read again
    parts: list[Part] = []
    # the rows of the merged queries in the parts read now (the file name tells the
    # document: the part of another document has another name)
    fresh: dict[str, dict[str, list[bytes]]] = {query: {} for query in MERGED}
    for name, file, graph in sorted(documents):
        before = known.get(file)
        if before is not None and (cache / file).is_file():
            parts.append(before)
            continue
        try:
            data = (cache / file).read_bytes()
            rows = {query: _rows_of(data, query) for query in texts}
        except (OSError, KeyError, ValueError):
            data = make(graph)
            write_atomic(cache / file, data)
            rows = {query: _rows_of(data, query) for query in texts}
        for query in MERGED:
            fresh[query][file] = rows[query]
        parts.append(Part(name, file, tuple(len(found) for found in rows.values())))
    merged = {}
    for query in MERGED:
        kept = previous.merged.get(query) if previous is not None else None
        table = _write_merged(
            cache, query, parts, fresh[query], None if kept is None else cache / kept
        )
        if table is not None:
            merged[query] = table
    index = {  # a list per field, quick to read whatever the number of documents
        "queries": {query: _text_digest(text) for query, text in texts.items()},
        "names": [part.name for part in parts],
        "files": [part.file for part in parts],
        "counts": {query: [part.counts[n] for part in parts] for n, query in enumerate(texts)},
        "merged": merged,
        "linked": {
            query: {"text": table.text, "ordered": table.ordered, "blocks": table.blocks}
            for query, table in sorted((linked or {}).items())
        },
    }
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(data).hexdigest()
    write_atomic(cache / _index_name(digest), data)
    return digest


def _write_merged(
    cache: Path,
    query: str,
    parts: list[Part],
    fresh: dict[str, list[bytes]],
    kept: Path | None,
) -> str | None:
    """Write the rows of ``query`` of all ``parts`` sorted by its ORDER BY, as the
    store sorts them (:func:`order_key`), each row after its part's file and its
    place in the part; give the file's name. ``fresh`` holds the rows of the parts
    read now, by file; those of the others come from the last build's table ``kept``
    (or their parts, where it is gone). None,
    and no table, where a key holds numbers beside other literals, which
    :func:`order_key` does not sort as Oxigraph does."""
    rows: list[tuple[str, int, bytes]] = []
    wanted = {part.file for part in parts if part.file not in fresh}
    if kept is not None:
        try:
            for line in kept.read_bytes().splitlines():
                file, place, row = line.split(b"\t", 2)
                if file.decode() in wanted:
                    rows.append((file.decode(), int(place), row))
        except (OSError, ValueError):
            rows, kept = [], None
    for part in parts:
        if part.file in fresh:
            found = fresh[part.file]
        elif kept is None:
            found = _rows_of((cache / part.file).read_bytes(), query)
        else:
            continue
        rows.extend((part.file, n, row) for n, row in enumerate(found))
    text = _texts()[query]
    keys = len(_order(text))
    width = len(_columns(query)) + keys
    name_of = {part.file: part.name for part in parts}
    rows.sort(key=lambda r: (name_of[r[0]], r[1]))  # each document's rows in turn
    keyed = [(_row(row[2], width)[-keys:], row) for row in rows]
    for n in range(keys):
        kinds = {order_key(cells[n])[:2] for cells, _ in keyed}
        if {(3, 0), (3, 1)} <= kinds:
            return None  # numbers and other literals in one key: not sorted as the store would
    for n, descending in reversed(list(enumerate(_descending(text)))):
        keyed.sort(key=lambda entry: order_key(entry[0][n]), reverse=descending)  # stable
    data = b"".join(f"{file}\t{place}\t".encode() + row + b"\n" for _, (file, place, row) in keyed)
    name = f"merged-{query}-{hashlib.sha256(data).hexdigest()[:32]}.tsv"
    write_atomic(cache / name, data)
    return name


_NUMBERS = INTEGER_TYPES | DOUBLE_TYPES | {DECIMAL}


def order_key(cell: object) -> tuple[object, ...]:
    """Where a cell (as :func:`_cell` writes it) sorts in a SPARQL ORDER BY: unbound,
    then blank nodes (all alike), then IRIs, then literals; numbers by their value,
    other literals by their text (then their datatype and language), as Oxigraph
    compares literals of one type (numbers beside other literals in one key it sorts
    otherwise: :func:`_write_merged` makes no table of them).

    >>> cells = [["10", XSD + "integer"], None, ["<", "http://e/a"], ["9.5", XSD + "decimal"], "b"]
    >>> sorted(cells, key=order_key)[:3]
    [None, ['<', 'http://e/a'], ['9.5', 'http://www.w3.org/2001/XMLSchema#decimal']]
    """
    if cell is None:
        return (0,)
    if isinstance(cell, str):
        return (3, 1, cell, _XSD_STRING, "")
    assert isinstance(cell, list)
    if cell[0] == "_" and len(cell) == 2:
        return (1,)
    if cell[0] == "<" and len(cell) == 2:
        return (2, cell[1])
    if len(cell) == 3:
        return (3, 1, cell[0], "", cell[2])
    if cell[1] in _NUMBERS:
        try:
            return (3, 0, Decimal(cell[0]))
        except InvalidOperation:
            pass
    return (3, 1, cell[0], cell[1], "")


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
    """A build's index of its query tables: the parts in document order, by their
    documents' names and their files, and for each query the rows of each part."""

    queries: dict[str, str]  # query name: digest of the text the rows were made with
    names: list[str]
    files: list[str]
    counts: dict[str, list[int]]  # query name: the number of its rows in each part
    merged: dict[str, str]  # query name: the file of its rows sorted across documents
    linked: dict[str, Linked]  # query name: its table made across documents

    @property
    def parts(self) -> tuple[Part, ...]:
        """The parts with all their counts; ValueError where a count is not one."""
        columns = [_counted(self, query) for query in self.queries]
        return tuple(
            Part(name, file, tuple(column[n] for column in columns))
            for n, (name, file) in enumerate(zip(self.names, self.files, strict=True))
        )


def _counted(index: Index, query: str) -> list[int]:
    """The rows of ``query`` in each part; ValueError where a count is not one."""
    counts = index.counts[query]
    if not all(type(count) is int and count >= 0 for count in counts):
        raise ValueError(f"the index's counts of {query} are not counts")
    return counts


def read_index(cache: Path, digest: str | None) -> Index | None:
    """The index named ``digest`` in ``cache``; None where there is none to read, or
    it is not well formed (its counts are checked where they are used)."""
    if digest is None:
        return None
    try:
        found = json.loads((cache / _index_name(digest)).read_bytes())
        index = Index(
            dict(found["queries"]),
            list(found["names"]),
            list(found["files"]),
            {query: list(counts) for query, counts in dict(found["counts"]).items()},
            dict(found["merged"]),
            _linked_tables(found.get("linked", {})),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    texts = (*index.queries, *index.queries.values(), *index.merged, *index.merged.values())
    well_formed = (
        all(isinstance(text, str) for text in (*texts, *index.names, *index.files))
        and len(index.names) == len(index.files)
        and list(index.counts) == list(index.queries)
        and all(len(counts) == len(index.files) for counts in index.counts.values())
    )
    return index if well_formed else None


def _linked_tables(found: object) -> dict[str, Linked]:
    """The tables made across documents of an index's JSON; a table that is not well
    formed is left out (its query runs on the store)."""
    tables: dict[str, Linked] = {}
    for query, table in dict(found).items() if isinstance(found, dict) else ():
        try:
            blocks = [
                Block(
                    key, digest, pairs, list(lead), [(file, rows) for file, rows in chunks], kinds
                )
                for key, digest, pairs, lead, chunks, kinds in table["blocks"]
            ]
            text, ordered = table["text"], table["ordered"]
        except (KeyError, TypeError, ValueError):
            continue
        well_formed = (
            isinstance(text, str)
            and isinstance(ordered, bool)
            and all(
                isinstance(field, str)
                for b in blocks
                for field in (b.key, b.digest, b.pairs, b.kinds)
            )
            and all(set(b.kinds) <= set(KINDS) for b in blocks)
            and all(_lead_cells(b.lead, LEADS.get(query, -1)) for b in blocks if b.chunks)
            and all(
                isinstance(file, str) and type(rows) is int and rows >= 0
                for b in blocks
                for file, rows in b.chunks
            )
        )
        if well_formed:
            tables[query] = Linked(text, blocks, ordered)
    return tables


def _lead_cells(lead: list[object], width: int) -> bool:
    """Whether ``lead`` are the cells a block's rows lead with: ``width`` of them
    (:data:`LEADS`), each a cell as :func:`_cell` writes it."""
    if len(lead) != width:
        return False
    try:
        for cell in lead:
            _term(cell)
    except ValueError:
        return False
    return True


def previous_index(cache: Path, store: ox.Store) -> Index | None:
    """The index the store's build record names (what the next index can reuse)."""
    return read_index(cache, index_digest(store))


def tidy(cache: Path, digest: str) -> None:
    """Remove from ``cache`` what the index ``digest`` does not name (the parts of
    documents that changed or were dropped, older tables and indexes)."""
    index = read_index(cache, digest)
    if index is not None:
        linked = {
            file
            for table in index.linked.values()
            for block in table.blocks
            for file in (block.pairs, *(file for file, _ in block.chunks))
        }
        drop_unused(cache, {_index_name(digest), *index.merged.values(), *index.files, *linked})


def lookup(
    out: Path, store: ox.Store, name: str, *, limit: int | None = None, offset: int = 0
) -> Result | None:
    """The rows ``offset`` to ``offset + limit`` (all to the end where ``limit`` is
    None) of the named query ``name`` from the build's tables; None where the tables
    cannot answer it (see the module's description)."""
    cache = out / TABLES_CACHE
    index = read_index(cache, index_digest(store)) if name in _every_text() else None
    if index is None:
        return None
    if name not in TABLED:
        return _linked_lookup(cache, index, name, limit, offset)
    text = _texts()[name]
    if index.queries.get(name) != _text_digest(text):
        return None
    try:
        counts = _counted(index, name)
        if name in MERGED:
            table = cache / index.merged[name]
            rows = list(_merged_rows(table, name, sum(counts), limit, offset))
        else:
            width = len(_columns(name))
            rows = list(_rows(cache, index.files, counts, width, limit, offset, name))
    except (OSError, KeyError, ValueError):
        # a part removed by a build since (the store has changed), or one cut short
        return None
    return Result(_columns(name), tuple(rows))


def _linked_lookup(
    cache: Path, index: Index, name: str, limit: int | None, offset: int
) -> Result | None:
    """:func:`lookup` of a query whose table is made across documents."""
    return _linked_result(cache, index, name, _every_text()[name], limit, offset)


def linked_rows(out: Path, store: ox.Store, name: str, text: str) -> Result | None:
    """All the rows of the table made across documents ``name`` of the build ``out``
    (whose store is ``store``), which the query ``text`` gives (:data:`VIEWER_PHASES`);
    None where the tables do not hold it as the store's answer to ``text``: it was
    made with another text, or a file is missing or damaged."""
    index = read_index(out / TABLES_CACHE, index_digest(store))
    return None if index is None else _linked_result(out / TABLES_CACHE, index, name, text)


def _linked_result(
    cache: Path,
    index: Index,
    name: str,
    text: str,
    limit: int | None = None,
    offset: int = 0,
) -> Result | None:
    table = index.linked.get(name)
    if table is None or not table.ordered or table.text != _text_digest(text):
        return None
    chunks = [chunk for block in table.blocks for chunk in block.chunks]
    files, counts = [file for file, _ in chunks], [rows for _, rows in chunks]
    columns = _columns_of(text)
    try:
        rows = list(_rows(cache, files, counts, len(columns), limit, offset))
    except (OSError, ValueError):
        return None
    return Result(columns, tuple(rows))


def answer_page(
    source: Source,
    text: str,
    *,
    name: str = "",
    out: Path | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Answer:
    """The rows ``offset`` to ``offset + limit`` of the answer to ``text`` on
    ``source``: from the query tables of the build ``out`` where they hold the named
    query ``name`` (:func:`lookup`), else the source's answer cut to them (an ASK
    answer whole). ``out`` None: no tables (a remote endpoint, a copy in memory)."""
    if out is not None and isinstance(source, ox.Store):
        tabled = lookup(out, source, name, limit=limit, offset=offset)
        if tabled is not None:
            return tabled
    found = answer(source, text)
    if isinstance(found, Result):
        return Result(found.columns, window(found.rows, limit, offset))
    return found if isinstance(found, bool) else window(found, limit, offset)


def _merged_rows(
    path: Path, name: str, total: int, limit: int | None, offset: int
) -> Iterator[tuple[Term, ...]]:
    data = path.read_bytes()
    if data.count(b"\n") != total:
        raise ValueError(f"{path.name}: not the rows the parts hold")
    end = total if limit is None else min(total, offset + limit)
    lines = data.split(b"\n", end)[:end]  # only the lines up to the page's end are split
    columns = len(_columns(name))
    width = columns + len(_order(_texts()[name]))
    for line in lines[offset:]:
        fields = line.split(b"\t", 2)
        if len(fields) != 3:
            raise ValueError(f"{path.name}: not a line of a merged table")
        yield tuple(_term(cell) for cell in _row(fields[2], width)[:columns])


def _rows(
    cache: Path,
    files: list[str],
    counts: list[int],
    width: int,
    limit: int | None,
    offset: int,
    of: str | None = None,
) -> Iterator[tuple[Term, ...]]:
    """The rows ``offset`` to ``offset + limit``, of ``width`` cells, of the files
    (each holding ``counts`` rows): of a tabled query ``of``, its documents' parts;
    where ``of`` is None, the files of a table made across documents
    (:func:`linked_lines`)."""
    skip, left = offset, limit
    for file, count in zip(files, counts, strict=True):
        if skip >= count:
            skip -= count
            continue
        if left is not None and left <= 0:
            return
        if of is None:
            rows = linked_lines(read_linked(cache / file), file)
        else:
            rows = _rows_of((cache / file).read_bytes(), of)
        if len(rows) != count:
            raise ValueError(f"{file}: not the part the index counted")
        chosen = window(rows, left, skip)
        skip = 0
        if left is not None:
            left -= len(chosen)
        for line in chosen:
            # a linked table's row: its own cells are the last of its fields
            cells = _row(line.rsplit(b"\t", 1)[-1] if of is None else line, width)
            yield tuple(_term(cell) for cell in cells)


def write_linked_file(cache: Path, stem: str, data: bytes) -> str:
    """Keep ``data``, a file of a table made across documents (:mod:`kg.linked`), in
    ``cache`` under a name that holds its digest, and give the name."""
    file = f"linked-{stem}-{hashlib.sha256(data).hexdigest()[:32]}.tsv"
    write_atomic(cache / file, data)
    return file


def read_linked(path: Path) -> bytes:
    """The bytes of a :func:`write_linked_file`; ValueError where they are not those its
    name holds the digest of (a file cut short or changed since)."""
    data = path.read_bytes()
    if not path.stem.endswith("-" + hashlib.sha256(data).hexdigest()[:32]):
        raise ValueError(f"{path.name}: not the file that was written")
    return data


def linked_lines(data: bytes, file: str) -> list[bytes]:
    """The rows of a file of a table made across documents, a :func:`linked_line`
    each (without its line break); ValueError where the file is cut short or a line
    is not one."""
    if data and not data.endswith(b"\n"):
        raise ValueError(f"{file}: cut short")
    lines = data.split(b"\n")[:-1]
    if not all(line.count(b"\t") == 2 for line in lines):
        raise ValueError(f"{file}: not the rows of a linked table")
    return lines


def linked_line(pair: str, order: list[object], cells: str) -> bytes:
    """A row of a table made across documents (:mod:`kg.linked`) as a line of its
    file: the digest of the pair it is made from, the cells of its query's ORDER BY as
    JSON and its own ``cells`` (JSON), apart by tabs (JSON holds no tab: it writes one
    as ``\\t``)."""
    keys = json.dumps(order, ensure_ascii=False, separators=(",", ":"))
    return f"{pair}\t{keys}\t{cells}\n".encode()


@lru_cache(maxsize=1)
def _every_text() -> dict[str, str]:
    """The texts of the queries the tables may hold: :data:`TABLED` and those made
    across documents (:data:`LINKED`, :data:`CONSOLIDATED`)."""
    queries = named_queries()
    return {name: queries[name].text for name in (*TABLED, *LINKED, *CONSOLIDATED)}


def _columns(name: str) -> tuple[str, ...]:
    """The columns of a tabled query: its variables, as a query on an empty store
    gives them."""
    return _columns_of(_every_text()[name])


@cache
def _columns_of(text: str) -> tuple[str, ...]:
    """The columns of the SELECT query ``text``, as it gives them on an empty store."""
    found = answer(ox.Store(), text)
    assert isinstance(found, Result)
    return found.columns
