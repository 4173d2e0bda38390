"""The read-only SPARQL endpoint and the static viewer of a build: ``kg serve``.

A Starlette app served by uvicorn. ``/sparql`` speaks the SPARQL 1.1 Protocol:

- ``GET /sparql?query=...``, ``POST`` with an ``application/x-www-form-urlencoded`` body
  (``query=...``) or an ``application/sparql-query`` body. Queries see the union of the
  named graphs as their default graph and have the kg prefixes predeclared, as with
  ``kg query``. The ``default-graph-uri`` and ``named-graph-uri`` parameters are ignored.
- Results by the ``Accept`` header: ``application/sparql-results+json`` (the default; also
  for ``application/json``), ``application/sparql-results+xml``, ``text/csv`` and
  ``text/tab-separated-values`` for SELECT and ASK; ``text/turtle`` (the default),
  ``application/n-triples`` and ``application/rdf+xml`` for CONSTRUCT and DESCRIBE.
  406 when none of these is acceptable.
- Read-only: an update (an ``update=`` form field, an ``application/sparql-update`` body, or
  an update sent as a query) gets 403. The store is opened read-only.
- A malformed query gets 400 with the parser's message (``text/plain``).
- A query that runs longer than the timeout is stopped and gets 503; the server goes on.
- At most ``max_rows`` rows (or triples) are read and sent; when there were more, the
  response has the header ``X-Kg-Truncated: true``.

Every query runs in one of a few worker processes, each with the store open read-only:
pyoxigraph cannot cancel a query from another thread, so a query that overruns is stopped
by killing its process, and a fresh one takes its place. The workers keep the store they
opened at start: restart ``kg serve`` after ``kg build`` to serve the new graph.

``/`` serves the viewer, ``DIR/site/index.html`` and the files beside it, when it has been
built; until then a small page that links to the endpoint.
"""

from __future__ import annotations

import asyncio
import errno
import html
import io
import itertools
import multiprocessing
import os
import queue
import re
import signal
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote

import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from kg.errors import KgError, StoreError
from kg.render.site import site_dir
from kg.settings import DEFAULTS
from kg.store import open_store, store_path
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

DEFAULT_HOST = DEFAULTS["host"]
DEFAULT_PORT = int(DEFAULTS["port"])
DEFAULT_TIMEOUT = float(DEFAULTS["timeout"])  # seconds
DEFAULT_MAX_ROWS = int(DEFAULTS["max_rows"])
TRUNCATED_HEADER = "X-Kg-Truncated"
STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to import and open the store

# Media types offered, best first: the first is the default for */* or no Accept header.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

