"""The read-only SPARQL endpoint and the static viewer of a build: ``kg serve``.

A Starlette app served by uvicorn. ``/sparql`` (and ``/sparql/``) speaks the SPARQL 1.1
Protocol:

- ``GET /sparql?query=...``, ``POST`` with an ``application/x-www-form-urlencoded`` body
  (``query=...``) or an ``application/sparql-query`` body; ``HEAD`` answers as ``GET``
  without the body. Queries have the kg prefixes predeclared, as with ``kg query``;
  relative IRIs in them resolve against the endpoint's URL.
- The dataset: the ``default-graph-uri`` and ``named-graph-uri`` parameters (in the query
  string, or in the form of a form POST) make the dataset, and win over ``FROM`` and
  ``FROM NAMED`` in the query; without them the query's ``FROM`` and ``FROM NAMED`` do;
  without either, the default graph is the union of the named graphs (the documents'
  graphs), as with ``kg query``. A graph IRI that is not an absolute IRI gets 400.
- Results by the ``Accept`` header: ``application/sparql-results+json`` (the default; also
  for ``application/json``), ``application/sparql-results+xml``, ``text/csv`` and
  ``text/tab-separated-values`` for SELECT and ASK; ``text/turtle`` (the default),
  ``application/n-triples`` and ``application/rdf+xml`` for CONSTRUCT and DESCRIBE.
  406 when none of these is acceptable.
- Read-only: an update (an ``update=`` parameter, an ``application/sparql-update`` body, or
  an update sent as a query) gets 403, and so does a SERVICE clause. The store is opened
  read-only.
- A malformed query gets 400 with the parser's message (``text/plain``); a body that is not
  UTF-8, 400 or 415.
- A query that runs longer than the timeout is stopped and gets 503; the server goes on.
- At most ``max_rows`` rows (or triples) are read and sent; when there were more, the
  response has the header ``X-Kg-Truncated: true``.
- Limits: a request body over ``max_body`` bytes gets 413 (at once when its Content-Length
  says so, else once that much has been read), a URL over ``max_url`` bytes gets 414.
- CORS headers only for the origins given (``cors``; ``*`` for any), preflights answered.

Every query runs in one of a few worker processes, each with the store open read-only:
pyoxigraph cannot cancel a query from another thread, so a query that overruns is stopped
by killing its process, and a fresh one takes its place. The workers keep the store they
opened at start: restart ``kg serve`` after ``kg build`` to serve the new graph.

``/`` serves the viewer, ``DIR/site/index.html`` and the files beside it (never a file
outside that folder, whatever the path or a symlink says), when it has been built; until
then a small page that links to the endpoint.
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
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import parse_qsl, quote

import h11
import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.errors import KgError, StoreError
from kg.render.site import site_dir
from kg.settings import DEFAULTS
from kg.sparql import TOKEN, is_update
from kg.store import open_store, store_path
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

DEFAULT_HOST = DEFAULTS["host"]
DEFAULT_PORT = int(DEFAULTS["port"])
DEFAULT_TIMEOUT = float(DEFAULTS["timeout"])  # seconds
DEFAULT_MAX_ROWS = int(DEFAULTS["max_rows"])
DEFAULT_MAX_BODY = int(DEFAULTS["max_body"])  # bytes
DEFAULT_MAX_URL = int(DEFAULTS["max_url"])  # bytes
TRUNCATED_HEADER = "X-Kg-Truncated"
STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to import and open the store
HEADER_ROOM = 16 * 1024  # bytes of request headers beside the URL (h11's default room)
LINGER = 5.0  # seconds a refused request head is read on and dropped before the connection closes
ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#\s]+", re.IGNORECASE)  # what --cors takes
UTF8 = {"utf-8", "utf8", "us-ascii"}  # charsets of a body read as UTF-8
HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"

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
class Dataset:
    """The dataset a request names by ``default-graph-uri`` and ``named-graph-uri``: the
    graphs merged into the default graph, and the graphs ``GRAPH`` can see (either may be
    empty)."""

    default: tuple[str, ...]
    named: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Job:
    """A query for a worker: its text, the client's Accept header, the row cap, the
    dataset of the request (None: the query's FROM, or else the union default graph) and
    the base IRI of relative IRIs in the query (the endpoint's URL)."""

    text: str
    accept: str
    max_rows: int
    dataset: Dataset | None = None
    base: str | None = None


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


def names_dataset(text: str) -> bool:
    """Whether a query has a FROM or FROM NAMED clause (a FROM outside strings, IRIs,
    comments and names, as the tokens of :data:`kg.sparql.TOKEN` tell them).

    >>> names_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * WHERE { ?s ?p "from <x>" } # FROM <y>')
    False
    >>> names_dataset("SELECT ?from WHERE { ?from ex:FROM <from> }")
    False
    """
    return any(
        token.lastgroup == "word" and token.group().upper() == "FROM"
        for token in TOKEN.finditer(text)
    )


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


class DatasetOptions(TypedDict, total=False):
    """The keyword arguments of ``Store.query`` that choose the dataset."""

    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    named_graphs: list[ox.NamedNode | ox.BlankNode]
    use_default_graph_as_union: bool


def dataset_options(job: Job) -> DatasetOptions:
    """The keyword arguments of ``Store.query`` that give the job's query its dataset.

    The request's dataset wins over the query's FROM and FROM NAMED, as the SPARQL 1.1
    Protocol says, and with either, only the graphs named are seen; else the query's own;
    else the default graph is the union of the named graphs.

    >>> dataset_options(Job("ASK {}", "", 1))
    {'use_default_graph_as_union': True}
    >>> dataset_options(Job("ASK FROM <urn:g> {}", "", 1))
    {}
    >>> dataset_options(Job("ASK FROM <urn:g> {}", "", 1, Dataset((), ("urn:h",))))
    {'default_graph': [], 'named_graphs': [<NamedNode value=urn:h>]}
    """
    if job.dataset is not None:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in job.dataset.default],
            "named_graphs": [ox.NamedNode(iri) for iri in job.dataset.named],
        }
    if names_dataset(job.text):
        return {}
    return {"use_default_graph_as_union": True}


