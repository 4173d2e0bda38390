"""``kg serve`` as a client sees it: the real server (``python -m kg serve``) on a free port,
queried with SPARQLWrapper and httpx; formats, read-only, errors, timeouts, the row cap,
the viewer at /, the address it binds and a clean Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from kg import serve
from kg.cli import cli

if TYPE_CHECKING:
    from conftest import SeedBuild

DOCS = "SELECT ?doc WHERE { ?d a kg:Document ; kg:fileName ?doc } ORDER BY ?doc"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
STARTUP = 30.0  # seconds the server may take to say where it is
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


class Server:
    """``python -m kg serve --out OUT --port 0 ARGS`` in a subprocess, stopped with SIGINT."""

    def __init__(self, out: Path, *args: str) -> None:
        command = [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.announcement = self._first_line(STARTUP)
        found = re.search(r"http://([\d.]+):(\d+)/", self.announcement)
        if found is None:
            self.stop()
            raise AssertionError(f"kg serve did not say where it is: {self.announcement!r}")
        self.host, self.port = found.group(1), int(found.group(2))
        self.url = found.group(0)

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                self.process.kill()
                raise AssertionError(f"kg serve said nothing in {timeout} s")
        return self.process.stdout.readline()

    def stop(self) -> tuple[int, str]:
        """Ctrl-C the server: its exit status and what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return self.process.returncode, stderr


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


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


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
    form = client.post("/sparql", data={"query": DOCS, "default-graph-uri": "urn:ignored"})
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


def test_serve_without_a_build_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--out", str(tmp_path / "nothing"), "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no kg build here" in result.stderr and "Traceback" not in result.stderr


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