# An update, possibly after comments and PREFIX/BASE declarations: no query starts so.
UPDATE_START = re.compile(
    r"(?:\s|\#[^\n]*(?:\n|$)|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
READ_ONLY = "kg serve is read-only: SPARQL updates are refused; change the graph with kg build"
# A SERVICE clause would make the server fetch from other machines on a client's behalf.
FEDERATED = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?[<?$]", re.IGNORECASE)
NO_SERVICE = "kg serve answers from its own graph only: SERVICE (federated queries) is refused"
EXAMPLE_QUERY = (
    "SELECT ?doc ?type ?date WHERE {\n"
    "  ?d a kg:Document ; kg:fileName ?doc ; kg:docType/rdfs:label ?type .\n"
    '  FILTER(lang(?type) = "nl")\n'
    "  OPTIONAL { ?d dcterms:date ?date }\n"
    "}\nORDER BY ?doc"
)


@dataclass(frozen=True, slots=True)
class Job:
    """A query for a worker: its text, the client's Accept header and the row cap."""

    text: str
    accept: str
    max_rows: int


@dataclass(frozen=True, slots=True)
class Answer:
    """What the endpoint sends back: status, media type, body and whether rows were cut."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        """A plain-text answer, for errors."""
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# --- content negotiation and the query itself: pure functions -----------------------


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offered media type the Accept header prefers, or None when it takes none.

    Each offer gets the quality of the most specific range that matches it
    (``type/subtype`` over ``type/*`` over ``*/*``); between equal qualities the offer
    named more specifically wins, then the earlier offer.

    >>> offers = ["application/sparql-results+json", "text/csv"]
    >>> negotiate("", offers)
    'application/sparql-results+json'
    >>> negotiate("text/*;q=0.9, application/xml", offers)
    'text/csv'
    >>> negotiate("*/*, text/csv", offers)
    'text/csv'
    >>> negotiate("image/png", offers) is None
    True
    """
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media:
            continue
        kind, sub = media.lower().split("/", 1)
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((kind, sub, quality))
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, str] | None = None
    for offer in offers:
        kind, sub = offer.split("/", 1)
        matches = [
            (3 if (k, s) == (kind, sub) else 2 if (k, s) == (kind, "*") else 1, q)
            for k, s, q in ranges
            if (k, s) in ((kind, sub), (kind, "*"), ("*", "*"))
        ]
        if not matches:
            continue
        specificity, quality = max(matches)
        if quality > 0 and (best is None or (quality, specificity) > best[:2]):
            best = (quality, specificity, offer)
    return best[2] if best else None


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update rather than a query.

    >>> is_update("PREFIX ex: <http://example.org/>\\n# add one\\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("# the facts with their mission\\nSELECT * WHERE { ?s ?p ?o }")
    False
    """
    return UPDATE_START.match(text) is not None


class _Full(Exception):
    """Raised by :class:`_LineCap` to stop a serializer once it has enough lines."""


class _LineCap(io.BytesIO):
    """A binary buffer that keeps what is written and stops the writer after ``limit`` lines."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.lines = 0

    def write(self, data: ReadableBuffer, /) -> int:
        written = super().write(data)
        self.lines += bytes(data).count(b"\n")
        if self.lines > self.limit:
            raise _Full
        return written

    def lines_kept(self) -> bytes:
        """The first ``limit`` lines written, each with its newline."""
        data = self.getvalue()
        end = -1
        for _ in range(min(self.lines, self.limit)):
            end = data.index(b"\n", end + 1)
        return data[: end + 1]


def _bytes(data: bytes | None) -> bytes:
    """What a pyoxigraph serializer returns when given no output (typed as optional)."""
    assert data is not None
    return data


def _solutions(
    result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, max_rows: int
) -> tuple[bytes, bool]:
    """SELECT results in ``fmt``, cut after ``max_rows`` rows, and whether they were cut.

    The rows are read as TSV, which has one row per line and loses nothing, through a
    writer that stops the serializer at the cap; the kept rows are parsed back and
    written in the format asked for.
    """
    cap = _LineCap(max_rows + 1)  # the header line and the rows
    try:
        result.serialize(cap, ox.QueryResultsFormat.TSV)
        truncated = False
    except _Full:
        truncated = True
    tsv = cap.lines_kept()
    if fmt == ox.QueryResultsFormat.TSV:
        return tsv, truncated
    kept = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return _bytes(kept.serialize(format=fmt)), truncated


def execute(store: ox.Store, job: Job) -> Answer:
    """Run one query on ``store`` and serialize its result as the job's Accept asks.

    Gives 400 for a malformed query, 406 for an Accept that no format of this result
    matches, 500 when the store fails, else 200 with at most ``job.max_rows`` rows.

    >>> store = ox.Store()
    >>> answer = execute(store, Job("ASK { ?s ?p ?o }", "text/csv", 10))
    >>> answer.status, answer.media_type, answer.body
    (200, 'text/csv; charset=utf-8', b'false')
    >>> execute(store, Job("SELECT ?x WHERE {", "", 10)).status
    400
    """
    try:
        result = store.query(job.text, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as err:
        # the parser lists every character it expected; its first line says what is wrong
        first = str(err).strip().splitlines()[0] if str(err).strip() else "syntax error"
        return Answer.text(400, f"the query is not valid SPARQL: {first}")
    except OSError as err:
        return Answer.text(500, f"the query failed: {err}")
    offers = list(GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULT_FORMATS)
    media_type = negotiate(job.accept, offers)
    if media_type is None:
        return Answer.text(
            406, f"cannot answer this query as {job.accept!r}; accept one of {', '.join(offers)}"
        )
    try:
        if isinstance(result, ox.QueryTriples):
            rdf_format = GRAPH_FORMATS[media_type]
            triples = list(itertools.islice(result, job.max_rows + 1))
            body = _bytes(
                ox.serialize(triples[: job.max_rows], format=rdf_format, prefixes=PREFIXES)
            )
            return Answer(200, rdf_format.media_type, body, len(triples) > job.max_rows)
        results_format = RESULT_FORMATS[media_type]
        if isinstance(result, ox.QueryBoolean):
            body = _bytes(result.serialize(format=results_format))
            return Answer(200, results_format.media_type, body)
        body, truncated = _solutions(result, results_format, job.max_rows)
        return Answer(200, results_format.media_type, body, truncated)
    except OSError as err:
        return Answer.text(500, f"the query failed: {err}")


# --- the worker processes --------------------------------------------------------------


def _worker_main(conn: Connection, store_dir: str) -> None:
    """A worker process: open the store read-only, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        store: ox.Store | None = ox.Store.read_only(store_dir)
        failure = ""
    except OSError as err:
        store, failure = None, f"{store_dir}: cannot open the store ({err})"
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the server has gone
            return
        conn.send(execute(store, job) if store is not None else Answer.text(500, failure))


def _context() -> ForkServerContext | SpawnContext:
    """Where workers come from: a fork server that has imported kg.serve, where there is one.

    Forking from it makes a new worker in milliseconds (a timed-out query's replacement
    too), and the fork server ignores Ctrl-C, so only the server itself handles it.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


class _Worker:
    """One query process and the pipe to it; killed and replaced when a query overruns."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self._context = _context()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self.retired = False  # set when the pool closes: then nothing is restarted
        self.start()

    def start(self) -> None:
        """Start a fresh process (it imports kg and opens the store in the background)."""
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(theirs, str(self.store_dir)), daemon=True
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours

    def stop(self) -> None:
        """Kill the process at once and close the pipe."""
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
            self._process.close()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def ask(self, job: Job, timeout: float) -> Answer | None:
        """Run ``job`` in the process: its answer, or None when it took over ``timeout`` s.

        A process that overran or died is replaced before this returns.
        """
        assert self._conn is not None
        try:
            self._conn.send(job)
            if self._conn.poll(timeout):
                answer: Answer = self._conn.recv()
                return answer
        except (EOFError, OSError):
            self._replace()
            return Answer.text(500, "the query process stopped unexpectedly; try again")
        self._replace()
        return None

    def _replace(self) -> None:
        self.stop()
        if not self.retired:
            self.start()


class QueryPool:
    """A few worker processes that run queries with a time limit; a context manager.

    ``run(job)`` blocks until a worker is free (at most ``timeout`` s), runs the job there
    and gives its answer: 503 when it overran (the worker is killed and replaced) or when
    every worker stayed busy.
    """

    def __init__(self, store_dir: Path, *, timeout: float, workers: int = 0) -> None:
        self.store_dir = store_dir
        self.timeout = timeout
        self.size = workers or max(2, min(4, os.cpu_count() or 1))
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: list[_Worker] = []
        # one thread per waiting request; more requests than threads wait their turn
        self.executor = ThreadPoolExecutor(max_workers=4 * self.size, thread_name_prefix="kg")

    def __enter__(self) -> QueryPool:
        """Start the workers and wait until each has opened the store and answered."""
        self._workers = [_Worker(self.store_dir) for _ in range(self.size)]
        try:
            for worker in self._workers:
                answer = worker.ask(Job("ASK {}", "*/*", 1), STARTUP_TIMEOUT)
                if answer is None or answer.status != 200:
                    reason = answer.body.decode().strip() if answer else "it did not start"
                    raise StoreError(f"a query process cannot serve {self.store_dir}: {reason}")
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Kill the workers; queries still running get no answer."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        for worker in self._workers:
            worker.retired = True
            worker.stop()
        self._workers = []

    def run(self, job: Job) -> Answer:
        """Run ``job`` on a free worker within the time limit; blocks the calling thread."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer.text(503, f"all {self.size} query processes are busy; try again")
        try:
            answer = worker.ask(job, self.timeout)
        finally:
            self._idle.put(worker)
        if answer is None:
            return Answer.text(
                503,
                f"query timed out after {self.timeout:g} s; "
                "narrow it down or add a LIMIT (the server's --timeout sets the limit)",
            )
        return answer


# --- the web app --------------------------------------------------------------------------


class _RequestError(Exception):
    """A request the endpoint refuses before running it: status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _one_query(fields: dict[str, list[str]]) -> str:
    """The single ``query`` of a GET's parameters or a form; updates are refused."""
    if "update" in fields:
        raise _RequestError(403, READ_ONLY)
    queries = fields.get("query", [])
    if len(queries) != 1:
        raise _RequestError(
            400, "give exactly one 'query' parameter, e.g. /sparql?query=ASK%20%7B%7D"
        )
    return queries[0]


async def _query_text(request: Request) -> str:
    """The SPARQL text of a protocol request (GET, POST form or POST sparql-query)."""
    if request.method == "GET":
        fields: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            fields.setdefault(key, []).append(value)
        return _one_query(fields)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/sparql-update":
        raise _RequestError(403, READ_ONLY)
    try:
        body = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as err:
        raise _RequestError(400, f"the request body is not UTF-8 ({err.reason})") from err
    if media_type == "application/x-www-form-urlencoded":
        return _one_query(parse_qs(body, keep_blank_values=True))
    if media_type == "application/sparql-query":
        return body
    raise _RequestError(
        415,
        "send the query as application/x-www-form-urlencoded (query=...) "
        "or as an application/sparql-query body",
    )


def placeholder_page(site: Path) -> str:
    """The page at / until the viewer is built: where it would be, and the endpoint."""
    link = "/sparql?query=" + quote(EXAMPLE_QUERY, safe="")
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>kg</title></head>\n'
        "<body>\n<h1>kg</h1>\n"
        f"<p>The viewer has not been built: there is no <code>{html.escape(str(site))}"
        "/index.html</code>. It is served here once it exists.</p>\n"
        '<p>The SPARQL endpoint is at <a href="/sparql">/sparql</a>; the kg prefixes are '
        f'declared. For example, <a href="{html.escape(link)}">the documents</a>:</p>\n'
        f"<pre>{html.escape(EXAMPLE_QUERY)}</pre>\n</body>\n</html>\n"
    )


def create_app(pool: QueryPool, site: Path, max_rows: int) -> Starlette:
    """The Starlette app: /sparql answered by ``pool``, / by the viewer in ``site``.

    ``pool`` must be started (entered); rows beyond ``max_rows`` are cut off.
    """

    async def sparql(request: Request) -> Response:
        try:
            text = await _query_text(request)
        except _RequestError as err:
            return PlainTextResponse(str(err) + "\n", status_code=err.status)
        if is_update(text):
            return PlainTextResponse(READ_ONLY + "\n", status_code=403)
        if FEDERATED.search(text):
            return PlainTextResponse(NO_SERVICE + "\n", status_code=403)
        job = Job(text, request.headers.get("accept", ""), max_rows)
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(pool.executor, pool.run, job)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(answer.body, answer.status, headers, media_type=answer.media_type)

    files = StaticFiles(directory=site, html=True, check_dir=False)

    async def viewer(scope: Scope, receive: Receive, send: Send) -> None:
        if (site / "index.html").is_file():
            await files(scope, receive, send)
            return
        response: Response
        if scope["type"] == "http" and scope["path"] in ("", "/"):
            response = HTMLResponse(placeholder_page(site))
        else:
            response = PlainTextResponse("Not Found\n", status_code=404)
        await response(scope, receive, send)

    return Starlette(
        routes=[Route("/sparql", sparql, methods=["GET", "POST"]), Mount("/", app=viewer)]
    )


# --- the server ----------------------------------------------------------------------------


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or a KgError saying why it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as err:
        raise KgError(f"cannot listen on {host}: not a known address ({err.strerror})") from err
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise KgError(
                f"port {port} on {host} is in use; stop what uses it or pick another with --port"
            ) from err
        raise KgError(f"cannot listen on {host}:{port} ({err.strerror or err})") from err
    return sock


class _Server(uvicorn.Server):
    """A uvicorn server that says where it is once it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_start: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_start = on_start

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.on_start()


def serve(
    out: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the build in ``out`` until Ctrl-C (or SIGTERM): /sparql and the viewer at /.

    ``announce`` gets the server's URL once it accepts connections (port 0 picks a free
    port, which the URL shows). Raises :class:`KgError` when there is no build in ``out``
    or the address cannot be listened on.
    """
    open_store(out)  # a missing or unreadable build is a one-line error, before anything
    sock = _listen(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    url = f"http://{shown}:{bound_port}/"
    try:
        with sock, QueryPool(store_path(out), timeout=timeout) as pool:
            app = create_app(pool, site_dir(out), max_rows)
            config = uvicorn.Config(
                app,
                log_level="warning",
                lifespan="off",
                timeout_graceful_shutdown=int(timeout) + 1,
            )
            _Server(config, lambda: announce(url)).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down
        pass
