"""The one place that knows the order of the stages and runs them.

ingest -> normalize -> extract -> rdf -> store. :func:`process` is pure: one
:class:`SourceDoc` in, one :class:`DocResult` out. :func:`build` reads the
inputs, processes each document on its own (a bad file is rejected with its
reason and the others go on), then writes every good document's named graph
into the store and exports the whole store as TriG.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import NamedTuple, TypeVar

import pyoxigraph as ox

from kg import __version__
from kg.consolidate import (
    CONSOLIDATION_GRAPH,
    Consolidated,
    mentions_json,
    mentions_of,
    write_consolidation,
)
from kg.consolidated import link_digests, write_consolidated
from kg.errors import InputError, KgError
from kg.extract.events import extract_events, extract_periods
from kg.extract.missions import Carried, build_context, document_context, settle
from kg.extract.money import extract_budgets, year_after
from kg.extract.plausibility import plausible
from kg.extract.quantities import extract_personnel
from kg.extract.record import merged, read_metadata, record_digest
from kg.extract.timing import (
    anchor_of,
    part_times,
    reference_day,
    reporting_period,
    sentence_times,
    with_valid_time,
)
from kg.fetch.manifest import MANIFEST, manifest_records
from kg.files import file_sha256, write_atomic
from kg.ingest import Rejection, find_inputs, read_document
from kg.linked import LINKED_CACHE, describe, write_linked
from kg.model import (
    BlockKind,
    Budget,
    DocResult,
    DocType,
    Event,
    NormDoc,
    Period,
    Personnel,
    Sentence,
    SourceDoc,
    SourceRecord,
)
from kg.nlp import Part, make_doc
from kg.normalize import normalize, part_of, text_parts
from kg.rdf import document_quads, graph_iri, serialize
from kg.reconcile import Match, document_figures, figures_json, write_reconciliation
from kg.render import write_site
from kg.render.data import Concept, concepts_of, document_share, viewer_query
from kg.render.site import SITE_CACHE
from kg.settings import DEFAULTS
from kg.store import (
    BUILD_GRAPH,
    RECONCILIATION_GRAPH,
    StoredDocument,
    build_lock,
    build_record,
    build_time,
    discard_staged,
    drop_unused,
    export_trig,
    graph_key,
    graph_keys,
    held_text,
    keep_trig,
    load_ontology,
    part_name,
    remove_graphs,
    replace_graph,
    rules_of,
    stage_store,
    staged_part,
    stored_documents,
    swap_in,
)
from kg.tables import (
    TABLES,
    TABLES_CACHE,
    VIEWER_PHASES,
    Linked,
    document_tables,
    part_file,
    previous_index,
    tidy,
    write_index,
)
from kg.vocab import ontology_dir

Progress = Callable[[int, int, str], None]  # documents read, to read, the last one's name
Phase = Callable[[str], None]  # a stage after the reading begins: "reconciliation", ...
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Built:
    """What a build keeps of a document it read: its name and size. The facts went
    into the store, so a report does not grow with what the documents say."""

    name: str
    sentences: int
    facts: int  # personnel figures, amounts, events and periods


@dataclass(slots=True)
class BuildReport:
    """What a build did: the documents read, kept, dropped and rejected, warnings."""

    out: Path
    built: list[Built] = field(default_factory=list)  # read in this build
    kept: list[str] = field(default_factory=list)  # unchanged: the last build's graph kept
    dropped: list[str] = field(default_factory=list)  # in the last build, not among the inputs
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should know of the build
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def process(source: SourceDoc) -> DocResult:
    """Run the text stages on one document.

    A document longer than the setting ``part_chars`` is read in parts of whole
    paragraphs, each with a Doc of its own, so that memory grows with the part and
    not with the document; what the whole document says (its date and times, the
    theatres and the mission it is about, its questions) is read first, and what a
    paragraph hands the next (headings, lists, the year of amounts) is carried from
    part to part, so the facts are those of the document read whole.

    >>> from kg.ingest import parse_bytes
    >>> raw = b"Den Haag, 14 september 2018\\n\\nNederland levert 50 militairen."
    >>> doc = parse_bytes(raw, "text/plain", "a.txt")
    >>> result = process(doc)
    >>> result.meta.date.iso, [s.text for s in result.sentences]
    ('2018-09-14', ['Den Haag, 14 september 2018', 'Nederland levert 50 militairen.'])
    """
    norm = normalize(source)
    meta, own, stated = read_metadata(norm, source.record, source.name)
    parts = _parts(norm)
    found = sentence_times(norm, meta, own)
    anchor = anchor_of(meta)
    document = document_context(meta, parts, reference_day(anchor, found))
    period = (
        reporting_period(norm, found, norm.sentences)
        if meta.doc_type.value == DocType.VOORTGANG
        else None
    )

    day = anchor.isoformat() if anchor is not None else None
    figures: list[Personnel] = []
    amounts: list[Budget] = []
    happened: list[Event] = []
    spans: list[Period] = []
    carried, year = Carried(), None
    for part in parts():
        context = build_context(part, meta, document, carried)
        questions = {start: number for start, (number, _) in context.question.items()}
        times = part_times(found, part.start, part.norm.sentences)
        figures += extract_personnel(part.norm, part.doc, context)
        amounts += extract_budgets(part.norm, meta, part.doc, questions, year)
        year = year_after(part.norm, meta, part.doc, year)
        happened += extract_events(part.norm, part.doc, context, times, day)
        spans += extract_periods(part.norm, part.doc, context, times, day)
    figures, amounts, implausible = plausible(figures, amounts, source.text)
    now = meta.date.iso if meta.date is not None else None
    personnel = tuple(settle(with_valid_time(f, norm, found, period, now), day) for f in figures)
    budgets = tuple(settle(with_valid_time(f, norm, found, period, now), day) for f in amounts)
    warnings = (
        source.warnings
        + stated
        + tuple(
            f"{source.name}: '{p.text}' is not a date ({p.reason}); it is not stored"
            for p in found.problems
        )
        + tuple(figure.message(source.name) for figure in implausible)
    )
    sentences = tuple(Sentence(*_original(norm, start, end)) for start, end in norm.sentences)
    footnotes = tuple(
        (block.number or 0, norm.span(block.start, block.end))
        for block in norm.blocks
        if block.kind == BlockKind.FOOTNOTE
    )
    repeats = tuple(norm.span(b.start, b.end) for b in norm.blocks if b.kind == BlockKind.REPEAT)
    return DocResult(
        source,
        meta,
        sentences,
        footnotes,
        repeats,
        personnel,
        budgets,
        tuple(happened),
        tuple(spans),
        tuple(sorted(document.asked.items())),
        warnings,
    )


def _parts(norm: NormDoc) -> Callable[[], Iterable[Part]]:
    """The document's parts, each read with a Doc of its own, anew each time they are
    asked for (a Doc of every part at once would hold the whole document); a document
    no longer than one part (``part_chars``) is one part, its Doc made once."""
    size = int(DEFAULTS["part_chars"])
    if len(norm.text) <= size:
        whole = (Part(norm, make_doc(norm)),)
        return lambda: whole
    bounds = text_parts(norm, size)

    def read() -> Iterator[Part]:
        tokens = 0
        for start, end in bounds:
            text = part_of(norm, start, end)
            doc = make_doc(text)
            yield Part(text, doc, start, tokens)
            tokens += len(doc)

    return read


def _original(norm: NormDoc, start: int, end: int) -> tuple[int, int, str]:
    span = norm.span(start, end)
    return span.start, span.end, span.text


def build(
    inputs: Iterable[Path],
    out: Path,
    *,
    clean: bool = False,
    progress: Progress | None = None,
    debug: bool = False,
    jobs: int = 1,
    phase: Phase | None = None,
    cluster: str | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into the build folder ``out``.

    The build holds the documents of ``inputs``. A document whose file is unchanged
    since the last build into ``out`` (the same SHA-256, read by the same rules)
    keeps its graph and is not read again; a new or changed one is read and its graph
    replaces the old; a document of the last build that is no longer among the
    inputs is dropped; one that can no longer be read keeps its graph of the last
    build. ``clean`` reads every document again. With ``jobs`` above 1 documents are
    read in that many processes; with ``cluster`` (a Dask scheduler's address, or
    "local" for a Dask cluster of ``jobs`` workers on this machine) on Dask's workers.
    Each document's graph goes into the store as it comes, in input order, so memory
    does not grow with the number of documents and the graph is the same bytes
    whatever the number of processes.
    """
    report = BuildReport(out)
    found, report.rejected = find_inputs(inputs)
    if not found:
        return report  # nothing readable: the build folder is left as it was
    files = _with_records(found, report)
    existed = out.exists()
    tables: str | None = None
    try:
        with build_lock(out):
            trig = out / DEFAULTS["trig_file"]
            staged = trig.with_name(trig.name + ".building")
            try:
                tables = _stage(
                    out, files, report, staged, clean, progress, debug, jobs, phase, cluster
                )
            except BaseException:
                staged.unlink(missing_ok=True)
                discard_staged(out)  # a failed build leaves the previous one as it was
                raise
            if tables is None:
                discard_staged(out)
                return report  # nothing changed, or nothing could be read: the build stays
            swap_in(out)
            os.replace(staged, trig)
            tidy(out / TABLES_CACHE, tables)
            _timed(report, "viewer", phase, lambda: write_site(out))
    finally:
        if not existed and tables is None:  # a folder this build made, with no build in it
            shutil.rmtree(out, ignore_errors=True)
    return report


