"""``kg serve`` as a client sees it: the real server (``python -m kg serve``) on a free port,
queried with SPARQLWrapper, httpx and raw sockets; formats, HEAD, read-only, errors,
timeouts, the row cap, the body and URL limits, no CORS unless asked, the viewer at / and
nothing outside it, a small load, the address it binds and a clean Ctrl-C. The SPARQL 1.1
Protocol's own tests and CORS are in test_protocol.py."""

from __future__ import annotations

import csv
import http.client
import importlib.util
import io
import json
import re
import shutil
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import Server
from SPARQLWrapper import JSON, SPARQLWrapper

from kg import serve
from kg.cli import cli

if TYPE_CHECKING:
    from conftest import SeedBuild

DOCS = "SELECT ?doc WHERE { ?d a kg:Document ; kg:fileName ?doc } ORDER BY ?doc"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def out(seed_build: SeedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seeds' build for this module, which adds a viewer to it."""
    copy = tmp_path_factory.mktemp("serve") / "out"
    shutil.copytree(seed_build.out / "store", copy / "store")
    return copy


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[Server]:
    """The server of ``out`` with a 1 s timeout and a cap of 50 rows."""
    running = Server(out, "--timeout", "1", "--max-rows", "50")
    yield running
    running.stop()


def cell_values(rows: list[dict[str, dict[str, str]]], name: str) -> list[str]:
    return [row[name]["value"] for row in rows]


# --- protocol and formats -------------------------------------------------------------


def test_serve_sparqlwrapper_select_gets_json_rows(server: Server, seed_names: list[str]) -> None:
    sparql = SPARQLWrapper(server.url + "sparql")
    sparql.setQuery(DOCS)
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(10)
    result = sparql.queryAndConvert()
    assert isinstance(result, dict)
    assert result["head"]["vars"] == ["doc"]
    assert cell_values(result["results"]["bindings"], "doc") == seed_names


def parse_json(body: str) -> list[str]:
    return cell_values(json.loads(body)["results"]["bindings"], "doc")


def parse_csv(body: str) -> list[str]:
    return [row["doc"] for row in csv.DictReader(io.StringIO(body))]


def parse_tsv(body: str) -> list[str]:
    header, *rows = body.splitlines()
    assert header == "?doc"
    return [row.strip('"') for row in rows]


def parse_xml(body: str) -> list[str]:
    root = ET.fromstring(body)
    return [
        binding.findtext(f"{SPARQL_RESULTS}literal") or ""
        for binding in root.iter(f"{SPARQL_RESULTS}binding")
    ]


@pytest.mark.parametrize(
    ("accept", "media_type", "parse"),
    [
        ("", "application/sparql-results+json", parse_json),
        ("application/json", "application/sparql-results+json", parse_json),
        ("text/csv", "text/csv", parse_csv),
        ("text/tab-separated-values", "text/tab-separated-values", parse_tsv),
        ("application/sparql-results+xml", "application/sparql-results+xml", parse_xml),
        ("text/html, */*;q=0.1", "application/sparql-results+json", parse_json),
    ],
)
def test_serve_select_answers_in_the_accepted_format(
    client: httpx.Client,
    seed_names: list[str],
    accept: str,
    media_type: str,
    parse: Callable[[str], list[str]],
) -> None:
    response = client.get("/sparql", params={"query": DOCS}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert parse(response.text) == seed_names
    assert "x-kg-truncated" not in response.headers


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)],
)
def test_serve_construct_gives_turtle_or_ntriples(
    client: httpx.Client, seed_names: list[str], accept: str, fmt: ox.RdfFormat
) -> None:
    query = "CONSTRUCT { ?d kg:fileName ?doc } WHERE { ?d a kg:Document ; kg:fileName ?doc }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    triples = list(ox.parse(response.content, format=fmt))
    assert sorted(str(t.object.value) for t in triples) == seed_names


