"""Build speed, memory, incremental rebuild and query latency on a synthetic corpus.

    python bench/bench_build.py --docs 1000 [--jobs 2] [--work /tmp/kg-bench-1000] [--json]

Generates --docs documents with bench/make_corpus.py (deterministic; kept in
--work/corpus and reused when it is already there), then:

1. builds them from scratch (``kg build --clean``, in this process with --jobs
   workers) and reports MB/s and documents/s end to end, the seconds of each stage
   (reading the documents into the store, reconciliation, export, viewer), and the
   peak resident memory of the build: the largest sum over the build process and its
   worker processes, sampled every 0.2 s from /proc, in all and per stage (with the
   build process's own peak beside it), both as the sum of resident sizes (RSS, which
   counts a page a forked worker shares with the build process once in each) and of
   proportional sizes (PSS, which counts it once);
2. changes one document (make_corpus --change) and builds again: the time of the
   incremental rebuild and its share of the full build;
3. runs every named query --repeat times and reports the median (p50) and 95th
   percentile (p95) latency and the rows, of the whole result and of its first page
   of 100 rows (what a reader sees first), answered as ``kg query`` answers it: from
   the build's query tables where they hold it, else on the store (``--from-store``:
   every query on the store; ``--query NAME``: only these).

``--stages N`` also reads the first N documents in one process with each text stage
timed (normalize, metadata, tokens and names, times, figures, events), to show
where extraction spends its time. The figures are for this machine; run
``python -m kg --version`` and ``nproc`` beside them when you report them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType

from kg import pipeline
from kg.ingest import find_inputs, read_document
from kg.pipeline import build
from kg.query import named_queries, run
from kg.store import open_store
from kg.tables import lookup

HERE = Path(__file__).resolve().parent


def make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # its dataclasses look themselves up here
    spec.loader.exec_module(module)
    return module


def tree_memory(root: int) -> tuple[int, int]:
    """Resident bytes of process ``root`` and all its descendants, from /proc: the sum of
    their resident sizes (RSS; a page a forked worker shares with the build process is
    counted in each) and of their proportional sizes (PSS; a shared page is split
    among the processes that share it, so the sum counts it once)."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry.name))  # fields[1] is the parent's pid
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        own = _rollup(pid)
        rss, pss = rss + own.get("Rss", 0), pss + own.get("Pss", 0)
        todo.extend(children.get(pid, ()))
    return rss, pss


