"""The embedded on-disk store inside a build folder, and its exports.

The store is Oxigraph (pyoxigraph), a RocksDB-backed SPARQL database: it answers
queries an order of magnitude faster than rdflib's own engine. Each document
lives in its own named graph, so replacing one document leaves the others alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, suppress
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import StoreError
from kg.files import folder_lock, write_atomic
from kg.rdf import SERIALIZATION_PREFIXES, serialize
from kg.settings import DEFAULTS
from kg.vocab import ID, KG, ONTOLOGY_IRI, PREFIXES, ontology_dir

BUILD_GRAPH = f"{ID}build"
RECONCILIATION_GRAPH = f"{ID}reconciliation"  # written by kg.reconcile
CONSOLIDATION_GRAPH = f"{ID}consolidation"  # written by kg.consolidate
PROV = PREFIXES["prov"]
XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"


LOCK_FILE = ".kg-build.lock"


def store_path(out: Path) -> Path:
    return out / DEFAULTS["store_dir"]


def _staging_path(out: Path) -> Path:
    return out / f".{DEFAULTS['store_dir']}.building"


def _previous_path(out: Path) -> Path:
    return out / f".{DEFAULTS['store_dir']}.previous"


def recover(out: Path) -> None:
    """Put back the previous store of a build that was stopped while it swapped its new
    store in (the previous one set aside, the new one not yet in place)."""
    previous = _previous_path(out)
    if previous.is_dir() and not store_path(out).exists():
        with suppress(OSError):  # another process put it back first
            os.rename(previous, store_path(out))


def build_lock(out: Path) -> AbstractContextManager[None]:
    """Hold the build folder ``out`` for one build: a second build into it is refused
    at once with the process number of the first (:class:`StoreError`)."""

    def busy(other: str) -> StoreError:
        return StoreError(
            f"{out}: another kg build (process {other}) is writing here; wait until it has "
            "finished, or build into another folder with --out"
        )

    return folder_lock(out, LOCK_FILE, busy)


def stage_store(out: Path, *, fresh: bool = False) -> ox.Store:
    """The store a build writes, beside the build's own, to be put in place by
    :func:`swap_in` once it is complete, so that a build stopped at any moment leaves
    the previous one whole. It starts as a checkpoint of the previous store (RocksDB
    hard-links its files: no copy), or empty where there is none or ``fresh`` is set."""
    staging = _staging_path(out)
    discard_staged(out)  # what a stopped build left
    recover(out)
    previous = store_path(out)
    if not fresh and previous.is_dir():
        try:
            # opened for writing, as a read-only store's checkpoint can miss its last
            # writes; the build lock keeps every other writer out
            old = ox.Store(str(previous))
            old.backup(str(staging))
            del old
        except OSError as err:
            raise StoreError(
                f"{previous}: cannot read the store of the last build ({err})"
            ) from err
    return ox.Store(str(staging))


def discard_staged(out: Path) -> None:
    """Remove the store a build was writing (one that changed nothing, or stopped)."""
    staging = _staging_path(out)
    if staging.exists():
        shutil.rmtree(staging)


def remove_graphs(store: ox.Store, graphs: Iterable[str]) -> None:
    """Drop the named graphs ``graphs`` from ``store``, those it holds."""
    for graph in graphs:
        name = ox.NamedNode(graph)
        if store.contains_named_graph(name):
            store.remove_graph(name)


class StoredDocument(NamedTuple):
    """A document in a store: the name it was built under, its graph, its IRI and the
    SHA-256 of the file it was read from."""

    name: str
    graph: str
    iri: str
    sha256: str
    record: str = ""  # the digest of the official record it was read with, if any


def stored_documents(store: ox.Store) -> dict[str, StoredDocument]:
    """The documents in ``store``, by name."""
    build = ox.NamedNode(BUILD_GRAPH)

    def literals(prop: str) -> dict[tuple[object, object], str]:
        return {
            (q.graph_name, q.subject): q.object.value
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, None)
            if q.graph_name != build and isinstance(q.object, ox.Literal)
        }

    hashes, records = literals(str(KG.sha256)), literals(str(KG.recordDigest))
    found = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(str(KG.fileName)), None, None):
        sha256 = hashes.get((q.graph_name, q.subject))
        graph, doc, name = q.graph_name, q.subject, q.object
        if (
            sha256 is not None
            and isinstance(graph, ox.NamedNode)
            and isinstance(doc, ox.NamedNode)
            and isinstance(name, ox.Literal)
        ):
            record = records.get((graph, doc), "")
            found[name.value] = StoredDocument(name.value, graph.value, doc.value, sha256, record)
    return found


def rules_of(store: ox.Store) -> str | None:
    """The digest of the rules the store's documents were read by (None for none)."""
    for q in store.quads_for_pattern(
        None, ox.NamedNode(str(KG.rulesDigest)), None, ox.NamedNode(BUILD_GRAPH)
    ):
        if isinstance(q.object, ox.Literal):
            return q.object.value
    return None


