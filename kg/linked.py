"""Tables of the named queries of pairs of figures the reconciliation links.

``conflicts`` and ``confirmations`` (:data:`kg.tables.LINKED`) give rows for a pair of
personnel figures that the reconciliation links (kg/reconcile.py), ``?a`` and ``?b``,
each side with its own document's words. A pair's rows are made of the pair alone: the
two figures described to depth two in their documents' graphs (each figure's quads and
those of what it names: its sentence, its document, its concepts), their compared years
and the pair's links. So a pair's rows are the query's answer on a store in memory that
holds only the pair, and they stay the same while the pair's two documents' graphs do.

Two linked figures share their country, mission, component and role, so the pairs fall
into blocks by these four, and a block's rows lead with one value of each of the keys
that begin the query's ORDER BY (mission, component, country, role). The whole answer
is the blocks in the order of these keys, each block's rows sorted by the ORDER BY as
the store sorts them (:func:`kg.tables.order_key`).

A row is kept with the digest of its pair (the two figures, the keys of their
documents' graphs, the relation), and each block with the list of the pairs it was made
from, in files named by the digest of their bytes. The next build made with the same
query text keeps a block whose pairs are all the same, and of the others keeps the rows
of the pairs that are the same and makes only the rest: after one document changed, only
the pairs of that document's figures. Where the blocks can not be put in the store's
order (a block whose rows lead with more than one value, two blocks that lead with the
same, a number in a key), the query has no table and runs on the store.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from kg.query import PREFIXES
from kg.reconcile import RECONCILIATION_GRAPH, Figure, Match, link_quads
from kg.store import ONTOLOGY_IRI
from kg.tables import (
    LEAD,
    LINKED,
    Block,
    Index,
    Linked,
    _cell,
    _descending,
    _every_text,
    _keyed,
    _order,
    _text_digest,
    linked_line,
    linked_lines,
    order_key,
    read_linked,
    write_linked_file,
)

CHUNK = 1000  # rows a file holds: a page reads only the files of its rows
# the units (by their sizes) a store in memory holds at a time, where a block's are made
# in turn: the consolidation's, whose largest phases hold thousands of mentions
BATCH = 4000
PAIR = ("?a", "?b")  # the variables of a linked query that hold its pair of figures


def block_key(figure: Figure) -> str:
    """The block of a figure's links: its country, mission, component and role (two
    figures the reconciliation links share them: :attr:`kg.reconcile.Figure.key`)."""
    return "\t".join(figure.key[:LEAD])


def _blocks(matches: Iterable[Match]) -> dict[str, list[Match]]:
    found: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        found[block_key(match.a)].append(match)
    return {key: found[key] for key in sorted(found)}


def _figures(matches: Iterable[Match]) -> list[Figure]:
    figures = {}
    for match in matches:
        figures[match.a.iri], figures[match.b.iri] = match.a, match.b
    return [figures[iri] for iri in sorted(figures)]


def pair_digest(match: Match, keys: Mapping[str, str]) -> str:
    """The digest of what a pair's rows are made from: the two figures with the key of
    each one's document's graph (which changes with the graph, and so with the
    figure's description), and how they relate."""
    sides = sorted((f.iri, keys.get(f.doc, "")) for f in (match.a, match.b))
    later = match.a.iri if match.relation == "supersedes" else ""
    fields = (*sides[0], *sides[1], match.relation, later)
    return hashlib.blake2b("\t".join(fields).encode(), digest_size=16).hexdigest()


LINKED_CACHE = ".linked-parts"  # in the build folder: each document's figures, described


class Described(NamedTuple):
    """A document's figures and mentions as the tables made across documents read them
    (:func:`describe`): for each by its IRI the N-Quads of its quads and the nodes it
    names, and the N-Quads of each node named, but for the ontology's quads (the quads
    of a concept, which the ontology describes, are the ontology's: :func:`concepts_of`).
    Nodes are written as N-Triples writes them (``<iri>``)."""

    items: dict[str, Sequence[Any]]  # each [its N-Quads, [the nodes it names]], as JSON has it
    named: dict[str, str]


def _described(store: ox.Store, node: ox.NamedNode) -> Iterator[ox.Quad]:
    """The quads of ``node``, but for those of the reconciliation graph (the links of
    the pairs asked are made again for them alone)."""
    reconciled = ox.NamedNode(RECONCILIATION_GRAPH)
    for quad in store.quads_for_pattern(node, None, None, None):
        if quad.graph_name != reconciled:
            yield quad


def _depth_two(
    store: ox.Store, iris: Iterable[str]
) -> tuple[dict[str, list[ox.Quad]], dict[str, list[ox.Quad]]]:
    """The quads of each figure of ``iris``, and those of each node they name
    (sentences, documents, concepts) by the node as N-Triples writes it."""
    own = {iri: list(_described(store, ox.NamedNode(iri))) for iri in sorted(set(iris))}
    nodes = {
        q.object for quads in own.values() for q in quads if isinstance(q.object, ox.NamedNode)
    }
    return own, {str(node): list(_described(store, node)) for node in sorted(nodes, key=str)}


def _names(quads: Iterable[ox.Quad]) -> list[str]:
    """The nodes ``quads`` name, as N-Triples writes them."""
    return sorted({str(q.object) for q in quads if isinstance(q.object, ox.NamedNode)})


def describe(store: ox.Store, sections: Sequence[Iterable[str]]) -> bytes:
    """A document's figures and mentions described to depth two in ``store`` (the
    document's graph with the ontology: what the worker that reads it holds), kept for
    the tables of the reconciliation's pairs and of the consolidation
    (:mod:`kg.consolidated`): for each of ``sections`` (IRIs), a line of JSON
    (:class:`Described`), after a line with the digest and the length in bytes of
    each (a section changed since is not read). A table reads and checks only its
    own section (:func:`read_described`)."""
    ontology = ox.NamedNode(ONTOLOGY_IRI)

    def text(quads: Iterable[ox.Quad]) -> str:
        return (ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b"").decode()

    lines = []
    for iris in sections:
        own, named = _depth_two(store, iris)
        found = {
            "items": {iri: (text(quads), _names(quads)) for iri, quads in own.items()},
            "named": {
                node: text(q for q in quads if q.graph_name != ontology)
                for node, quads in named.items()
                if any(q.graph_name != ontology for q in quads)
            },
        }
        # JSON holds no line break
        lines.append((json.dumps(found, ensure_ascii=False) + "\n").encode())
    head = " ".join(f"{hashlib.sha256(line).hexdigest()}:{len(line)}" for line in lines)
    return head.encode() + b"\n" + b"".join(lines)


def read_described(path: Path, section: int = 0) -> Described | None:
    """The ``section`` of the :func:`describe` part kept at ``path`` (only its bytes
    are read); None where it is missing or damaged."""
    try:
        with path.open("rb") as part:
            head = part.readline()
            digests, lengths = zip(*(w.decode().split(":") for w in head.split()), strict=True)
            part.seek(len(head) + sum(map(int, lengths[:section])))
            line = part.read(int(lengths[section]))
        if hashlib.sha256(line).hexdigest() != digests[section]:
            return None
        found = json.loads(line)
        items, named = found["items"], found["named"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    whole = (
        isinstance(items, dict)
        and isinstance(named, dict)
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], list)
            and all(isinstance(node, str) for node in item[1])
            for item in items.values()
        )
        and all(isinstance(text, str) for text in named.values())
    )
    return Described(items, named) if whole else None


