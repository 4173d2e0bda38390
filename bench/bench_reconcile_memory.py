"""The memory of the reconciliation's steps and of the tables made after it, on a build.

    python bench/bench_reconcile_memory.py OUT

Opens OUT's store read-only and runs the reconciliation's steps as ``kg build`` does
(:func:`kg.reconcile.write_reconciliation`): reading every document's figures (from
``OUT/.figures-parts`` where they are kept), pairing them, writing the graph's N-Quads
text in export order to a file, and loading it into a fresh store, as a build from
scratch does; then the tables of the pairs (:func:`kg.linked.write_linked`, the
``pairs`` stage, from ``OUT/.linked-parts``), and the memory given back after it
(:func:`kg.pipeline.give_back_memory`); then the consolidation's phases and steps
(:func:`kg.consolidate.consolidation_of`, read as the ``consolidation`` stage reads
them, without writing its graph) and their tables
(:func:`kg.consolidated.write_consolidated`, the ``story`` stage). The files and the
store are made in a temporary folder and removed.
After each step it prints the count, the seconds, and the process's resident and peak
resident memory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sized
from functools import partial
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg import reconcile
from kg.consolidate import consolidation_of
from kg.consolidated import link_digests, write_consolidated
from kg.linked import LINKED_CACHE, write_linked
from kg.pipeline import CONSOLIDATION_CACHE, FIGURES_CACHE, give_back_memory
from kg.store import (
    RECONCILIATION_GRAPH,
    graph_keys,
    part_name,
    replace_graph_lines,
    rules_of,
    store_path,
    stored_documents,
    write_sorted,
)

T = TypeVar("T", bound=Sized | int)


def memory_mb() -> tuple[int, int]:
    """The resident and the peak resident size of this process, in MB."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) // 1024
    return found["VmRSS"], found["VmHWM"]


def _counted(result: Sized | int) -> int:
    return result if isinstance(result, int) else len(result)


def step(name: str, action: Callable[[], T], size: Callable[[T], int] | None = None) -> T:
    """Run ``action`` and print what it gave (counted by ``size``, else by its length),
    its seconds and the memory after it."""
    began = time.perf_counter()
    result = action()
    resident, peak = memory_mb()
    seconds = time.perf_counter() - began
    count = (size or _counted)(result)
    print(f"{name:<10} {count:>10,} {seconds:>8.1f} s {resident:>8,} MB {peak:>8,} MB")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a build folder")
    args = parser.parse_args()
    if not store_path(args.out).is_dir():
        print(f"{args.out}: no build here", file=sys.stderr)
        return 1
    store = ox.Store.read_only(str(store_path(args.out)))
    documents = stored_documents(store).values()
    keys = graph_keys(documents, rules_of(store))
    print(f"{'step':<10} {'count':>10} {'time':>10} {'resident':>11} {'peak':>11}")
    figures = step("figures", lambda: reconcile.read_figures(store, args.out / FIGURES_CACHE, keys))
    matches = step("matches", lambda: reconcile.reconcile(figures))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        # the graph's text as write_reconciliation makes it, and its load
        lines = Path(folder) / "links.nq"
        quads = reconcile.link_quads(figures, matches)
        step("text", lambda: lines_of(lambda: write_sorted(lines, map(str, quads)), lines))
        fresh = ox.Store(str(Path(folder) / "store"))
        load = partial(replace_graph_lines, fresh, RECONCILIATION_GRAPH, lines)
        step("load", lambda: lines_of(load, lines))
        figures.clear()  # as the build lets them go (the matches keep theirs)
        # the pairs' tables, as the build's pairs stage makes them from scratch
        by_iri = {d.iri: keys[d.graph] for d in documents}
        parts = {
            d.iri: args.out / LINKED_CACHE / part_name(d.graph, keys[d.graph], ".json")
            for d in documents
        }
        tables = Path(folder) / "tables"
        tables.mkdir()
        pairs = partial(write_linked, tables, store, matches, by_iri, None, parts)
        step("pairs", lambda: sum(len(t.blocks) for t in pairs().values()))
        linked = link_digests(matches)
        matches.clear()
        step("given back", lambda: given_back(give_back_memory))
        # the consolidation's phases and steps, and their tables, as the build makes them
        consolidated = step(
            "phases",
            lambda: consolidation_of(store, args.out / CONSOLIDATION_CACHE, keys),
            lambda found: len(found.phases) + len(found.steps),
        )
        story = partial(
            write_consolidated, tables, store, consolidated, by_iri, linked, None, parts
        )
        step("story", lambda: sum(len(t.blocks) for t in story().values()))
    return 0


def given_back(action: Callable[[], None]) -> int:
    """Run ``action`` (which gives nothing to count)."""
    action()
    return 0


def lines_of(action: Callable[[], None], path: Path) -> int:
    """Run ``action``; then the number of lines of the file ``path``."""
    action()
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


if __name__ == "__main__":
    sys.exit(main())