def _stage(
    out: Path,
    files: list[Input],
    report: BuildReport,
    trig: Path,
    clean: bool,
    progress: Progress | None,
    debug: bool,
    jobs: int,
    phase: Phase | None,
    cluster: str | None,
) -> str | None:
    """Write the new store beside the build's and its export to ``trig``, and give the
    digest of its query tables' index (:mod:`kg.tables`); None where nothing changed
    or nothing could be read, so the previous build stays."""
    started = time.perf_counter()
    rules = rules_digest()
    store = stage_store(out, fresh=clean)
    earlier = rules_of(store)
    if earlier not in (None, rules):
        report.notes.append("kg has changed since the last build: every document is read again")
    # with other rules every document is read again, and still replaces its graph of
    # the last build (or is dropped with it): a graph is never the old one and the new
    stored = stored_documents(store)
    todo = _plan(files, stored, report, reuse=earlier == rules)
    if not todo and not report.dropped:
        return None  # nothing changed since the last build
    remove_graphs(store, [stored[name].graph for name in report.dropped])
    loader = _Loader(store)
    for folder in (FIGURES_CACHE, SITE_CACHE, CONSOLIDATION_CACHE, TABLES_CACHE, LINKED_CACHE):
        (out / folder).mkdir(exist_ok=True)
    for n, (item, found) in enumerate(
        zip(todo, _extract_on(cluster, todo, debug, jobs), strict=True), start=1
    ):
        name = item.name
        if progress is not None:
            progress(n, len(todo), name)
        if isinstance(found, Rejection):
            report.rejected.append(found)
            if name in stored:
                report.warnings.append(
                    f"{name}: cannot be read now; its graph of the last build is kept"
                )
            continue
        loader.add(stored[name].graph if name in stored else None, found.nquads)
        key = graph_key(found.sha256, rules, record_digest(item.record))
        for folder, data in (
            (FIGURES_CACHE, found.figures),
            (SITE_CACHE, found.site),
            (CONSOLIDATION_CACHE, found.mentions),
            (LINKED_CACHE, found.described),
        ):
            write_atomic(out / folder / part_name(found.graph, key, ".json"), data)
        write_atomic(out / TABLES_CACHE / part_file(found.graph, key), found.tables)
        report.built.append(found.built)
        report.warnings.extend(found.warnings)
    loader.flush()
    if not report.built and (not report.kept or not report.dropped):
        report.dropped = []
        return None  # no readable input, or nothing changed
    report.timings["read"] = time.perf_counter() - started
    return _complete(store, rules, trig, report, phase)