def execute(store: ox.Store, job: Job) -> Answer:
    """Run one query on ``store`` and serialize its result as the job's Accept asks.

    The dataset is the job's, else the query's, else the union of the named graphs (see
    :func:`dataset_options`). Gives 400 for a malformed query, 406 for an Accept that no
    format of this result matches, 500 when the store fails, else 200 with at most
    ``job.max_rows`` rows.

    >>> store = ox.Store()
    >>> answer = execute(store, Job("ASK { ?s ?p ?o }", "text/csv", 10))
    >>> answer.status, answer.media_type, answer.body
    (200, 'text/csv; charset=utf-8', b'false')
    >>> execute(store, Job("SELECT ?x WHERE {", "", 10)).status
    400
    """
    try:
        result = store.query(job.text, base_iri=job.base, prefixes=PREFIXES, **dataset_options(job))
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


def url_too_long(limit: int) -> str:
    """The message of a 414."""
    return (
        f"the request URL is over {limit} bytes, this server's limit (kg serve --max-url); "
        "send a long query by POST, in the request body"
    )


def body_too_long(limit: int) -> str:
    """The message of a 413."""
    return f"the request body is over {limit} bytes, this server's limit (kg serve --max-body)"


def _fields(data: bytes, where: str) -> dict[str, list[str]]:
    """The name=value pairs of a URL's query string or of a form body, decoded as UTF-8.

    >>> _fields(b"query=ASK%20%7B%7D&named-graph-uri=urn%3Aa&named-graph-uri=urn%3Ab", "URL")
    {'query': ['ASK {}'], 'named-graph-uri': ['urn:a', 'urn:b']}
    """
    try:
        pairs = parse_qsl(data.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as err:
        raise _RequestError(400, f"the {where} is not UTF-8 ({err.reason})") from err
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _dataset(fields: dict[str, list[str]]) -> Dataset | None:
    """The dataset that ``default-graph-uri`` and ``named-graph-uri`` name, if they are
    given; 400 for a value that is not an absolute IRI."""
    for parameter in ("default-graph-uri", "named-graph-uri"):
        for iri in fields.get(parameter, []):
            try:
                ox.NamedNode(iri)
            except ValueError as err:
                raise _RequestError(
                    400, f"{parameter} {iri!r} is not an absolute IRI ({err})"
                ) from err
    default = tuple(fields.get("default-graph-uri", []))
    named = tuple(fields.get("named-graph-uri", []))
    return Dataset(default, named) if default or named else None


def _one_query(fields: dict[str, list[str]]) -> tuple[str, Dataset | None]:
    """The single ``query`` of a GET's parameters or a form, and the dataset they name;
    updates are refused."""
    if "update" in fields:
        raise _RequestError(403, READ_ONLY)
    queries = fields.get("query", [])
    if len(queries) != 1:
        raise _RequestError(
            400, "give exactly one 'query' parameter, e.g. /sparql?query=ASK%20%7B%7D"
        )
    return queries[0], _dataset(fields)


def _content_type(header: str) -> tuple[str, str]:
    """The media type of a Content-Type header and its charset (utf-8 when it names none).

    >>> _content_type('application/sparql-query; charset="UTF-16"')
    ('application/sparql-query', 'utf-16')
    """
    media_type, *params = header.split(";")
    charset = "utf-8"
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


async def _protocol_request(request: Request) -> tuple[str, Dataset | None]:
    """The SPARQL text of a protocol request and the dataset its parameters name.

    GET and HEAD have them in the query string; a form POST in the form and the query
    string; an application/sparql-query POST has the query as its body and the dataset
    in the query string.
    """
    url = _fields(request.scope["query_string"], "URL's query string")
    if request.method in ("GET", "HEAD"):
        return _one_query(url)
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    if media_type == UPDATE_BODY or "update" in url:
        raise _RequestError(403, READ_ONLY)
    if media_type not in (FORM, QUERY_BODY):
        raise _RequestError(415, f"send the query as {FORM} (query=...) or as an {QUERY_BODY} body")
    if charset not in UTF8:
        raise _RequestError(415, f"send the request body in UTF-8, not {charset}")
    body = await request.body()  # at most max_body bytes: _Limits stops a longer one
    if media_type == FORM:
        form = _fields(body, "form body")
        return _one_query({name: url.get(name, []) + form.get(name, []) for name in url | form})
    if "query" in url:
        raise _RequestError(
            400, f"give the query once: as the {QUERY_BODY} body, not also as a 'query' parameter"
        )
    try:
        return body.decode("utf-8"), _dataset(url)
    except UnicodeDecodeError as err:
        raise _RequestError(400, f"the request body is not UTF-8 ({err.reason})") from err


def _base(request: Request) -> str | None:
    """The endpoint's URL (``/sparql``, with the host the client named), None if that is
    not an IRI: the base IRI of relative IRIs in the query (the protocol lets the service
    choose it)."""
    url = request.url
    try:
        return ox.NamedNode(f"{url.scheme}://{url.netloc}{url.path.rstrip('/')}").value
    except ValueError:
        return None


class _Limits:
    """ASGI middleware that refuses a URL over ``max_url`` bytes (414) and a body over
    ``max_body`` bytes (413).

    A body whose Content-Length is over the limit is refused before any of it is read
    (uvicorn drops what the client still sends); one sent in chunks is counted as the app
    reads it, and the read fails with a 413 once the count passes the limit.
    """

    def __init__(self, app: ASGIApp, max_body: int, max_url: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_url = max_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, query = scope.get("raw_path") or scope["path"].encode(), scope["query_string"]
        size = len(path) + (len(query) + 1 if query else 0)  # the request line's target
        declared = Headers(scope=scope).get("content-length", "")
        refusal = None
        if size > self.max_url:
            refusal = PlainTextResponse(url_too_long(self.max_url) + "\n", 414)
        elif declared.isdigit() and int(declared) > self.max_body:
            refusal = PlainTextResponse(body_too_long(self.max_body) + "\n", 413)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            read += len(message.get("body", b""))
            if read > self.max_body:
                raise _RequestError(413, body_too_long(self.max_body))
            return message

        await self.app(scope, counted, send)


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


def create_app(
    pool: QueryPool,
    site: Path,
    max_rows: int,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    max_url: int = DEFAULT_MAX_URL,
    cors: Sequence[str] = (),
) -> Starlette:
    """The Starlette app: /sparql answered by ``pool``, / by the viewer in ``site``.

    ``pool`` must be started (entered); rows beyond ``max_rows`` are cut off; bodies over
    ``max_body`` and URLs over ``max_url`` bytes are refused; web pages of the ``cors``
    origins (``*``: any) may query it.
    """

    async def sparql(request: Request) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            return PlainTextResponse(
                f"{request.method} is not a SPARQL query method: use GET or POST\n",
                status_code=405,
                headers={"Allow": "GET, HEAD, POST"},
            )
        try:
            text, dataset = await _protocol_request(request)
        except _RequestError as err:
            return PlainTextResponse(str(err) + "\n", status_code=err.status)
        if is_update(text):
            return PlainTextResponse(READ_ONLY + "\n", status_code=403)
        if FEDERATED.search(text):
            return PlainTextResponse(NO_SERVICE + "\n", status_code=403)
        job = Job(text, request.headers.get("accept", ""), max_rows, dataset, _base(request))
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

    middleware = [Middleware(_Limits, max_body=max_body, max_url=max_url)]
    if cors:  # outermost, so that refusals carry the CORS headers too
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors),
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=[TRUNCATED_HEADER],
            ),
        )
    return Starlette(
        routes=[
            # all methods, so that the viewer's Mount does not take the others
            Route("/sparql", sparql, methods=HTTP_METHODS),
            Route("/sparql/", sparql, methods=HTTP_METHODS),
            Mount("/", app=viewer),
        ],
        middleware=middleware,
    )