# the sections of a document's part: the figures the reconciliation pairs, the
# mentions the consolidation joins into phases, the figures it makes steps of
PAIRS, MENTIONS, FIGURES = 0, 1, 2


def concepts_of(store: ox.Store) -> dict[str, list[ox.Quad]]:
    """The quads of the ontology's graph in ``store``, by their subject (as N-Triples
    writes it)."""
    found: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI)):
        found[str(quad.subject)].append(quad)
    return dict(found)


def kept_texts(
    by_document: Mapping[str, Iterable[str]], described: Callable[[str], Described | None]
) -> tuple[list[str], set[str], list[str]]:
    """What the parts of documents hold of their items (figures, mentions; by each
    document's IRI) where ``described(document)`` holds them all: the N-Quads of the
    items' quads and of those of the nodes they name, and those nodes (as N-Triples
    writes them); and the items of the other documents, to be read from the store."""
    texts: list[str] = []
    unread: list[str] = []
    named: set[str] = set()
    for document, iris in sorted(by_document.items()):
        of_document = sorted(set(iris))
        kept = described(document)
        if kept is None or any(iri not in kept.items for iri in of_document):
            unread.extend(of_document)
            continue
        nodes = sorted({node for iri in of_document for node in kept.items[iri][1]})
        texts.extend(kept.items[iri][0] for iri in of_document)
        texts.extend(kept.named[node] for node in nodes if node in kept.named)
        named.update(nodes)
    return texts, named, unread


LOADED = 20_000  # the texts joined for one load