def _timed(report: BuildReport, name: str, phase: Phase | None, action: Callable[[], T]) -> T:
    """What ``action`` gives, its time kept as the stage ``name``'s."""
    if phase is not None:
        phase(name)
    began = time.perf_counter()
    found = action()
    report.timings[name] = time.perf_counter() - began
    return found


class Input(NamedTuple):
    """A document to read: the name it is known by, its file, and the official record
    the folder's manifest keeps of it (``kg fetch``), if any."""

    name: str
    path: Path
    record: SourceRecord | None = None
    sha256: str | None = None  # the file's, where the build has hashed it already


TRIG_CACHE = ".trig-parts"  # in the build folder: the TriG of each document's graph
FIGURES_CACHE = ".figures-parts"  # and the personnel figures the reconciliation compares
CONSOLIDATION_CACHE = ".consolidation-parts"  # and the mentions the consolidation joins

BATCH_BYTES = 16_000_000  # N-Quads put into the store with one bulk load


def _plan(
    files: list[Input],
    stored: dict[str, StoredDocument],
    report: BuildReport,
    reuse: bool = True,
) -> list[Input]:
    """The documents to read: the new and the changed ones (a changed file or a
    changed official record), and with ``reuse`` False (other rules than the last
    build's) all of them. The unchanged are noted as kept, the documents of the last
    build that are not among ``files`` as dropped."""
    todo = []
    for item in files:
        known = stored.get(item.name) if reuse else None
        if (
            known is not None
            and known.sha256 == (item.sha256 or file_sha256(item.path))
            and known.record == record_digest(item.record)
        ):
            report.kept.append(item.name)
        else:
            todo.append(item)
    names = {item.name for item in files}
    report.dropped = sorted(name for name in stored if name not in names)
    return todo


