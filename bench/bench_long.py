"""Time and peak memory of reading one long document, of 10 and 30 MB by default.

    python bench/bench_long.py [--mb 10 30] [--part-chars N] [--json]

Makes each text by joining paragraphs of the seed documents (public government
texts) in an order drawn with a fixed seed, so the text is the same on every run,
up to --mb million characters. Each size is read by ``kg.pipeline.process`` in a
process of its own, which reports the seconds of ``process()`` and its peak
resident memory (``ru_maxrss``, the text itself included) with the resident memory
before it. ``--part-chars`` reads with another part size than the setting's
default (kg.settings, ``part_chars``). Run ``python -m kg --version`` and
``nproc`` beside the figures when you report them.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def long_text(chars: int) -> str:
    """The seeds' paragraphs in a fixed random order, repeated, until ``chars``."""
    paragraphs = [
        p.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    draw = random.Random(11)
    out: list[str] = []
    size = 0
    while size < chars:
        order = paragraphs[:]
        draw.shuffle(order)
        for paragraph in order:
            out.append(paragraph)
            size += len(paragraph) + 2
            if size >= chars:
                break
    return "\n\n".join(out) + "\n"


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def read_one(chars: int, part_chars: int | None) -> dict[str, object]:
    """Read a text of ``chars`` characters in this process; its figures."""
    from kg.ingest import parse_bytes
    from kg.pipeline import process
    from kg.settings import DEFAULTS

    if part_chars is not None:
        DEFAULTS["part_chars"] = str(part_chars)
    process(parse_bytes(b"Den Haag, 1 mei 2020\n\nEen zin.", "text/plain", "warm.txt"))
    data = long_text(chars).encode("utf-8")
    source = parse_bytes(data, "text/plain", "long.txt")
    before = _resident_mb()
    began = time.perf_counter()
    result = process(source)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    facts = len(result.personnel) + len(result.budgets) + len(result.events) + len(result.periods)
    return {
        "mb": round(len(source.text) / 1e6, 1),
        "part_chars": DEFAULTS.get("part_chars", "(none)"),
        "seconds": round(seconds, 1),
        "mb_per_s": round(len(source.text) / 1e6 / seconds, 3),
        "rss_before_mb": round(before),
        "peak_rss_mb": round(peak),
        "sentences": len(result.sentences),
        "facts": facts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[10, 30], help="text sizes")
    parser.add_argument("--part-chars", type=int, help="part size instead of the default")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(read_one(args.one, args.part_chars)))
        return
    rows = []
    for mb in args.mb:
        command = [sys.executable, __file__, "--one", str(int(mb * 1e6))]
        if args.part_chars is not None:
            command += ["--part-chars", str(args.part_chars)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout))
        if not args.json:
            print(" ".join(f"{key}={value}" for key, value in rows[-1].items()), flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