def load_texts(store: ox.Store, texts: Sequence[str]) -> None:
    """Load the N-Quads ``texts`` (each whole lines) into ``store``, a chunk of them at
    a time (a unit's texts can be a hundred MB: joined at once, they would be held
    twice more). Raises SyntaxError or ValueError where one is not N-Quads."""
    for at in range(0, len(texts), LOADED):
        chunk = "".join(texts[at : at + LOADED]).encode()
        store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)


def pair_store(
    store: ox.Store,
    matches: Sequence[Match],
    described: Callable[[str], Described | None] = lambda doc: None,
    concepts: Mapping[str, list[ox.Quad]] | None = None,
) -> ox.Store:
    """A store in memory holding the pairs ``matches``: each figure's quads and the
    quads of what they name (its sentence, its document, its concepts), but for those
    of the reconciliation graph, with the figures' compared years and the pairs' links
    made again for these pairs alone. The figures of a document are read from what
    ``described(document)`` kept of them, where it holds them all, with the quads of
    its concepts from ``concepts`` (:func:`concepts_of`); else from ``store``."""
    figures = _figures(matches)
    by_document: dict[str, list[str]] = defaultdict(list)
    for figure in figures:
        by_document[figure.doc].append(figure.iri)
    pairs = ox.Store()
    found = kept_texts(by_document, described if concepts is not None else lambda doc: None)
    texts, named, unread = found
    if texts:
        try:
            load_texts(pairs, texts)
        except (SyntaxError, ValueError):  # a part changed by hand: the store tells
            return pair_store(store, matches)
    if concepts is not None:
        pairs.extend([q for node in sorted(named) for q in concepts.get(node, ())])
    if unread:
        own, named_quads = _depth_two(store, unread)
        pairs.extend([q for quads in (*own.values(), *named_quads.values()) for q in quads])
    pairs.extend(link_quads(figures, matches))
    return pairs


def write_linked(
    cache: Path,
    store: ox.Store,
    matches: Iterable[Match],
    keys: Mapping[str, str],
    previous: Index | None,
    parts: Mapping[str, Path] | None = None,
) -> dict[str, Linked]:
    """Write the rows of each query of :data:`kg.tables.LINKED` on ``store`` block by
    block into ``cache`` and give its table (see the module's description).
    ``matches`` are the reconciliation's, whose graph ``store`` holds; ``keys`` the key
    of each document's graph by the document's IRI; ``parts`` the file of each
    document's figures described (:func:`describe`), by its IRI, where it was kept.
    What the ``previous`` index holds of the same pairs is kept, where it was made with
    the same query."""
    files = parts or {}
    concepts = concepts_of(store) if parts is not None else None

    @lru_cache(maxsize=256)  # a document's figures are in a few blocks, often in turn
    def described(document: str) -> Described | None:
        path = files.get(document)
        return None if path is None else read_described(path, PAIRS)

    every: dict[str, Match] = {}
    blocks: dict[str, dict[str, frozenset[str]]] = {}
    for key, block_matches in _blocks(matches).items():
        pairs = {pair_digest(m, keys): m for m in block_matches}
        every.update(pairs)
        blocks[key] = {pair: frozenset((m.a.iri, m.b.iri)) for pair, m in pairs.items()}
    return write_blocks(
        cache,
        {name: _every_text()[name] for name in LINKED},
        blocks,
        lambda asked: pair_store(store, [every[pair] for pair in asked], described, concepts),
        PAIR,
        LEAD,
        previous,
    )


