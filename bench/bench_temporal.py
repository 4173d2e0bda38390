"""How fast the temporal normaliser reads text, in characters per second.

Runs kg.extract.temporal.find_times over the running text of the seed documents
(normalized, sentence by sentence, with each document's date as anchor), as the
pipeline does, repeated until at least --seconds have passed. Prints one line of
results; --json for machine-readable output.

    python bench/bench_temporal.py [--seconds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from kg.extract.metadata import extract_metadata
from kg.extract.temporal import find_times
from kg.extract.timing import anchor_of
from kg.ingest import find_inputs, read_document
from kg.normalize import normalize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="minimum time to run")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    work = []
    files, _ = find_inputs([SEEDS])
    for name, path in files:
        norm = normalize(read_document(path, name))
        work.append((norm.text, anchor_of(extract_metadata(norm)), norm.sentences))
    chars_per_pass = sum(end - start for _, _, sentences in work for start, end in sentences)

    passes = found = 0
    began = time.perf_counter()
    while True:
        for text, anchor, sentences in work:
            for start, end in sentences:
                found += len(find_times(text, anchor, start, end)[0])
        passes += 1
        elapsed = time.perf_counter() - began
        if elapsed >= args.seconds:
            break
    result = {
        "characters_per_second": round(chars_per_pass * passes / elapsed),
        "characters_per_pass": chars_per_pass,
        "passes": passes,
        "seconds": round(elapsed, 2),
        "expressions_per_pass": found // passes,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['characters_per_second']:,} characters/s "
            f"({chars_per_pass:,} characters x {passes} passes in {elapsed:.2f} s; "
            f"{result['expressions_per_pass']} time expressions per pass)"
        )


if __name__ == "__main__":
    main()
