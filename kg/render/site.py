"""Write the viewer: ``OUT/site/index.html`` with its scripts and styles beside it.

The page is our own template and scripts (``kg/render/templates``, ``kg/render/assets``)
with the data as JSON in a ``<script type="application/json">`` element. Each
document's data is kept in ``OUT/.site-parts`` under its graph's key (the file's
SHA-256 and the rules that read it, as the TriG parts are), so a build reads again
only the data of the documents it read again, and the page is written from the parts
one document at a time. The contribution phases, made from all documents, are read
at the end from the table the build made of them (kg/consolidated.py), or from the
consolidation graph with one query, and hand the page their mentions' ids. The only
third-party code, vis-network, is copied at build time from the installed pyvis
package, which ships it. Nothing on the page points outside its folder, so it works
from ``file://`` and behind ``kg serve`` alike; its Content-Security-Policy allows
nothing else.
"""

from __future__ import annotations

import filecmp
import importlib.util
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import chain
from pathlib import Path
from string import Template

from kg import __version__
from kg.errors import KgError
from kg.files import write_atomic
from kg.query import Source
from kg.render.data import (
    Network,
    PagePart,
    SiteData,
    concepts_of,
    document_graphs,
    document_share,
    document_sources,
    labels_of,
    page_json,
    phases_of,
    read_part,
    read_part_network,
    to_json,
)
from kg.settings import DEFAULTS
from kg.store import (
    drop_unused,
    graph_keys,
    open_store,
    part_name,
    rules_of,
    stored_documents,
)

SITE_DIR = DEFAULTS["site_dir"]  # OUT/site, which kg serve serves at /
# How the page is opened headless by the browser tests and the benchmark: Debian's
# Chromium, with nothing that reaches out of the machine.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)
ASSETS = ("kg-app.js", "kg-charts.js", "kg-network.js", "kg-style.css")
VIS_FILES = ("vis-network.min.js", "vis-network.css")
SITE_CACHE = ".site-parts"  # in the build folder: each document's data for the page
_DATA = "\x00"  # where the data goes in the filled-in template
_VIS_DIR = re.compile(r"^vis-(\d+)\.(\d+)\.(\d+)$")


def site_dir(out: Path) -> Path:
    """The folder of the viewer in the build folder ``out``."""
    return out / SITE_DIR


def _package_folder(name: str) -> Path | None:
    """The folder of an installed package, found without importing it (importing
    pyvis takes half a second); None when it is not installed."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    places = spec.submodule_search_locations if spec is not None else None
    return Path(next(iter(places))) if places else None


def vis_network() -> Traversable:
    """The folder of vis-network inside the installed pyvis package (the newest version
    it ships), holding ``vis-network.min.js`` and ``vis-network.css``.

    Raises :class:`KgError` when pyvis is not installed or ships no vis-network.
    """
    package = _package_folder("pyvis")
    if package is None:
        raise KgError(
            "cannot write the viewer: the pyvis package, which ships vis-network, is not "
            "installed; install kg with its dependencies (pip install -e .)"
        )
    lib = package / "lib"
    found = []
    if lib.is_dir():
        for entry in lib.iterdir():
            match = _VIS_DIR.match(entry.name)
            if match and all(entry.joinpath(name).is_file() for name in VIS_FILES):
                found.append((tuple(int(part) for part in match.groups()), entry))
    if not found:
        raise KgError(
            f"cannot write the viewer: no vis-network ({', '.join(VIS_FILES)}) under {lib}; "
            "reinstall pyvis (pip install --force-reinstall 'pyvis>=0.3.2,<0.4')"
        )
    return max(found, key=lambda pair: pair[0])[1]


def _page(version: str) -> tuple[str, str]:
    """The page's HTML before and after its data."""
    template = resources.files("kg.render").joinpath("templates", "index.html").read_text("utf-8")
    head, tail = Template(template).substitute(data=_DATA, version=version).split(_DATA)
    return head, tail


def render_page(data: SiteData) -> str:
    """The page's HTML: the template with the data and the version filled in."""
    head, tail = _page(data.version)
    return head + to_json(data) + tail