def write_blocks(
    cache: Path,
    queries: Mapping[str, str],
    blocks: Mapping[str, Mapping[str, frozenset[str]]],
    made_of: Callable[[list[str]], ox.Store],
    variables: Sequence[str],
    lead: int,
    previous: Index | None,
    sizes: Mapping[str, int] | None = None,
) -> dict[str, Linked]:
    """Write the rows of each of ``queries`` (name: text) block by block into ``cache``
    and give its table. ``blocks`` holds for each block, by its key, the units its rows
    are made of (pairs of figures, phases, steps): each one's digest, which changes
    with what its rows are made of, and its IRIs, which a row names in ``variables``.
    ``made_of(digests)`` is a store in memory that holds the units of ``digests``
    alone, on which the queries give their rows; each row leads with ``lead`` cells of
    its query's ORDER BY that are the same in all rows of a block. The units of a block
    are made in stores of :data:`BATCH` at a time, counted by their ``sizes`` (by
    their digests), or all in one store where ``sizes`` is None (the pairs: a
    document's figures are in many pairs of a block, and each store reads them anew).
    What the ``previous`` index holds of the same units is kept, where it was made
    with the same query (see the module's description)."""
    before = {
        (name, block.key): block
        for name, table in (previous.linked.items() if previous is not None else ())
        if name in queries and table.text == _text_digest(queries[name])
        for block in table.blocks
    }
    written: dict[str, list[Block]] = {name: [] for name in queries}
    ordered = dict.fromkeys(queries, True)
    for key, units in sorted(blocks.items()):
        digest = hashlib.sha256("\n".join(sorted(units)).encode()).hexdigest()
        plans = {name: _plan(cache, digest, units, before.get((name, key))) for name in queries}
        todo = sorted({unit for _, left in plans.values() for unit in left})
        found: dict[str, list[tuple[frozenset[str], list[object], str]]] = {}
        for batch in _batches(todo, sizes):
            # each store in memory is let go as soon as its rows are read
            for name, rows in _made(made_of(batch), queries, variables).items():
                found.setdefault(name, []).extend(rows)
        unit_of = {iris: unit for unit, iris in units.items()}
        for name, (kept, left) in plans.items():
            if kept is None:  # the previous build's block, whole
                written[name].append(before[(name, key)])
                continue
            new = [
                (unit_of[iris], order, cells)
                for iris, order, cells in found.pop(name, ())  # let go once written
                if unit_of[iris] in left
            ]
            last = before[(name, key)] if kept else None
            made = _write_block(
                cache, name, queries[name], key, digest, sorted(units), kept, new, last, lead
            )
            ordered[name] = ordered[name] and made is not None
            if made is not None:
                written[name].append(made)
    return {
        name: _in_order(_text_digest(text), written[name], ordered[name])
        for name, text in queries.items()
    }


def _batches(todo: list[str], sizes: Mapping[str, int] | None) -> Iterator[list[str]]:
    """``todo`` in turn, in lists of at most :data:`BATCH` by their ``sizes`` (a unit
    larger than that alone); all at once where ``sizes`` is None."""
    if sizes is None:
        yield from [todo] if todo else []
        return
    batch: list[str] = []
    size = 0
    for unit in todo:
        weight = sizes.get(unit, 1)
        if batch and size + weight > BATCH:
            yield batch
            batch, size = [], 0
        batch.append(unit)
        size += weight
    if batch:
        yield batch


def _plan(
    cache: Path, digest: str, units: Mapping[str, object], before: Block | None
) -> tuple[list[bytes] | None, set[str]]:
    """What a block whose units (by their digests) have this ``digest`` takes: the
    lines of the previous build's block ``before`` that hold rows of the same units,
    in their order (None where it is the same block, whose files are all there), and
    the units whose rows are to be made. A file of ``before`` that is gone or is not
    what was written (its name holds the digest of its bytes) has the block made anew."""
    kept: list[bytes] = []
    done: set[str] = set()
    if before is not None:
        try:
            if before.digest == digest:
                for file, _ in before.chunks:
                    (cache / file).stat()
                return None, set()
            done = set(read_linked(cache / before.pairs).decode().split()) & set(units)
            for file, count in before.chunks:
                lines = linked_lines(read_linked(cache / file), file)
                if len(lines) != count:
                    raise ValueError(f"{file}: not the rows the index counted")
                kept.extend(line for line in lines if line.split(b"\t", 1)[0].decode() in done)
        except (OSError, ValueError):
            kept, done = [], set()  # a file gone or damaged: the block is made anew
    return kept, set(units) - done


def _made(
    units: ox.Store, queries: Mapping[str, str], variables: Sequence[str]
) -> dict[str, list[tuple[frozenset[str], list[object], str]]]:
    """The rows of each query on the store of some units (:func:`pair_store`, ...),
    each as the IRIs of its unit (its ``variables``' values), the cells of its ORDER
    BY and its own cells as JSON (read one solution at a time: a block's rows are
    many)."""
    found = {}
    for name, text in queries.items():
        solutions = units.query(
            _keyed_with(text, variables), use_default_graph_as_union=True, prefixes=PREFIXES
        )
        assert isinstance(solutions, ox.QuerySolutions)
        keys = len(_order(text))
        rows = []
        for solution in solutions:
            row = tuple(solution)
            width = len(row) - keys - len(variables)
            iris = frozenset(str(term.value) for term in row[width + keys :] if term is not None)
            order = [_cell(term) for term in row[width : width + keys]]
            rows.append((iris, order, _json([_cell(term) for term in row[:width]])))
        found[name] = rows
    return found


def _json(cells: list[object]) -> str:
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))


