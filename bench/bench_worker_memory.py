"""How a worker's memory develops as it reads one document after another.

    python bench/bench_worker_memory.py CORPUS [--docs 360] [--every 50] [--trim]

Reads the first --docs files of CORPUS (a folder, e.g. a corpus of
bench/make_corpus.py) in this one process, as a build's worker does
(``kg.pipeline.extract_document``), and every --every documents prints the resident
size, the number of objects the garbage collector tracks, and the size of spaCy's
string store and vocabulary. At the end it prints the fill of kg's function caches.
``--trim`` gives freed memory back to the system (glibc ``malloc_trim``) after each
document, to tell memory held from memory in use.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib
import os
import sys
from pathlib import Path

from kg.nlp import get_nlp
from kg.pipeline import Input, extract_document

CACHED = (
    "kg.extract.numbers",
    "kg.normalize",
    "kg.reconcile",
    "kg.extract.temporal",
    "kg.extract.modality",
    "kg.extract.cues",
)


def resident_mb() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--docs", type=int, default=360)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--trim", action="store_true")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())[: args.docs]
    if not files:
        print(f"{args.corpus}: no files", file=sys.stderr)
        return 1
    trim = ctypes.CDLL("libc.so.6").malloc_trim if args.trim else None
    print("documents  resident MB  gc objects  spaCy strings  lexemes")
    for n, path in enumerate(files, start=1):
        extract_document(Input(path.name, path))
        if trim is not None:
            trim(0)
        if n % args.every == 0 or n == len(files):
            gc.collect()
            vocab = get_nlp().vocab
            print(
                f"{n:9}  {resident_mb():11}  {len(gc.get_objects()):10}"
                f"  {len(vocab.strings):13}  {len(vocab):7}"
            )
    for name in CACHED:
        module = importlib.import_module(name)
        for attr, value in sorted(vars(module).items()):
            if hasattr(value, "cache_info") and value.__module__ == name:
                info = value.cache_info()
                print(f"{name}.{attr}: {info.currsize} of {info.maxsize}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