# --- the server ----------------------------------------------------------------------------


def check_origin(origin: str) -> str:
    """``origin`` when it is ``*`` or a web origin (scheme, host and port, no path), else a
    KgError: the browser sends the origin in exactly this form, so anything else would
    never match.

    >>> check_origin("https://viewer.example.org:8443")
    'https://viewer.example.org:8443'
    >>> check_origin("viewer.example.org")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.KgError: --cors 'viewer.example.org' is not an origin: give scheme://host...
    """
    if origin == "*" or ORIGIN.fullmatch(origin):
        return origin
    raise KgError(
        f"--cors {origin!r} is not an origin: give scheme://host[:port] without a path "
        "(e.g. https://example.org), or *"
    )


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


class _HttpProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, except for a request head too long to keep.

    uvicorn answers a request line or headers over h11's buffer size with 400 and closes
    the connection with the rest of the request unread, so that the client mostly sees a
    reset. Here the answer is 414 (URL) or 431 (headers) with a message, and the rest is
    read and dropped for up to LINGER seconds, so that the client sees the answer.
    """

    refused = False

    def data_received(self, data: bytes) -> None:
        if not self.refused:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        buffered, _ = self.conn.trailing_data
        limit = self.config.h11_max_incomplete_event_size
        if limit is None or len(buffered) <= limit:  # not too long: a malformed request
            super().send_400_response(msg)
            return
        if b"\n" in buffered:
            status, message = 431, f"the request's URL and headers are over {limit} bytes"
        else:  # serve() gives h11 room for max_url bytes and HEADER_ROOM bytes of headers
            status, message = 414, url_too_long(limit - HEADER_ROOM)
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        body = (message + "\n").encode("utf-8")
        headers.append((b"content-length", str(len(body)).encode()))
        reason = HTTPStatus(status).phrase.encode()
        output = self.conn.send(h11.Response(status_code=status, headers=headers, reason=reason))
        output += self.conn.send(h11.Data(data=body))
        output += self.conn.send(h11.EndOfMessage())
        self.transport.write(output)
        self.transport.write_eof()
        self.refused = True
        self.loop.call_later(LINGER, self.transport.close)

    def shutdown(self) -> None:
        if self.refused:
            self.transport.close()
        else:
            super().shutdown()


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
    max_body: int = DEFAULT_MAX_BODY,
    max_url: int = DEFAULT_MAX_URL,
    cors: Sequence[str] = (),
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the build in ``out`` until Ctrl-C (or SIGTERM): /sparql and the viewer at /.

    ``announce`` gets the server's URL once it accepts connections (port 0 picks a free
    port, which the URL shows). Raises :class:`KgError` when there is no build in ``out``,
    a ``cors`` entry is not an origin, or the address cannot be listened on.
    """
    for origin in cors:
        check_origin(origin)
    open_store(out)  # a missing or unreadable build is a one-line error, before anything
    sock = _listen(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    url = f"http://{shown}:{bound_port}/"
    try:
        with sock, QueryPool(store_path(out), timeout=timeout) as pool:
            app = create_app(
                pool, site_dir(out), max_rows, max_body=max_body, max_url=max_url, cors=cors
            )
            config = uvicorn.Config(
                app,
                http=_HttpProtocol,
                # a URL up to the limit is read whole, for the app to answer (or refuse)
                h11_max_incomplete_event_size=max_url + HEADER_ROOM,
                log_level="warning",
                lifespan="off",
                timeout_graceful_shutdown=int(timeout) + 1,
            )
            _Server(config, lambda: announce(url)).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down
        pass