def _with_records(found: list[tuple[str, Path]], report: BuildReport) -> list[Input]:
    """The documents found, each with the record a manifest keeps of it (``kg fetch``):
    that of the nearest folder between its own and the input folder it was found in
    whose manifest names it, where the file is still the one fetched; a file changed
    since is read without the record, and the build says so."""
    manifests: dict[Path, dict[str, tuple[str, SourceRecord]]] = {}

    def manifest(folder: Path) -> dict[str, tuple[str, SourceRecord]]:
        if folder not in manifests:
            try:
                manifests[folder] = manifest_records(folder)
            except KgError as err:
                report.warnings.append(f"{err}; its documents are read without their records")
                manifests[folder] = {}
        return manifests[folder]

    files = []
    for name, path in found:
        depth = len(Path(name).parts)  # the name is the path below the input folder
        folders = [path.parents[up] for up in range(depth)]
        kept = next(
            (
                record
                for folder in folders
                if (record := manifest(folder).get(path.relative_to(folder).as_posix()))
            ),
            None,
        )
        if kept is None:
            files.append(Input(name, path))
            continue
        sha256 = file_sha256(path)
        if sha256 != kept[0]:
            report.warnings.append(
                f"{name}: changed since it was fetched (its SHA-256 is not the one in "
                f"{MANIFEST}); it is read without the official record"
            )
            files.append(Input(name, path, None, sha256))
        else:
            files.append(Input(name, path, kept[1], sha256))
    return files


@dataclass(frozen=True, slots=True)
class Extracted:
    """One document read: its summary, its warnings and its graph as N-Quads (what a
    worker process sends back: small, and quick to load into the store), with what
    the reconciliation, the consolidation and the viewer keep of the graph, made while
    it is at hand."""

    built: Built
    warnings: tuple[str, ...]
    nquads: bytes
    graph: str
    sha256: str
    figures: bytes  # kg.reconcile.figures_json
    site: bytes  # kg.render.data.document_share
    mentions: bytes  # kg.consolidate.mentions_json
    tables: bytes  # kg.tables.document_tables
    described: bytes  # kg.linked.describe


def extract_document(
    item: Input, debug: bool = False, data: bytes | None = None
) -> Extracted | Rejection:
    """One document's graph, or why it was rejected (run in a worker process too).
    ``data`` are the file's bytes where the worker cannot read the file itself. The
    item's official record takes precedence over the metadata block the file
    carries, which takes precedence over what the text suggests."""
    name, path, record = item.name, item.path, item.record
    try:
        source = read_document(path, name, data)
        if record is not None:
            source = replace(source, record=merged(record, source.record))
        return extracted(process(source), record_digest(record))
    except InputError as err:
        return Rejection(err.path, err.reason)
    except KgError as err:
        return Rejection(str(path), str(err))
    except Exception as err:  # a bug must not cost the other documents
        if debug:
            raise
        reason = f"internal error ({type(err).__name__}: {err}); rerun with --debug and report it"
        return Rejection(str(path), reason)


def extracted(result: DocResult, record: str = "") -> Extracted:
    """A document's result as what the build keeps of it; ``record`` is the digest
    of the official record it was read with (:func:`kg.extract.record.record_digest`)."""
    facts = len(result.personnel) + len(result.budgets) + len(result.events) + len(result.periods)
    summary = Built(result.source.name, len(result.sentences), facts)
    quads = document_quads(result, record)
    nquads = serialize(quads, ox.RdfFormat.N_QUADS)
    graph = graph_iri(result.source.name)
    shares = _shares(graph, quads)
    return Extracted(summary, result.warnings, nquads, graph, result.source.sha256, *shares)