def _keyed_with(text: str, variables: Sequence[str]) -> str:
    """The query with the keys of its ORDER BY (:func:`kg.tables._keyed`) and then
    the ``variables`` that name its unit projected after its columns (under names of
    their own: the query may project them too)."""
    keyed = _keyed(text)
    where = keyed.index("WHERE", keyed.index("SELECT"))
    units = " ".join(f"({v} AS ?kg_unit_{n})" for n, v in enumerate(variables))
    return f"{keyed[:where]}{units} {keyed[where:]}"


def _sort_key(order: list[object]) -> tuple[object, ...]:
    """Where a row with the ORDER BY cells ``order`` sorts, as the store sorts it."""
    return tuple(order_key(cell) for cell in order)


def _write_block(
    cache: Path,
    name: str,
    text: str,
    key: str,
    digest: str,
    units: list[str],
    kept: list[bytes],
    new: list[tuple[str, list[object], str]],
    last: Block | None,
    width: int,
) -> Block | None:
    """Write a block's rows sorted by the query's ORDER BY, in files of :data:`CHUNK`
    rows, and the list of its ``units``: the lines ``kept`` of the last build's block
    ``last`` (in its order, leading with its lead) with the rows made now, ``new``
    (each its unit, its ORDER BY cells and its own cells as JSON). None where the rows
    do not all lead with the same ``width`` cells, or a key holds numbers beside other
    literals (:func:`kg.tables.order_key` sorts numbers apart from other literals,
    Oxigraph does not): in the new rows, or beside what ``last`` held there."""
    if any(_descending(text)):
        return None
    lead = last.lead if last is not None else None
    if lead is None and new:
        lead = new[0][1][:width]
    if any(order[:width] != lead for _, order, _ in new):
        return None
    made = sorted(
        ((_sort_key(order), unit, order, cells) for unit, order, cells in new),
        key=lambda row: (row[0], row[1]),  # rows of one unit keep the order they came in
    )
    # the new rows into the kept ones, which are in order: each where bisection puts it,
    # reading the keys of only the kept rows it compares with
    keyed: dict[int, tuple[object, ...]] = {}

    def kept_key(at: int) -> tuple[object, ...]:
        if at not in keyed:
            keyed[at] = _sort_key(json.loads(kept[at].split(b"\t", 2)[1]))
        return keyed[at]

    kinds = _kinds([row[0] for row in made], last.kinds if last is not None else "")
    if kinds is None:
        return None
    lines, done = [], 0
    for sort_key, unit, order, cells in made:
        at = bisect.bisect_right(range(len(kept)), sort_key, lo=done, key=kept_key)
        lines.extend(kept[done:at])
        lines.append(linked_line(unit, order, cells).rstrip(b"\n"))
        done = at
    lines.extend(kept[done:])
    listed = write_linked_file(cache, f"{name}-pairs", "".join(f"{u}\n" for u in units).encode())
    chunks = []
    for start in range(0, len(lines), CHUNK):
        part = lines[start : start + CHUNK]
        file = write_linked_file(cache, name, b"".join(line + b"\n" for line in part))
        chunks.append((file, len(part)))
    return Block(key, digest, listed, lead or [], chunks, kinds)


def _kinds(keys: list[tuple[object, ...]], before: str) -> str | None:
    """What the rows sorted by ``keys`` (:func:`_sort_key`) hold in each key, beside
    what the rows kept hold (``before``), a letter of :data:`kg.tables.KINDS` each;
    None where a key holds numbers beside other literals."""
    found = [{kind} - {"-"} for kind in before]
    for row in keys:
        found.extend(set() for _ in range(len(row) - len(found)))
        for n, cell in enumerate(row):
            if isinstance(cell, tuple) and cell[0] == 3:  # a literal: a number or not
                found[n].add("n" if cell[1] == 0 else "t")
    if any(len(kinds) > 1 for kinds in found):
        return None
    return "".join(next(iter(kinds), "-") for kinds in found)


def _in_order(text_digest: str, blocks: list[Block], ordered: bool) -> Linked:
    """The table of ``blocks``: those with rows sorted by the cells they lead with, as
    the store sorts them (:func:`kg.tables.order_key`), then those without (kept for the
    next build). Not ``ordered`` where two blocks lead with the same cells, or a lead
    holds a number (an index changed since: :func:`_write_block` makes none)."""
    rows = sorted(
        (block for block in blocks if block.chunks),
        key=lambda block: (_sort_key(block.lead), block.key),
    )
    empty = sorted((block for block in blocks if not block.chunks), key=lambda b: b.key)
    leads = [json.dumps(block.lead) for block in rows]
    numbers = any(order_key(cell)[:2] == (3, 0) for block in rows for cell in block.lead)
    ordered = ordered and len(set(leads)) == len(leads) and not numbers
    return Linked(text_digest, rows + empty, ordered)
