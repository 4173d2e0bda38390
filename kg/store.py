"""The embedded on-disk store inside a build folder, and its exports.

The store is Oxigraph (pyoxigraph), a RocksDB-backed SPARQL database: it answers
queries an order of magnitude faster than rdflib's own engine. Each document
lives in its own named graph, so replacing one document leaves the others alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.rdf import serialize
from kg.settings import DEFAULTS
from kg.vocab import ONTOLOGY_IRI, ontology_dir


def store_path(out: Path) -> Path:
    return out / DEFAULTS["store_dir"]


def open_store(out: Path, *, create: bool = False) -> ox.Store:
    """Open the store of the build folder ``out``.

    Raises :class:`StoreError` when there is no build there (unless ``create``)
    or the store cannot be opened.
    """
    path = store_path(out)
    if not create and not path.is_dir():
        raise StoreError(f"{out}: no kg build here (no {path}); run 'kg build --out {out}' first")
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(
            f"{path}: cannot open the store ({err}); is another kg process writing to it?"
        ) from err


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


def export(store: ox.Store, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.TRIG) -> None:
    """Write the whole store to ``path``, sorted, replacing the file atomically."""
    data = serialize(store.quads_for_pattern(None, None, None, None), fmt)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
