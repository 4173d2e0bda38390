"""How long each named query takes on a build, with the store already open.

    python bench/bench_queries.py [--out out] [--repeat 20] [--json]

Builds the seeds first when OUT holds no build. Prints the median and the
slowest time per query in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kg.pipeline import build
from kg.query import named_queries, run
from kg.store import open_store, store_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not store_path(args.out).is_dir():
        build([SEEDS], args.out)
    store = open_store(args.out)
    results = {}
    for name, query in named_queries().items():
        run(store, query.text)  # warm up
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            table = run(store, query.text)
            times.append((time.perf_counter() - began) * 1000)
        results[name] = {
            "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2),
            "rows": len(table.rows),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, result in results.items():
        print(
            f"{name:22} median {result['median_ms']:7.2f} ms  max {result['max_ms']:7.2f} ms  "
            f"{result['rows']} rows"
        )


if __name__ == "__main__":
    main()