def _tables_from(store: ox.Store) -> Callable[[str], bytes]:
    """What :func:`kg.tables.document_tables` makes of a document's graph in ``store``."""

    def make(graph: str) -> bytes:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        with _scratch_with(graph, quads) as (scratch, _):
            return document_tables(scratch)

    return make


@lru_cache(maxsize=1)
def _scratch() -> tuple[ox.Store, tuple[Concept, ...]]:
    """A store in memory holding the ontology, and its concepts."""
    store = ox.Store()
    load_ontology(store)
    return store, concepts_of(store)


@contextmanager
def _scratch_with(
    graph: str, quads: Iterable[ox.Quad]
) -> Iterator[tuple[ox.Store, tuple[Concept, ...]]]:
    """The store of :func:`_scratch` holding one document's graph while in use."""
    store, concepts = _scratch()
    store.extend(quads)
    try:
        yield store, concepts
    finally:
        store.remove_graph(ox.NamedNode(graph))


def _shares(graph: str, quads: list[ox.Quad]) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """What the reconciliation, the viewer, the consolidation and the query tables keep
    of a document's graph, read from its quads with the ontology as they would read
    them from the store."""
    with _scratch_with(graph, quads) as (store, concepts):
        found = document_figures(store)
        read = mentions_of(store, [graph])
        share, tables = document_share(store, concepts), document_tables(store)
        # the figures the reconciliation pairs, the mentions and figures the consolidation
        # joins (kg.linked.PAIRS, MENTIONS, FIGURES)
        mentions = [m.iri for m in read.periods] + [e.iri for e in read.events]
        figures = [f.iri for f in read.figures]
        described = describe(store, [[f.iri for f in found], mentions, figures])
        return figures_json(found), share, mentions_json(read), tables, described


def _extract_on(
    cluster: str | None, todo: list[Input], debug: bool, jobs: int
) -> Iterator[Extracted | Rejection]:
    if cluster is None:
        return _extract(todo, debug, jobs)
    from kg.cluster import extract_on_dask  # Dask is an optional extra

    return extract_on_dask(cluster, todo, debug, jobs)


def _extract(todo: list[Input], debug: bool, jobs: int) -> Iterator[Extracted | Rejection]:
    """The documents read in input order; with several processes at most a few per
    process are under way, so results never pile up in memory, and each process reads
    at most ``worker_documents`` of them before a fresh pool takes over: a worker's
    memory grows with what it has read. (The pool is replaced whole, not through
    ``max_tasks_per_child``, which can hang Python 3.11's pool for good: CPython
    issue 115634.)"""
    workers = min(jobs, len(todo))
    if workers <= 1:
        yield from (extract_document(item, debug) for item in todo)
        return
    span = workers * int(DEFAULTS["worker_documents"])
    for first in range(0, len(todo), span):
        yield from _extract_in_pool(todo[first : first + span], debug, workers)


def _extract_in_pool(
    todo: list[Input], debug: bool, workers: int
) -> Iterator[Extracted | Rejection]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        items = iter(todo)
        pending = deque(
            pool.submit(extract_document, item, debug) for item in islice(items, 4 * workers)
        )
        while pending:
            done = pending.popleft().result()
            for item in islice(items, 1):
                pending.append(pool.submit(extract_document, item, debug))
            yield done


