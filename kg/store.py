"""The embedded on-disk store inside a build folder, and its exports.

The store is Oxigraph (pyoxigraph), a RocksDB-backed SPARQL database: it answers
queries an order of magnitude faster than rdflib's own engine. Each document
lives in its own named graph, so replacing one document leaves the others alone.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import StoreError
from kg.rdf import serialize
from kg.settings import DEFAULTS
from kg.vocab import ID, KG, ONTOLOGY_IRI, PREFIXES, ontology_dir

BUILD_GRAPH = f"{ID}build"
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


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the build folder ``out`` for one build: a second build into it is refused
    at once with the process number of the first (:class:`StoreError`)."""
    out.mkdir(parents=True, exist_ok=True)
    handle = (out / LOCK_FILE).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "unknown"
        handle.close()
        raise StoreError(
            f"{out}: another kg build (process {other}) is writing here; wait until it has "
            "finished, or build into another folder with --out"
        ) from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def new_store(out: Path, drop: Iterable[str] | None = None) -> ox.Store:
    """A fresh store beside the build's one, to be put in place by :func:`swap_in` once
    it is complete, so that a build stopped at any moment leaves the previous one
    whole. With ``drop`` given, the previous store's named graphs but those are copied
    in with Oxigraph's bulk loader; with None, nothing is."""
    staging = _staging_path(out)
    if staging.exists():
        shutil.rmtree(staging)  # what a stopped build left
    recover(out)
    store = ox.Store(str(staging))
    previous = store_path(out)
    if drop is not None and previous.is_dir():
        unwanted = set(drop)
        old = ox.Store.read_only(str(previous))
        store.bulk_extend(
            q
            for q in old.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in unwanted
        )
        del old
    return store


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


def open_store(out: Path) -> ox.Store:
    """Open the store of the build folder ``out``, read-only.

    Raises :class:`StoreError` when there is no build there or the store cannot be
    opened.
    """
    path = store_path(out)
    recover(out)
    if not path.is_dir():
        raise StoreError(f"{out}: no kg build here (no {path}); run 'kg build --out {out}' first")
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


def replace_graph(store: ox.Store, graph: str, quads: Iterable[ox.Quad]) -> None:
    """Put ``quads`` in the named graph ``graph``, dropping what it held before."""
    name = ox.NamedNode(graph)
    if store.contains_named_graph(name):
        store.remove_graph(name)
    store.extend(quads)


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
    Turtle, which has no graphs, gets the union of all graphs.
    """
    quads = (
        q
        for q in store.quads_for_pattern(None, None, None, None)
        if with_build or q.graph_name != ox.NamedNode(BUILD_GRAPH)
    )
    data = serialize(quads, fmt)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_record(
    inputs: Iterable[tuple[str, str]], version: str, when: dt.datetime
) -> list[ox.Quad]:
    """The build as a PROV activity: the software and version, each input document
    with its SHA-256, and the time, recorded once.

    ``inputs`` are (document IRI, sha256) pairs.
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
    for doc, sha256 in sorted(inputs):
        quads.append(quad(activity, PROV + "used", ox.NamedNode(doc)))
        quads.append(quad(ox.NamedNode(doc), str(KG.sha256), ox.Literal(sha256)))
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
