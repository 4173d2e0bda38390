"""How long ``kg fetch`` takes against the local stand-in for the services, what a
second fetch transfers, how long ``kg build`` of the fetched folder takes, and what
the manifest's journal writes.

    python bench/bench_fetch.py [--generated 24] [--rate 20] [--entries 2000] [--json]

The stand-in is tests/fetchserver.py (both services on 127.0.0.1, shaped as they
document their answers, with the seed texts as Kamerstukken of dossier 27925 and
``--generated`` short letters more). The real services are not measured: their own
speed and the pace kg keeps to (``--rate``, one request a second by default) decide
a real fetch. Each command runs as a user runs it, ``kg`` in a child process; the
figures are wall-clock seconds. The journal part appends ``--entries`` entries to a
manifest (each line synced, as a fetch does) and compacts it, and reports the bytes
written, beside what writing the whole manifest after every document would write
(computed from the same lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.fetch.manifest import MANIFEST, Entry, Journal, entry_line
from kg.model import SourceRecord

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from fetchserver import FakeServices, seed_documents

KG = [sys.executable, "-m", "kg"]


SUMMARY = re.compile(r"^(?:kg: \d+ new|Built )")  # the line a command sums up with


def _run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """How long ``command`` took, and the line it summed up with."""
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    lines = (done.stdout + done.stderr).splitlines()
    return seconds, next((line for line in reversed(lines) if SUMMARY.match(line)), "")


def fetches(generated: int, rate: float, work: Path) -> dict[str, object]:
    """Fetch the dossier from each service, fetch it again, and build it."""
    results: dict[str, object] = {}
    with FakeServices(seed_documents(generated=generated)) as fake:
        env = {**os.environ, "KG_SRU_URL": fake.sru_url, "KG_ODATA_URL": fake.odata_url}
        pace = ["--rate", str(rate)]
        for label, command in (
            ("fetch", [*KG, "fetch", "dossier", "27925", "--to", "corpus", *pace]),
            ("fetch_again", [*KG, "fetch", "dossier", "27925", "--to", "corpus", *pace]),
            (
                "fetch_tweedekamer",
                [*KG, "fetch", "dossier", "27925", "--to", "corpus-tk", "--source",
                 "tweedekamer", *pace],
            ),
            ("build", [*KG, "build", "corpus", "--out", "out"]),
        ):  # fmt: skip
            seconds, summary = _run(command, env, work)
            results[label] = {"seconds": round(seconds, 2), "summary": summary}
    return results


def journal(entries: int, work: Path) -> dict[str, object]:
    """Append ``entries`` entries to a manifest, one synced line each, then compact it."""
    folder = work / "journal"
    folder.mkdir()
    record = SourceRecord("officielebekendmakingen", title="Brief over de inzet in Irak")
    began = time.perf_counter()
    appended = rewritten = 0  # rewritten: what writing the whole manifest each time would
    with Journal(folder) as manifest:
        for n in range(entries):
            entry = Entry(f"kst-27925-{n:05d}.xml", f"{n:064x}", record, f'"{n}"', None)
            manifest.put(entry)
            appended += len(entry_line(entry).encode()) + 1
            rewritten += appended
    seconds = time.perf_counter() - began
    size = (folder / MANIFEST).stat().st_size
    return {
        "entries": entries,
        "seconds": round(seconds, 2),
        "bytes_written": appended + size,  # the lines appended, then the compacted manifest
        "bytes_if_rewritten_each_time": rewritten,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generated", type=int, default=24)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        results = {
            **fetches(args.generated, args.rate, work),
            "journal": journal(args.entries, work),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for label, figures in results.items():
        print(f"{label}: {figures}")


if __name__ == "__main__":
    main()