def test_serve_post_form_and_post_query_body_give_the_rows(
    client: httpx.Client, seed_names: list[str]
) -> None:
    form = client.post("/sparql", data={"query": DOCS})
    body = client.post(
        "/sparql",
        content=DOCS.encode(),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    for response in (form, body):
        assert response.status_code == 200, response.text
        assert parse_json(response.text) == seed_names


def test_serve_ask_and_406_for_an_accept_it_cannot_produce(client: httpx.Client) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?d a kg:Document }"})
    assert ask.json() == {"head": {}, "boolean": True}
    refused = client.get("/sparql", params={"query": DOCS}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text


def headers_but_date(response: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "date"}


@pytest.mark.parametrize("query", [DOCS, ALL, "SELECT ?doc WHERE {", ""])
def test_serve_head_answers_like_get_without_the_body(client: httpx.Client, query: str) -> None:
    params = {"query": query} if query else {}
    got = client.get("/sparql", params=params)
    head = client.head("/sparql", params=params)
    assert head.status_code == got.status_code
    assert headers_but_date(head) == headers_but_date(got)  # length, type, X-Kg-Truncated
    assert head.content == b"" and got.content != b""


def test_serve_sends_no_cors_headers_without_cors(client: httpx.Client) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    got = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    preflight = client.options(
        "/sparql", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert got.status_code == 200
    assert preflight.status_code == 405  # no preflight answered: not a CORS endpoint
    for response in (got, preflight):
        assert [name for name in response.headers if name.startswith("access-control-")] == []


# --- refusals and errors ----------------------------------------------------------------

INSERT = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"


UPDATES: dict[str, Callable[[httpx.Client], httpx.Response]] = {
    "form-update": lambda http: http.post("/sparql", data={"update": INSERT}),
    "update-body": lambda http: http.post(
        "/sparql", content=INSERT.encode(), headers={"Content-Type": "application/sparql-update"}
    ),
    "update-as-get-query": lambda http: http.get("/sparql", params={"query": INSERT}),
    "update-as-query-body": lambda http: http.post(
        "/sparql", content=INSERT.encode(), headers={"Content-Type": "application/sparql-query"}
    ),
}


@pytest.mark.parametrize("how", list(UPDATES))
def test_serve_refuses_updates(client: httpx.Client, how: str) -> None:
    response = UPDATES[how](client)
    assert response.status_code == 403
    assert "read-only" in response.text
    still = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert still.json()["boolean"] is True


def test_serve_malformed_query_gets_400_with_the_parser_message(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?doc WHERE { ?d kg:fileName "})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("the query is not valid SPARQL: error at 1:")
    assert len(response.text.strip().splitlines()) == 1


def test_serve_missing_query_and_unknown_body_type_are_refused(client: httpx.Client) -> None:
    assert client.get("/sparql").status_code == 400
    response = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 415


def test_serve_slow_query_times_out_and_the_server_goes_on(client: httpx.Client) -> None:
    slow: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: slow.append(client.get("/sparql", params={"query": SLOW}))
    )
    start = time.monotonic()
    thread.start()
    time.sleep(0.2)
    meanwhile = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert meanwhile.status_code == 200  # another worker answers while the slow one runs
    thread.join(10)
    assert slow, "the slow query got no answer"
    assert slow[0].status_code in (503, 504)
    assert "timed out after 1 s" in slow[0].text
    assert time.monotonic() - start < 5
    after = client.get("/sparql", params={"query": DOCS})
    assert after.status_code == 200
    assert len(parse_json(after.text)) == 5


@pytest.mark.parametrize("query", [ALL, "CONSTRUCT WHERE { ?s ?p ?o }"])
def test_serve_row_cap_truncates_and_says_so(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv, */*"})
    assert response.status_code == 200, response.text
    assert response.headers["x-kg-truncated"] == "true"
    if query.startswith("SELECT"):
        assert len(list(csv.reader(io.StringIO(response.text)))) == 1 + 50
    else:
        assert len(list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))) == 50


@pytest.mark.parametrize(("rows", "truncated"), [(2, True), (3, False), (4, False)])
def test_serve_execute_cuts_at_exactly_max_rows(rows: int, truncated: bool) -> None:
    store = ox.Store()
    for n in range(3):
        iri = ox.NamedNode(f"http://example.org/{n}")
        store.add(ox.Quad(iri, iri, ox.Literal(f"a\tb\n{n}"), ox.NamedNode("http://example.org/g")))
    answer = serve.execute(store, serve.Job("SELECT ?s ?o WHERE { ?s ?p ?o }", "", rows))
    bindings = json.loads(answer.body)["results"]["bindings"]
    assert len(bindings) == min(rows, 3)
    assert answer.truncated is truncated
    assert bindings[0]["o"]["value"].startswith("a\tb\n")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/json"),
        ("image/png", None),
    ],
)
def test_serve_negotiate_picks_the_preferred_offer(accept: str, expected: str | None) -> None:
    assert serve.negotiate(accept, list(serve.RESULT_FORMATS)) == expected


# --- limits: the body and the URL ----------------------------------------------------------


def raw_request(server: Server, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
    """A request with ``target`` sent as written (no normalising of ``..`` or ``%2e``)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        headers = {"Content-Type": "application/sparql-query"} if body else {}
        connection.request(method, target, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def read_answer(sock: socket.socket) -> bytes:
    """One HTTP answer from ``sock``: its head and as much body as its Content-Length says."""
    answer = b""
    while True:
        head, _, body = answer.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length: *(\d+)", head)
        if length and len(body) >= int(length.group(1)):
            return answer
        chunk = sock.recv(4096)
        if not chunk:
            return answer
        answer += chunk


def test_serve_url_up_to_the_limit_is_answered_and_one_byte_more_gets_414(server: Server) -> None:
    target = "/sparql?query=ASK%20%7B%7D%23"  # ASK {} and a comment filled up to the limit
    target += "x" * (serve.DEFAULT_MAX_URL - len(target))
    assert raw_request(server, "GET", target)[0] == 200
    status, body = raw_request(server, "GET", target + "x")
    assert status == 414
    assert body.decode() == serve.url_too_long(serve.DEFAULT_MAX_URL) + "\n"
    assert b"--max-url" in body and b"POST" in body


def test_serve_request_line_too_long_to_buffer_gets_414_not_a_reset(server: Server) -> None:
    # more than the server buffers (max_url plus room for headers) and no end of line yet:
    # the app never sees this request, the HTTP layer answers it
    start = b"GET /sparql?query=" + b"x" * (serve.DEFAULT_MAX_URL + serve.HEADER_ROOM + 1000)
    with socket.create_connection((server.host, server.port), 10) as sock:
        sock.sendall(start)
        answer = read_answer(sock)  # before the request line has ended
        sock.sendall(b"x" * 200_000 + b" HTTP/1.1\r\nHost: kg\r\n\r\n")  # read and dropped
        while chunk := sock.recv(4096):  # then the server closes, without a reset
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 ")
    assert body.decode() == serve.url_too_long(serve.DEFAULT_MAX_URL) + "\n"


def test_serve_body_up_to_the_limit_is_answered_and_one_byte_more_gets_413(server: Server) -> None:
    body = b"ASK {}".ljust(serve.DEFAULT_MAX_BODY)
    assert raw_request(server, "POST", "/sparql", body)[0] == 200
    status, answer = raw_request(server, "POST", "/sparql", body + b" ")
    assert status == 413
    assert answer.decode() == serve.body_too_long(serve.DEFAULT_MAX_BODY) + "\n"


def test_serve_answers_413_from_the_content_length_before_the_body(server: Server) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: kg\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 50000000\r\n\r\nASK {}"
    )
    with socket.create_connection((server.host, server.port), 10) as sock:
        sock.sendall(head)  # the 50 MB are never sent: the answer must come without them
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(serve.body_too_long(serve.DEFAULT_MAX_BODY).encode() + b"\n")


def peak_memory_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    assert found, status
    return int(found.group(1))


def test_serve_50_mb_posts_are_refused_without_being_kept(
    server: Server, client: httpx.Client
) -> None:
    before = peak_memory_kb(server.process.pid)
    headers = {"Content-Type": "application/sparql-query"}
    sized = client.post("/sparql", content=b"ASK {}".ljust(50_000_000), headers=headers)
    chunked = client.post("/sparql", content=iter([b" " * 2**16] * 800), headers=headers)
    assert "content-length" not in chunked.request.headers  # sent chunked, no size given
    for response in (sized, chunked):
        assert response.status_code == 413
        assert response.text == serve.body_too_long(serve.DEFAULT_MAX_BODY) + "\n"
    assert peak_memory_kb(server.process.pid) - before < 10_000  # kB; the body is 48 MiB
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# --- the viewer at / ------------------------------------------------------------------------


def test_serve_root_shows_the_placeholder_then_the_built_viewer(
    client: httpx.Client, out: Path
) -> None:
    placeholder = client.get("/")
    assert placeholder.status_code == 200
    assert "has not been built" in placeholder.text
    assert 'href="/sparql?query=' in placeholder.text
    assert "http" not in placeholder.text  # no external URLs
    example = re.search(r'href="(/sparql\?query=[^"]+)"', placeholder.text)
    assert example and client.get(example.group(1).replace("&amp;", "&")).status_code == 200
    site = out / "site"
    site.mkdir()
    try:
        (site / "index.html").write_text("<!doctype html><title>viewer</title>", "utf-8")
        (site / "app.js").write_text("console.log('kg');\n", "utf-8")
        assert client.get("/").text == "<!doctype html><title>viewer</title>"
        script = client.get("/app.js")
        assert script.status_code == 200 and "console.log" in script.text
        assert client.get("/missing.js").status_code == 404
    finally:
        shutil.rmtree(site)


OUTSIDE = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt",
    "/sub/../../secret.txt",
    "/sub/%2e%2e/%2e%2e/secret.txt",
    "/%2fsecret.txt",
    "//secret.txt",
    "/link.txt",  # a symlink in site/ to OUT/secret.txt
    "/linkdir/secret.txt",  # a symlink in site/ to OUT
    "/linkdir/store/",
    "/..%00/secret.txt",
    "/sparql/../../secret.txt",
]


def test_serve_viewer_serves_nothing_outside_its_folder(server: Server, out: Path) -> None:
    site = out / "site"
    (site / "sub").mkdir(parents=True)
    secret = out / "secret.txt"
    try:
        (site / "index.html").write_text("<!doctype html><title>viewer</title>", "utf-8")
        (site / "sub" / "page.html").write_text("<p>page</p>", "utf-8")
        secret.write_text("SECRET\n", "utf-8")
        (site / "link.txt").symlink_to(secret)
        (site / "linkdir").symlink_to(out, target_is_directory=True)
        assert raw_request(server, "GET", "/sub/page.html") == (200, b"<p>page</p>")
        assert raw_request(server, "GET", "/sub/../sub/page.html")[0] == 200  # stays inside
        for target in OUTSIDE:
            status, body = raw_request(server, "GET", target)
            assert status in (400, 404), (target, status)
            assert b"SECRET" not in body, target
    finally:
        shutil.rmtree(site)  # the links go, not what they point to
        secret.unlink()


# --- a small load -----------------------------------------------------------------------------


def load_bench() -> ModuleType:
    # bench/ is not a package: load the script by its path.
    spec = importlib.util.spec_from_file_location(
        "bench_serve_load", ROOT / "bench" / "bench_serve_load.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_serve_small_load_4_clients_25_queries_each_has_no_errors(server: Server) -> None:
    bench = load_bench()
    report = bench.load(server.url, clients=4, queries=25)
    assert report.requests == 100
    assert report.errors == 0, report.error_samples
    assert 0 < report.p50_ms <= report.p99_ms


# --- the command: defaults, address, Ctrl-C, expected failures ------------------------------


def test_serve_binds_loopback_by_default_and_ctrl_c_stops_cleanly(out: Path) -> None:
    server = Server(out)
    try:
        assert server.host == "127.0.0.1"
        with httpx.Client(base_url=server.url, timeout=10) as http:
            response = http.get("/sparql", params={"query": ALL}, headers={"Accept": "text/csv"})
        assert response.headers["x-kg-truncated"] == "true"
        assert len(list(csv.reader(io.StringIO(response.text)))) == 1 + 10_000  # the default
        with pytest.raises(OSError), socket.create_connection(("127.0.0.2", server.port), 2):
            pass  # bound to 127.0.0.1 only, not to every address of the machine
    finally:
        code, stderr = server.stop()
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_serve_defaults_are_the_libraries(runner: CliRunner) -> None:
    params = {p.name: p.default for p in cli.commands["serve"].params}
    assert params["host"] == serve.DEFAULT_HOST
    assert params["port"] == serve.DEFAULT_PORT
    assert params["timeout"] == serve.DEFAULT_TIMEOUT
    assert params["max_rows"] == serve.DEFAULT_MAX_ROWS
    assert params["max_body"] == serve.DEFAULT_MAX_BODY == 2**20
    assert params["max_url"] == serve.DEFAULT_MAX_URL == 8192
    assert params["cors"] == ()


def test_serve_without_a_build_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--out", str(tmp_path / "nothing"), "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no kg build here" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("origin", ["example.org", "https://example.org/", "https://a.org/path"])
def test_serve_cors_that_is_not_an_origin_is_a_one_line_error(
    runner: CliRunner, out: Path, origin: str
) -> None:
    result = runner.invoke(cli, ["serve", "--out", str(out), "--port", "0", "--cors", origin])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kg: error: --cors {origin!r} is not an origin: ")
    assert result.stderr.count("\n") == 1


def test_serve_port_in_use_is_a_one_line_error(runner: CliRunner, out: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--out", str(out), "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == f"kg: error: port {port} on 127.0.0.1 is in use; " + (
        "stop what uses it or pick another with --port\n"
    )


def test_serve_refuses_federated_queries(client: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text