def swap_in(out: Path) -> None:
    """Put the complete new store in place of the previous one: two renames, and a
    stop between them is undone by :func:`recover`."""
    previous, current = _previous_path(out), store_path(out)
    if previous.exists():
        shutil.rmtree(previous)
    if current.exists():
        os.rename(current, previous)
    os.rename(_staging_path(out), current)
    if previous.exists():
        shutil.rmtree(previous)


def require_build(out: Path) -> Path:
    """The store of the build in the folder ``out`` (one stopped between its two
    renames put back first); :class:`StoreError` when there is none."""
    path = store_path(out)
    recover(out)
    if not path.is_dir():
        raise StoreError(f"{out}: no kg build here (no {path}); run 'kg build --out {out}' first")
    return path


def open_store(out: Path) -> ox.Store:
    """Open the store of the build folder ``out``, read-only.

    Raises :class:`StoreError` when there is no build there or the store cannot be
    opened.
    """
    path = require_build(out)
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(
            f"{path}: cannot open the store ({err}); is another kg process writing to it?"
        ) from err


def open_in_memory(out: Path) -> ox.Store:
    """The build's store copied into an in-memory Oxigraph store: about four times
    faster to query than the on-disk store, for a long session or a large graph."""
    memory = ox.Store()
    memory.bulk_extend(list(open_store(out).quads_for_pattern(None, None, None, None)))
    return memory


def replace_graph(
    store: ox.Store, graph: str, quads: Sequence[ox.Quad], held: Path | None = None
) -> None:
    """Make the named graph ``graph`` hold exactly ``quads`` (each in that graph):
    :func:`replace_graph_text` of their text."""
    replace_graph_text(store, graph, [str(q) for q in quads], held)


def replace_graph_text(
    store: ox.Store, graph: str, texts: Iterable[str], held: Path | None = None
) -> None:
    """Make the named graph ``graph`` hold exactly the quads whose N-Quads ``texts``
    are (``str(quad)``, each in that graph): :func:`replace_graph_lines` of them,
    sorted into a file aside."""
    with tempfile.TemporaryDirectory(prefix="kg-") as folder:
        lines = Path(folder) / "graph.nq"
        write_sorted(lines, texts)
        replace_graph_lines(store, graph, lines, held)