class _Loader:
    """Puts documents' graphs into the store with Oxigraph's bulk loader, a batch of
    about :data:`BATCH_BYTES` at a time (no manual flush: a RocksDB flush forced
    after many writes could wait for ever)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.batch: list[bytes] = []
        self.size = 0

    def add(self, replaces: str | None, nquads: bytes) -> None:
        if replaces is not None:
            remove_graphs(self.store, [replaces])
        self.batch.append(nquads)
        self.size += len(nquads)
        if self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.store.bulk_load(input=b"".join(self.batch), format=ox.RdfFormat.N_QUADS)
        self.batch, self.size = [], 0


def _complete(
    store: ox.Store, rules: str, trig: Path, report: BuildReport, phase: Phase | None
) -> str:
    """The graphs made from all documents, the index of the query tables (its digest
    is given), then the export of the whole store."""

    load_ontology(store)
    # every document in the store, with the hash of the file it was read from
    documents = stored_documents(store).values()
    # a document's graph is decided by its file and the rules: what is made of it alone
    # (its figures for the reconciliation, its TriG) is kept and reused under this key
    own = graph_keys(documents, rules)
    made: dict[str, str] = {}  # and the graphs made from all documents, under a digest
    out = trig.parent
    figures = out / FIGURES_CACHE
    trig_parts = out / TRIG_CACHE

    def reconciliation() -> list[Match]:
        # the figures of all documents in the store, compared; the graph's TriG is
        # kept while its quads are at hand, and its text for the next build
        held = held_text(store, trig_parts, RECONCILIATION_GRAPH)
        trig_parts.mkdir(parents=True, exist_ok=True)
        links = staged_part(trig_parts, RECONCILIATION_GRAPH)
        matches = write_reconciliation(store, links, figures, own, held)
        made[RECONCILIATION_GRAPH] = keep_trig(trig_parts, RECONCILIATION_GRAPH, links)
        return matches

    matches = _timed(report, "reconciliation", phase, reconciliation)
    tables = out / TABLES_CACHE
    tables.mkdir(exist_ok=True)
    previous = previous_index(tables, store)

    keys = {d.iri: own[d.graph] for d in documents}

    # each document's figures and mentions as its worker described them (kg.linked)
    described = {
        d.iri: out / LINKED_CACHE / part_name(d.graph, own[d.graph], ".json") for d in documents
    }
    drop_unused(out / LINKED_CACHE, {path.name for path in described.values()})

    def pairs() -> tuple[dict[str, Linked], dict[str, int]]:
        # the tables of the reconciliation's pairs, block by block (kg.linked), made
        # while its matches are at hand (and the digest of each figure's links, for the
        # tables of the strength steps)
        linked = write_linked(tables, store, matches, keys, previous, described)
        return linked, link_digests(matches)

    linked, figure_links = _timed(report, "pairs", phase, pairs)
    matches.clear()  # a dossier's links are many, each with its two figures
    give_back_memory()

    def consolidation() -> Consolidated:
        # phases and strength steps from the mentions of all documents (kg.consolidate),
        # each document's mentions kept under its key, like the figures
        held = held_text(store, trig_parts, CONSOLIDATION_GRAPH)
        lines = staged_part(trig_parts, CONSOLIDATION_GRAPH)
        found = write_consolidation(store, lines, out / CONSOLIDATION_CACHE, own, held)
        made[CONSOLIDATION_GRAPH] = keep_trig(trig_parts, CONSOLIDATION_GRAPH, lines)
        return found

    consolidated = _timed(report, "consolidation", phase, consolidation)
    # the tables of the consolidation's phases and steps, block by block
    # (kg.consolidated), made while they are at hand
    # (and of the viewer's phases, which it reads from there)
    story = partial(
        write_consolidated,
        tables,
        store,
        consolidated,
        keys,
        figure_links,
        previous,
        described,
        {VIEWER_PHASES: viewer_query("phases")},
    )
    linked |= _timed(report, "story", phase, story)
    del consolidated, figure_links
    give_back_memory()
    # the index of the documents' query tables (a part that is missing is made from the
    # document's graph in the store)
    parts = [(d.name, part_file(d.graph, own[d.graph]), d.graph) for d in documents]
    index = _timed(
        report,
        "tables",
        phase,
        lambda: write_index(tables, parts, previous, _tables_from(store), linked),
    )
    record = build_record(
        [(d.iri, d.sha256) for d in documents],
        __version__,
        build_time(),
        rules,
        made | {TABLES: index},
    )
    replace_graph(store, BUILD_GRAPH, record)
    _timed(report, "export", phase, lambda: export_trig(store, trig, trig_parts, own | made))
    return index


def give_back_memory() -> None:
    """Return to the system the memory a stage has let go of: glibc's allocator keeps
    freed memory for the process (the stages after it would stand on it), where
    ``malloc_trim`` gives it back. Elsewhere nothing is done."""
    gc.collect()
    with suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rules_digest() -> str:
    """A digest of what turns a file into its graph: kg's code and data, the ontology
    and the tokenizer's version. A document is read again when it differs from the
    last build's."""
    import spacy

    digest = hashlib.sha256(f"kg {__version__} spacy {spacy.__version__}".encode())
    package = Path(__file__).parent
    files = {
        f"kg/{p.relative_to(package).as_posix()}": p
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    files.update({f"ontology/{p.name}": p for p in ontology_dir().glob("*.ttl")})
    for label, path in sorted(files.items()):
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