def _rollup(pid: int) -> dict[str, int]:
    """The sizes of /proc/PID/smaps_rollup in bytes (nothing for a process that ended)."""
    sizes = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                name, _, value = line.partition(":")
                if value.strip().endswith("kB"):
                    sizes[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return sizes


class PeakMemory:
    """The largest resident size of this process tree while the block runs, in all
    and per stage of the build (:meth:`stage` is the build's ``phase`` callback),
    of the whole tree and of the build process alone."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.current = "read"  # the first stage, which names no phase
        self.stages: dict[str, dict[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def stage(self, name: str) -> None:
        self._measure()  # the end of the stage before
        self.current = name
        self._measure()

    def _measure(self) -> None:
        (tree, proportional), own = tree_memory(os.getpid()), own_rss()
        peaks = self.stages.setdefault(self.current, {"all": 0, "all_pss": 0, "build_process": 0})
        peaks["all"] = max(peaks["all"], tree)
        peaks["all_pss"] = max(peaks["all_pss"], proportional)
        peaks["build_process"] = max(peaks["build_process"], own)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._measure()
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._measure()

    @property
    def peak(self) -> int:
        return max((peaks["all"] for peaks in self.stages.values()), default=0)

    @property
    def peak_pss(self) -> int:
        return max((peaks["all_pss"] for peaks in self.stages.values()), default=0)

    def per_stage_mb(self) -> dict[str, dict[str, int]]:
        return {
            stage: {k: round(v / 1e6) for k, v in peaks.items()}
            for stage, peaks in self.stages.items()
        }


def own_rss() -> int:
    """Resident bytes of this process alone, from /proc."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def timed_build(corpus: Path, out: Path, jobs: int, clean: bool) -> dict[str, object]:
    with PeakMemory() as memory:
        began = time.perf_counter()
        report = build([corpus], out, clean=clean, jobs=jobs, phase=memory.stage)
        seconds = time.perf_counter() - began
    return {
        "seconds": round(seconds, 2),
        "read": len(report.built),
        "kept": len(report.kept),
        "rejected": len(report.rejected),
        "stages": {name: round(value, 2) for name, value in report.timings.items()},
        "peak_rss_mb": round(memory.peak / 1e6),
        "peak_pss_mb": round(memory.peak_pss / 1e6),
        "stage_peak_rss_mb": memory.per_stage_mb(),
    }


def query_latency(
    out: Path, repeat: int, names: list[str] | None = None, from_store: bool = False
) -> dict[str, dict[str, float | int | str]]:
    """p50 and p95 of each named query's whole result, and of its first page of
    PAGE rows (what a reader sees first), answered as ``kg query`` answers them: from
    the build's tables where they hold the query (kg/tables.py, read anew each time),
    else on the store (the page: the query with LIMIT PAGE). ``from_store`` times
    every query on the store."""
    store = open_store(out)
    found: dict[str, dict[str, float | int | str]] = {}
    for name, query in named_queries().items():
        if names and name not in names:
            continue
        tabled = None if from_store else lookup(out, store, name)  # the warm-up run
        if tabled is not None:
            rows = len(tabled.rows)
            whole = _latencies(partial(lookup, out, store, name), repeat)
            page = _latencies(partial(lookup, out, store, name, limit=PAGE), repeat)
        else:
            rows = len(run(store, query.text).rows)
            whole = _latencies(partial(run, store, query.text), repeat)
            page = _latencies(partial(run, store, f"{query.text}\nLIMIT {PAGE}"), repeat)
        found[name] = {
            "answered_from": "store" if tabled is None else "tables",
            "rows": rows,
            **whole,
            **{f"page_{k}": v for k, v in page.items()},
        }
    return found


PAGE = 100


def _latencies(action: Callable[[], object], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
    }


STAGES = (
    "normalize",
    "extract_metadata",
    "make_doc",
    "sentence_times",
    "document_context",
    "build_context",
    "extract_personnel",
    "extract_budgets",
    "extract_events",
    "extract_periods",
)


def stage_times(corpus: Path, count: int) -> dict[str, float]:
    """Seconds per text stage over the first ``count`` documents, in this process."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(pipeline, name) for name in STAGES}

    def timing(name: str, stage: Callable[..., object]) -> Callable[..., object]:
        def run_stage(*args: object, **kwargs: object) -> object:
            began = time.perf_counter()
            found = stage(*args, **kwargs)
            spent[name] += time.perf_counter() - began
            return found

        return run_stage

    files, _ = find_inputs([corpus])
    try:
        for name, stage in originals.items():
            setattr(pipeline, name, timing(name, stage))
        began = time.perf_counter()
        for name, path in files[:count]:
            pipeline.process(read_document(path, name))
        spent["total"] = time.perf_counter() - began
    finally:
        for name, stage in originals.items():
            setattr(pipeline, name, stage)
    return {name: round(value, 2) for name, value in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    parser.add_argument("--stages", type=int, default=0, help="documents to time stage by stage")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the incremental rebuild")
    parser.add_argument(
        "--queries-only", action="store_true", help="only time the queries of the last build"
    )
    parser.add_argument("--no-queries", action="store_true", help="skip the query latencies")
    parser.add_argument(
        "--query", action="append", default=None, metavar="NAME", help="time only these queries"
    )
    parser.add_argument(
        "--from-store", action="store_true", help="time every query on the store, not its table"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = args.work or Path(f"/tmp/kg-bench-{args.docs}")
    corpus, out = work / "corpus", work / "out"
    generator = make_corpus()
    if len(list(corpus.glob("*.txt"))) != args.docs:
        generator.write_corpus(args.docs, corpus, force=True)
    megabytes = sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6

    summary: dict[str, object] = {"documents": args.docs, "megabytes": round(megabytes, 1)}
    summary["jobs"] = args.jobs
    if args.queries_only:
        print(json.dumps(query_latency(out, args.repeat, args.query, args.from_store), indent=2))
        return
    full = timed_build(corpus, out, args.jobs, clean=True)
    seconds = float(full["seconds"])  # type: ignore[arg-type]
    full["mb_per_s"] = round(megabytes / seconds, 3)
    full["documents_per_s"] = round(args.docs / seconds, 2)
    summary["full"] = full
    if not args.no_rebuild:
        middle = args.docs // 2
        name, text = generator.document(middle, generator.DEFAULT_SEED, 1)
        current = (corpus / name).read_text(encoding="utf-8")
        generator.change_document(middle, corpus, variant=2 if current == text else 1)
        again = timed_build(corpus, out, args.jobs, clean=False)
        again["share_of_full"] = round(float(again["seconds"]) / seconds, 4)  # type: ignore[arg-type]
        summary["rebuild_one_changed"] = again
    if not args.no_queries:
        summary["queries"] = query_latency(out, args.repeat, args.query, args.from_store)
    if args.stages:
        summary["stages_one_process"] = stage_times(corpus, args.stages)
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(json.dumps({k: v for k, v in summary.items() if k != "queries"}, indent=2))
    if "queries" not in summary:
        return
    print(f"{'query':22} {'from':6} {'p50':>9} {'p95':>9} {'rows':>8}   first {PAGE}: p50 p95")
    for name, q in summary["queries"].items():  # type: ignore[attr-defined]
        print(
            f"{name:22} {q['answered_from']:6} {q['p50_ms']:7.1f}ms {q['p95_ms']:7.1f}ms "
            f"{q['rows']:8}   {q['page_p50_ms']:7.1f}ms {q['page_p95_ms']:7.1f}ms"
        )


if __name__ == "__main__":
    main()
