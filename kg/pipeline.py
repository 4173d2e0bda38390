"""The one place that knows the order of the stages and runs them.

ingest -> normalize -> extract -> rdf -> store. :func:`process` is pure: one
:class:`SourceDoc` in, one :class:`DocResult` out. :func:`build` reads the
inputs, processes each document on its own (a bad file is rejected with its
reason and the others go on), then writes every good document's named graph
into the store and exports the whole store as TriG.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.errors import InputError, KgError
from kg.extract.events import extract_events, extract_periods
from kg.extract.metadata import extract_metadata
from kg.extract.missions import build_context, question_missions, settle
from kg.extract.money import extract_budgets
from kg.extract.quantities import extract_personnel
from kg.extract.timing import (
    anchor_of,
    reference_day,
    reporting_period,
    sentence_times,
    with_valid_time,
)
from kg.ingest import Rejection, find_inputs, read_document
from kg.model import (
    BlockKind,
    DocResult,
    DocType,
    NormDoc,
    Sentence,
    SourceDoc,
)
from kg.nlp import make_doc
from kg.normalize import normalize
from kg.rdf import document_quads, graph_iri
from kg.reconcile import RECONCILIATION_GRAPH, write_reconciliation
from kg.render import write_site
from kg.settings import DEFAULTS
from kg.store import (
    BUILD_GRAPH,
    build_lock,
    build_record,
    build_time,
    export,
    load_ontology,
    new_store,
    replace_graph,
    swap_in,
)
from kg.vocab import KG, ONTOLOGY_IRI

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class BuildReport:
    """What a build did: the documents built, the inputs rejected, warnings."""

    out: Path
    built: list[DocResult] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def process(source: SourceDoc) -> DocResult:
    """Run the text stages on one document.

    >>> from kg.ingest import parse_bytes
    >>> raw = b"Den Haag, 14 september 2018\\n\\nNederland levert 50 militairen."
    >>> doc = parse_bytes(raw, "text/plain", "a.txt")
    >>> result = process(doc)
    >>> result.meta.date.iso, [s.text for s in result.sentences]
    ('2018-09-14', ['Den Haag, 14 september 2018', 'Nederland levert 50 militairen.'])
    """
    norm = normalize(source)
    meta = extract_metadata(norm)
    doc = make_doc(norm)
    found = sentence_times(norm, meta)
    anchor = anchor_of(meta)
    context = build_context(norm, meta, doc, reference_day(anchor, found))
    questions = {start: number for start, (number, _) in context.question.items()}
    period = (
        reporting_period(norm, found, norm.sentences)
        if meta.doc_type.value == DocType.VOORTGANG
        else None
    )

    day = anchor.isoformat() if anchor is not None else None
    personnel = tuple(
        settle(with_valid_time(f, norm, found, period, anchor), day)
        for f in extract_personnel(norm, doc, context)
    )
    budgets = tuple(
        settle(with_valid_time(f, norm, found, period, anchor), day)
        for f in extract_budgets(norm, meta, doc, questions)
    )
    events = tuple(extract_events(norm, doc, context, found, day))
    periods = tuple(extract_periods(norm, doc, context, found, day))
    warnings = source.warnings + tuple(
        f"{source.name}: '{p.text}' is not a date ({p.reason}); it is not stored"
        for p in found.problems
    )
    sentences = tuple(Sentence(*_original(norm, start, end)) for start, end in norm.sentences)
    footnotes = tuple(
        (block.number or 0, norm.span(block.start, block.end))
        for block in norm.blocks
        if block.kind == BlockKind.FOOTNOTE
    )
    repeats = tuple(norm.span(b.start, b.end) for b in norm.blocks if b.kind == BlockKind.REPEAT)
    asked = tuple(sorted(question_missions(norm, meta, doc).items()))
    return DocResult(
        source,
        meta,
        sentences,
        footnotes,
        repeats,
        personnel,
        budgets,
        events,
        periods,
        asked,
        warnings,
    )


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
) -> BuildReport:
    """Build the graph of ``inputs`` into the build folder ``out``.

    Each good document replaces its own named graph in the store; documents
    already in the store from earlier builds stay unless ``clean`` is set. With
    ``jobs`` above 1 the documents are read in that many processes; the results
    are taken in input order, so the graph is the same bytes as with one.
    """
    report = BuildReport(out)
    files, report.rejected = find_inputs(inputs)
    if not files:
        return report  # nothing readable: the build folder is left as it was
    with build_lock(out):
        _extract_all(files, report, progress, debug, jobs)
        if not report.built:
            return report  # no document built: the previous build stays as it was
        _write_store(out, report.built, clean)
        write_site(out)
    return report


def _extract_all(
    files: list[tuple[str, Path]],
    report: BuildReport,
    progress: Progress | None,
    debug: bool,
    jobs: int = 1,
) -> None:
    workers = min(jobs, len(files))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = pool.map(_extract_one, files, [debug] * len(files))
            _collect(files, done, report, progress)
    else:
        _collect(files, (_extract_one(item, debug) for item in files), report, progress)


def _collect(
    files: list[tuple[str, Path]],
    done: Iterable[DocResult | Rejection],
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """The results in input order into the report, with progress after each."""
    for n, ((name, _path), result) in enumerate(zip(files, done, strict=True), start=1):
        if progress is not None:
            progress(n, len(files), name)
        if isinstance(result, Rejection):
            report.rejected.append(result)
            continue
        report.built.append(result)
        report.warnings.extend(result.warnings)


def _extract_one(item: tuple[str, Path], debug: bool) -> DocResult | Rejection:
    """One document's result, or why it was rejected (run in a worker process too)."""
    name, path = item
    try:
        return process(read_document(path, name))
    except InputError as err:
        return Rejection(err.path, err.reason)
    except KgError as err:
        return Rejection(str(path), str(err))
    except Exception as err:  # a bug must not cost the other documents
        if debug:
            raise
        reason = f"internal error ({type(err).__name__}: {err}); rerun with --debug and report it"
        return Rejection(str(path), reason)


def _write_store(out: Path, built: list[DocResult], clean: bool) -> None:
    """Write the graphs into a new store beside the build's, with Oxigraph's bulk
    loader (no manual flush: a RocksDB flush forced after many writes could wait for
    ever), and put it in place only when it is complete."""
    redone = [graph_iri(r.source.name) for r in built] + [
        ONTOLOGY_IRI,
        RECONCILIATION_GRAPH,
        BUILD_GRAPH,
    ]
    store = new_store(out, None if clean else redone)
    try:
        load_ontology(store)
        store.bulk_extend(q for result in built for q in document_quads(result))
        write_reconciliation(store)  # figures of all documents in the store, compared
        # every document in the store, with the hash of the file it was read from
        documents = [
            (q.subject.value, q.object.value)
            for q in store.quads_for_pattern(None, ox.NamedNode(str(KG.sha256)), None, None)
            if q.graph_name != ox.NamedNode(BUILD_GRAPH)
            and isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.Literal)
        ]
        replace_graph(store, BUILD_GRAPH, build_record(documents, __version__, build_time()))
        trig = out / DEFAULTS["trig_file"]
        staged = trig.with_name(trig.name + ".building")
        export(store, staged)
    finally:
        del store
    swap_in(out)
    os.replace(staged, trig)