def replace_graph_lines(store: ox.Store, graph: str, lines: Path, held: Path | None = None) -> None:
    """Make the named graph ``graph`` hold exactly the quads of the N-Quads file
    ``lines`` (each in that graph, sorted and each once, as :func:`write_sorted`
    writes them), touching only what changed: removing a large graph quad by quad is
    slow in RocksDB, and a build that changed one document changes few of the quads
    made from all of them.

    The file is compared line by line with the graph's text as the store holds it,
    which is read from ``held`` where that is given (its N-Quads as
    :func:`keep_trig` kept them, which :func:`held_text` finds) and otherwise from
    the store, sorted aside. Neither is held in memory: the graph of a dossier's
    links is millions of quads, and what is added is bulk-loaded in batches
    (Oxigraph's bulk loader holds what one load is given)."""
    with tempfile.TemporaryDirectory(prefix=".kg-", dir=lines.parent) as folder:
        if held is None:
            held = Path(folder) / "held.nq"
            write_sorted(
                held, map(str, store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            )
        added, count, gone = Path(folder) / "added.nq", 0, []
        with (
            lines.open(encoding="utf-8") as new,
            held.open(encoding="utf-8") as old,
            added.open("w", encoding="utf-8") as out,
        ):
            for fresh, text in _difference(_texts_of(new), _texts_of(old)):
                if fresh:
                    out.write(text + _LINE_END)
                    count += 1
                    continue
                gone.append(text)
                if len(gone) == _BATCH_QUADS:
                    _remove(store, gone)
        _remove(store, gone)
        if count >= _BULK_QUADS:
            # the bulk loader: faster for many, slower for a few
            with added.open("rb") as source:
                while batch := list(itertools.islice(source, _BATCH_QUADS)):
                    store.bulk_load(input=b"".join(batch), format=ox.RdfFormat.N_QUADS)
        elif count:
            store.extend(ox.parse(path=str(added), format=ox.RdfFormat.N_QUADS))


_BULK_QUADS = 10_000  # from how many added quads replace_graph_lines uses the bulk loader
# quads handled at a time: sorted in memory by write_sorted, given to one bulk load,
# removed at once (100,000 links: a bulk load of about 200 MB, a run of about 60 MB)
_BATCH_QUADS = 100_000


def write_sorted(path: Path, texts: Iterable[str]) -> None:
    """Write the quads whose N-Quads ``texts`` are to ``path``, a line each, in
    :func:`in_export_order` (sorted by that text) and each once, holding at most
    ``_BATCH_QUADS`` of them at a time: runs sorted in memory and written aside,
    then merged. The last run, shorter than the others, is merged from memory: a
    graph of fewer is never written aside."""
    source = iter(texts)
    with tempfile.TemporaryDirectory(prefix=".kg-", dir=path.parent) as folder:
        runs: list[Path] = []
        while len(run := sorted(itertools.islice(source, _BATCH_QUADS))) == _BATCH_QUADS:
            runs.append(Path(folder) / f"{len(runs)}.nq")
            _write_nquads(runs[-1], run)
        with ExitStack() as files:
            opened = [files.enter_context(r.open(encoding="utf-8")) for r in runs]
            merged = heapq.merge(*map(_texts_of, opened), run)
            _write_nquads(path, (text for text, _ in itertools.groupby(merged)))


def _difference(new: Iterator[str], old: Iterator[str]) -> Iterator[tuple[bool, str]]:
    """Of two sorted runs of distinct texts, ``(True, text)`` for each text only in
    ``new`` and ``(False, text)`` for each only in ``old``, in order."""
    a, b = next(new, None), next(old, None)
    while a is not None and b is not None:
        if a < b:
            yield True, a
            a = next(new, None)
        elif b < a:
            yield False, b
            b = next(old, None)
        else:
            a, b = next(new, None), next(old, None)
    if a is not None:
        yield True, a
        yield from ((True, text) for text in new)
    if b is not None:
        yield False, b
        yield from ((False, text) for text in old)


def _remove(store: ox.Store, texts: list[str]) -> None:
    """Remove the quads of these texts from the store, and forget them."""
    if texts:
        for quad in ox.parse(_nquads(texts), format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
        texts.clear()


def _texts_of(lines: Iterable[str]) -> Iterator[str]:
    """The text of each quad of lines of N-Quads (as :func:`_write_nquads` writes them)."""
    return (line.removesuffix(_LINE_END) for line in lines)


_LINE_END = " .\n"  # what a quad's text needs to be a line of N-Quads


def _nquads(texts: Iterable[str]) -> bytes:
    return "".join(text + _LINE_END for text in texts).encode("utf-8")


def load_ontology(store: ox.Store) -> None:
    """Keep the ontology in its own named graph, so queries can use its labels."""
    graph = ox.NamedNode(ONTOLOGY_IRI)
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for path in sorted(ontology_dir().glob("*.ttl"))
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    ]
    replace_graph(store, ONTOLOGY_IRI, quads)


EXPORT_FORMATS = {
    "trig": (ox.RdfFormat.TRIG, "graph.trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "graph.nq"),
    "turtle": (ox.RdfFormat.TURTLE, "graph.ttl"),
    "jsonld": (ox.RdfFormat.JSON_LD, "graph.jsonld"),
}


def export(
    store: ox.Store,
    path: Path,
    fmt: ox.RdfFormat = ox.RdfFormat.TRIG,
    *,
    with_build: bool = False,
) -> None:
    """Write the store to ``path``, sorted, replacing the file atomically.

    The build-activity graph (which holds the build's time) is left out unless
    ``with_build``: the export of the same inputs is then the same bytes.
    TriG, N-Quads and JSON-LD keep each named graph (JSON-LD as a node with an
    ``@id`` and a ``@graph``); Turtle, which has no graphs, gets the distinct triples
    of their union.
    """
    tmp = path.with_name(path.name + ".tmp")
    if fmt in GRAPH_FORMATS:
        # graph by graph in the order of their names, each sorted: the same bytes as
        # sorting the whole store, with one graph in memory at a time
        names: list[GraphName] = [
            g for g in store.named_graphs() if with_build or g != ox.NamedNode(BUILD_GRAPH)
        ]
        names.append(ox.DefaultGraph())
        quads = (q for name in sorted(names, key=str) for q in _graph_quads(store, name))
        ox.serialize(quads, str(tmp), format=fmt, prefixes=SERIALIZATION_PREFIXES)
    else:
        everything = (
            q
            for q in store.quads_for_pattern(None, None, None, None)
            if with_build or q.graph_name != ox.NamedNode(BUILD_GRAPH)
        )
        tmp.write_bytes(serialize(everything, fmt))
    os.replace(tmp, path)


GRAPH_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


def export_trig(store: ox.Store, path: Path, cache: Path, keys: dict[str, str]) -> None:
    """Write the store as TriG to ``path``, the same bytes as :func:`export`, reusing
    the text of every graph whose key is unchanged since the last export.

    ``keys`` give, for the graphs that are wholly decided by it (a document's graph:
    its file's SHA-256 and the rules that read it), a key; such a graph's TriG is kept
    in ``cache`` under its name and key, and written again only when either changes.
    The other graphs (the ontology, the reconciliation) are serialized every time.
    The text of TriG is the prefixes, then one block per graph, so the blocks of the
    graphs in order make the whole export.
    """
    cache.mkdir(parents=True, exist_ok=True)
    header = _trig_header()
    used: set[str] = set()
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        handle.write(header)
        names = [g for g in store.named_graphs() if g != ox.NamedNode(BUILD_GRAPH)]
        for name in sorted(names, key=str):
            key = keys.get(name.value) if isinstance(name, ox.NamedNode) else None
            if key is None:
                handle.write(_trig_block(store, name, header))
                continue
            part = cache / part_name(name.value, key)
            used.update((part.name, _nquads_name(name.value, key)))
            if part.is_file():
                block = part.read_bytes()
            else:
                block = _trig_block(store, name, header)
                write_atomic(part, block)
            handle.write(block)
        if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None):
            handle.write(_trig_block(store, ox.DefaultGraph(), header))  # kg writes none
    os.replace(tmp, path)
    drop_unused(cache, used)


def part_name(graph: str, key: str, suffix: str = ".trig") -> str:
    """The file name of what is kept of one graph under ``key`` (see :func:`graph_keys`)."""
    return hashlib.sha256(f"{graph}\0{key}".encode()).hexdigest()[:40] + suffix


def drop_unused(cache: Path, used: set[str]) -> None:
    """Remove from ``cache`` the parts not named in ``used``: those of a document that
    changed or was dropped, or one left by a build that stopped."""
    for old in cache.iterdir():
        if old.name in used:
            continue
        if old.is_dir():  # a sort's or a load's files, left by a build that was killed
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def kept_parts(
    cache: Path, keys: Mapping[str, str], make: Callable[[str], bytes]
) -> Iterator[bytes]:
    """What is kept in ``cache`` of each graph of ``keys`` (a key for each, as
    :func:`graph_keys` gives them), in the order of the graphs: the part kept under
    the graph's key, else ``make(graph)``, kept for the next build. When every part
    has been given, the parts no key names are dropped."""
    cache.mkdir(parents=True, exist_ok=True)
    used = set()
    for graph, key in sorted(keys.items()):
        part = cache / part_name(graph, key, ".json")
        used.add(part.name)
        if part.is_file():
            yield part.read_bytes()
            continue
        data = make(graph)
        write_atomic(part, data)
        yield data
    drop_unused(cache, used)


def graph_key(sha256: str, rules: str, record: str = "") -> str:
    """The key of a document's graph read from a file with this SHA-256 by these rules,
    with the official record of this digest (:func:`kg.extract.record.record_digest`;
    empty for none)."""
    return f"{sha256} {rules}" + (f" {record}" if record else "")


def graph_keys(documents: Iterable[StoredDocument], rules: str | None) -> dict[str, str]:
    """A key for each document's graph, which is wholly decided by the document's file,
    the rules that read it and the official record it was read with: what is made of
    the graph alone (its TriG, the viewer's data, its query tables) is kept under it
    and reused while it is unchanged. No rules digest (a store of an older kg) gives
    no keys."""
    if rules is None:
        return {}
    return {doc.graph: graph_key(doc.sha256, rules, doc.record) for doc in documents}


GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def _graph_quads(store: ox.Store, name: GraphName) -> list[ox.Quad]:
    """The quads of one graph in the order the exports write them."""
    return in_export_order(store.quads_for_pattern(None, None, None, name))


def in_export_order(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads of one graph sorted as :func:`kg.rdf.sort_key` sorts them, by their
    N-Quads text: within a graph the same order (no term's text is the start of
    another's followed by anything below a space), four times faster."""
    return sorted(quads, key=str)


def keep_trig(cache: Path, graph: str, texts: Iterable[str] | Path) -> str:
    """Keep the TriG of a graph made in this build among the parts that
    :func:`export_trig` reuses, and its quads' N-Quads text beside it for the next
    build's :func:`replace_graph_lines`; returns the key to give it, a digest of its
    TriG. ``texts`` is that text (all in ``graph``, quads the store holds), or a file
    of it as :func:`write_sorted` writes it, which is moved into ``cache``.
    Both are written through files, a line or a chunk at a time: a dossier's graph
    of links is hundreds of megabytes of text."""
    cache.mkdir(parents=True, exist_ok=True)
    lines, whole, block = (staged_part(cache, graph, end) for end in STAGED)
    if isinstance(texts, Path):
        os.replace(texts, lines)
    else:
        write_sorted(lines, texts)  # the next build compares it line by line
    # the lines are the text of quads kg made, which the store checked as they came
    # into it (replace_graph_lines): read again without checking, in half the time
    quads = ox.parse(path=str(lines), format=ox.RdfFormat.N_QUADS, lenient=True)
    ox.serialize(quads, str(whole), ox.RdfFormat.TRIG, prefixes=SERIALIZATION_PREFIXES)
    digest = hashlib.sha256()
    with whole.open("rb") as source, block.open("wb") as target:
        header = _trig_header()
        if source.read(len(header)) not in (header, b""):
            raise AssertionError(f"{whole}: TriG that does not start with kg's prefixes")
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            target.write(chunk)
    whole.unlink()
    key = digest.hexdigest()
    os.replace(block, cache / part_name(graph, key))
    os.replace(lines, cache / _nquads_name(graph, key))
    return key


STAGED = (".nq.tmp", ".trig.tmp", ".block.tmp")  # keep_trig's files before they are named


def staged_part(cache: Path, graph: str, end: str = STAGED[0]) -> Path:
    """Where :func:`keep_trig` stages a file of ``graph`` in ``cache`` before naming it
    (by default its N-Quads, which the graph's maker may write there itself)."""
    return cache / f".{graph.rsplit('/', 1)[-1]}{end}"


def _write_nquads(path: Path, texts: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for text in texts:
            handle.write(text + _LINE_END)


def _nquads_name(graph: str, key: str) -> str:
    return part_name(graph, key, ".nq")


def held_text(store: ox.Store, cache: Path, graph: str) -> Path | None:
    """The N-Quads that :func:`keep_trig` kept of ``graph`` as ``store`` holds it: the
    store's build record names the digest of the graph's text (:func:`build_record`),
    and the file kept under it is that text. None when either is missing (a build
    stopped, an older kg)."""
    for q in store.quads_for_pattern(
        ox.NamedNode(graph), ox.NamedNode(str(KG.textDigest)), None, ox.NamedNode(BUILD_GRAPH)
    ):
        if isinstance(q.object, ox.Literal):
            part = cache / _nquads_name(graph, q.object.value)
            if part.is_file():
                return part
    return None


def _trig_block(store: ox.Store, name: GraphName, header: bytes) -> bytes:
    return _block(_graph_quads(store, name), header)


def _block(quads: Iterable[ox.Quad], header: bytes) -> bytes:
    text = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=SERIALIZATION_PREFIXES)
    if not text:
        return b""  # no graph: TriG writes nothing for it, not even the prefixes
    assert text.startswith(header)
    return text[len(header) :]


def _trig_header() -> bytes:
    """The prefix lines TriG output starts with (those of any graph kg writes)."""
    probe = ox.NamedNode("urn:kg:probe")
    text = ox.serialize(
        [ox.Quad(probe, probe, probe, probe)],
        format=ox.RdfFormat.TRIG,
        prefixes=SERIALIZATION_PREFIXES,
    )
    assert text is not None
    return text[: text.index(b"\n<") + 1]


def export_graphs(store: ox.Store, folder: Path, *, with_build: bool = False) -> list[Path]:
    """Write each named graph of ``store`` as sorted N-Quads into a file of its own in
    ``folder``: a document's at its name plus ``.nq`` ("a/b.txt.nq"), the ontology,
    the reconciliation (and with ``with_build`` the build record) under those names.
    Any SPARQL store can bulk-load the files, several at a time."""
    names = {doc.graph: f"{doc.name}.nq" for doc in stored_documents(store).values()}
    names.update(
        {
            ONTOLOGY_IRI: "ontology.nq",
            RECONCILIATION_GRAPH: "reconciliation.nq",
            CONSOLIDATION_GRAPH: "consolidation.nq",
        }
    )
    if with_build:
        names[BUILD_GRAPH] = "build.nq"
    written = []
    for graph in sorted(store.named_graphs(), key=str):
        if not isinstance(graph, ox.NamedNode) or graph.value not in names:
            continue
        path = folder / names[graph.value]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        ox.serialize(_graph_quads(store, graph), str(tmp), format=ox.RdfFormat.N_QUADS)
        os.replace(tmp, path)
        written.append(path)
    return written


def build_record(
    inputs: Iterable[tuple[str, str]],
    version: str,
    when: dt.datetime,
    rules: str | None = None,
    made: Mapping[str, str] | None = None,
) -> list[ox.Quad]:
    """The build as a PROV activity: the software and version, each input document
    with its SHA-256, the time, the digest of the rules its documents were read
    by (which tells the next build whether they must be read again), and the graphs
    it made from all documents with the digest of their text (:func:`held_text`),
    recorded once.

    ``inputs`` are (document IRI, sha256) pairs; ``made`` gives graph IRI: digest.
    """
    graph = ox.NamedNode(BUILD_GRAPH)
    activity = ox.NamedNode(BUILD_GRAPH)
    agent = ox.NamedNode(f"{ID}software/kg/{version}")

    def quad(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(s, ox.NamedNode(p), o, graph)

    quads = [
        quad(activity, RDF_TYPE, ox.NamedNode(PROV + "Activity")),
        quad(activity, PROV + "wasAssociatedWith", agent),
        quad(agent, RDF_TYPE, ox.NamedNode(PROV + "SoftwareAgent")),
        quad(agent, PREFIXES["rdfs"] + "label", ox.Literal(f"kg {version}")),
        quad(agent, str(KG.softwareVersion), ox.Literal(version)),
        quad(
            activity,
            PROV + "endedAtTime",
            ox.Literal(when.isoformat(timespec="seconds"), datatype=ox.NamedNode(XSD + "dateTime")),
        ),
    ]
    if rules is not None:
        quads.append(quad(activity, str(KG.rulesDigest), ox.Literal(rules)))
    for doc, sha256 in sorted(inputs):
        quads.append(quad(activity, PROV + "used", ox.NamedNode(doc)))
        quads.append(quad(ox.NamedNode(doc), str(KG.sha256), ox.Literal(sha256)))
    for made_graph, digest in sorted((made or {}).items()):
        quads.append(quad(activity, PROV + "generated", ox.NamedNode(made_graph)))
        quads.append(quad(ox.NamedNode(made_graph), RDF_TYPE, ox.NamedNode(PROV + "Entity")))
        quads.append(quad(ox.NamedNode(made_graph), str(KG.textDigest), ox.Literal(digest)))
    return quads


def build_time() -> dt.datetime:
    """When the build ran: SOURCE_DATE_EPOCH where it is set (reproducible builds),
    else now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def open_rdflib(out: Path, backend: str = "oxigraph") -> Dataset:
    """The build as an rdflib Dataset, for code written against rdflib's API.

    ``oxigraph`` opens the on-disk store through oxrdflib (queries run on
    Oxigraph, nothing is loaded); ``memory`` loads the TriG export into rdflib's
    own in-memory store, queried by rdflib's engine. Queries see the union of the
    named graphs as the default graph.
    """
    if backend == "memory":
        trig = out / DEFAULTS["trig_file"]
        if not trig.is_file():
            raise StoreError(f"{out}: no {trig}; run 'kg build --out {out}' first")
        dataset = Dataset(default_union=True)
        dataset.parse(trig, format="trig")
        return dataset
    if backend != "oxigraph":
        raise StoreError(f"unknown store '{backend}': use oxigraph or memory")
    path = store_path(out)
    if not path.is_dir():
        raise StoreError(f"{out}: no kg build here (no {path}); run 'kg build --out {out}' first")
    dataset = Dataset(store="Oxigraph", default_union=True)
    dataset.open(str(path), create=False)
    return dataset