def _write(path: Path, content: bytes) -> None:
    """Write ``content`` unless the file already holds exactly it."""
    if path.is_file() and path.read_bytes() == content:
        return
    path.write_bytes(content)


def _write_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Write the text of ``chunks`` to ``path`` unless the file already holds exactly
    it, without holding it all."""
    staged = path.with_name(path.name + ".tmp")
    with staged.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    if path.is_file() and filecmp.cmp(staged, path, shallow=False):
        staged.unlink()
    else:
        os.replace(staged, path)


def _files(site: Path) -> None:
    """The page's scripts and styles; vis-network first, so that a missing one stops it
    all before anything is written."""
    vis = vis_network()
    site.mkdir(parents=True, exist_ok=True)
    assets = resources.files("kg.render").joinpath("assets")
    for name in ASSETS:
        _write(site / name, assets.joinpath(name).read_bytes())
    for name in VIS_FILES:
        _write(site / name, vis.joinpath(name).read_bytes())


def render_site(data: SiteData, site: Path) -> Path:
    """Write the page for ``data`` into the folder ``site``; returns its index.html.

    The same data gives the same bytes in every file.
    """
    _files(site)
    index = site / "index.html"
    _write(index, render_page(data).encode("utf-8"))
    return index


def write_site(out: Path, source: Source | None = None) -> Path:
    """Write the viewer of the build in ``out`` to ``OUT/site``; returns its index.html.

    With ``source`` (a store or a :class:`kg.remote.Endpoint`) the data is read from
    there instead, and ``out`` needs no build. Raises :class:`StoreError
    <kg.errors.StoreError>` when ``out`` holds no build and no source is given.
    """
    if source is None:
        store = open_store(out)
        keys = graph_keys(stored_documents(store).values(), rules_of(store))
        try:
            return _write_page(store, site_dir(out), out / SITE_CACHE, keys, out)
        finally:
            del store
    with tempfile.TemporaryDirectory(prefix="kg-site-") as scratch:
        return _write_page(source, site_dir(out), Path(scratch), {})


def _write_page(
    source: Source, site: Path, cache: Path, keys: dict[str, str], out: Path | None = None
) -> Path:
    """Write the page of ``source``, keeping each document's data in ``cache`` under
    its graph's key, and reading again only the documents that have none; the phases
    from the tables of the build ``out`` where it is given (:func:`phases_of`)."""
    _files(site)
    cache.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    todo: list[tuple[tuple[str, str], Path]] = []
    for name, graph in document_graphs(source):
        part = cache / part_name(graph, keys.get(graph, ""), ".json")
        files.append(part)
        if graph not in keys or not part.is_file():
            todo.append(((name, graph), part))
    concepts = concepts_of(source)
    sources = document_sources(source, [document for document, _part in todo])
    for (_document, part), (_name, one) in zip(todo, sources, strict=True):
        write_atomic(part, document_share(one, concepts))
    drop_unused(cache, {part.name for part in files})

    def parts() -> Iterator[tuple[PagePart, bytes]]:
        for part in files:
            data = part.read_bytes()
            if data:  # empty: a graph with no one document
                yield read_part(data), data

    # the network and the documents' records are held; facts and sentences are read
    # again, a document at a time, when their turn in the page comes
    network = Network(concepts)
    documents = []
    for piece, data in parts():
        network.merge(*read_part_network(data))
        documents.append(piece.document)
    all_nodes, all_edges = network.result()
    head, tail = _page(__version__)
    chunks = page_json(
        concepts,
        documents,
        all_edges,
        (piece.facts for piece, _data in parts()),
        all_nodes,
        ((piece.doc, piece.sentences) for piece, _data in parts() if piece.facts),
        __version__,
        # the phases are made from all documents (the consolidation graph): read whole,
        # each with its mentions' ids, never their sentences
        phases_of(source, labels_of(concepts), out),
    )
    index = site / "index.html"
    _write_chunks(index, chain([head], chunks, [tail]))
    return index
