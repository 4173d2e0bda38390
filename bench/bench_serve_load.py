"""A bounded load test of ``kg serve``: concurrent clients, each sending a fixed number of queries.

    python bench/bench_serve_load.py [--out out] [--clients 20] [--queries 500] [--json]

Builds the seeds first when OUT holds no build, starts ``kg serve`` on 127.0.0.1 (a free
port), runs CLIENTS threads that each send QUERIES queries over one keep-alive connection,
then stops the server. The queries are a fixed mix: the named queries' text, small SELECTs
and ASKs, sent in turn as GET, POST form and POST application/sparql-query. Prints the
errors (any answer but 200, or no answer: there must be none), the median and 99th
percentile latency and the throughput; exits with status 1 when there were errors.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from kg.pipeline import build
from kg.query import named_queries
from kg.store import store_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
STARTUP = 60.0  # seconds kg serve may take to say where it is
SMALL = [
    "SELECT ?doc WHERE { ?d a kg:Document ; kg:fileName ?doc } ORDER BY ?doc",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Document }",
    "SELECT ?g WHERE { GRAPH ?g { ?d a kg:Document } } ORDER BY ?g LIMIT 3",
    "ASK { ?d a kg:Document }",
    "ASK { ?s ?p ?o }",
]
METHODS = ("GET", "form", "direct")


@dataclass(frozen=True)
class Report:
    """What a load run measured: requests sent, errors (a few shown), latency, throughput."""

    clients: int
    queries: int
    requests: int
    errors: int
    error_samples: list[str]
    p50_ms: float
    p99_ms: float
    seconds: float
    per_second: float


def query_mix() -> list[str]:
    """The queries the clients send in turn: every named query's text, then the small ones."""
    return [query.text for query in named_queries().values()] + SMALL


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5), percentile(list(map(float, range(100))), 0.99)
    (2.0, 98.0)
    """
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@contextmanager
def serving(out: Path, *args: str) -> Iterator[str]:
    """``python -m kg serve --out OUT --port 0 ARGS`` on 127.0.0.1 while inside: its URL."""
    command = [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        found = None
        began = time.monotonic()
        while found is None and time.monotonic() - began < STARTUP:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found is None:
            raise RuntimeError(f"kg serve --out {out} did not start")
        yield found.group(0)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _send(http: httpx.Client, method: str, query: str) -> httpx.Response:
    if method == "GET":
        return http.get("sparql", params={"query": query})
    if method == "form":
        return http.post("sparql", data={"query": query})
    headers = {"Content-Type": "application/sparql-query"}
    return http.post("sparql", content=query.encode("utf-8"), headers=headers)


def load(url: str, clients: int, queries: int) -> Report:
    """Run ``clients`` threads against the endpoint at ``url``, ``queries`` requests each."""
    mix = query_mix()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        mine: list[float] = []
        failed: list[str] = []
        with httpx.Client(base_url=url, timeout=60) as http:
            start.wait()
            for n in range(queries):
                step = number + n  # clients start at different places in the mix
                query, method = mix[step % len(mix)], METHODS[step % len(METHODS)]
                began = time.perf_counter()
                try:
                    response = _send(http, method, query)
                    if response.status_code != 200:
                        failed.append(f"{method} {response.status_code}: {response.text[:100]}")
                except httpx.HTTPError as err:
                    failed.append(f"{method}: {type(err).__name__}: {err}")
                mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return Report(
        clients=clients,
        queries=queries,
        requests=len(latencies),
        errors=len(errors),
        error_samples=errors[:5],
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        seconds=round(seconds, 2),
        per_second=round(len(latencies) / seconds, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=500, help="queries per client")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not store_path(args.out).is_dir():
        build([SEEDS], args.out)
    with serving(args.out) as url:
        report = load(url, args.clients, args.queries)
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print(
            f"{report.clients} clients x {report.queries} queries: {report.requests} requests "
            f"in {report.seconds} s ({report.per_second}/s); p50 {report.p50_ms} ms, "
            f"p99 {report.p99_ms} ms; {report.errors} errors"
        )
        for sample in report.error_samples:
            print(f"  {sample}")
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
