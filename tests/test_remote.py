"""``--endpoint``: kg query, kg.api and the viewer read a real Oxigraph server on loopback
(``oxigraph serve-read-only --union-default-graph`` on the N-Quads export of the seeds) and
give what they give on the local store; and the errors of an endpoint that is not there,
refuses the query, answers with something else or too late (a small stdlib server)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import parse_qs

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import run_kg

from kg.api import Build
from kg.cli import cli
from kg.errors import KgError, QueryError, StoreError
from kg.query import named_queries, run
from kg.remote import Endpoint
from kg.render.data import gather
from kg.store import open_store

if TYPE_CHECKING:
    from conftest import SeedBuild

STARTUP = 20.0  # seconds the server may take to answer its first query
README = Path(__file__).resolve().parent.parent / "README.md"
README_BIND = "127.0.0.1:7878"  # the address the README's commands use
NO_SERVER = "the oxigraph server binary is not installed: pip install -e '.[server]' (part of dev)"
DOCS = "SELECT ?doc WHERE { ?d a kg:Document ; kg:fileName ?doc } ORDER BY ?doc"


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of this environment (beside its Python), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (oxigraph cannot be told to pick one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answers(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while True:
        if process.poll() is not None:
            raise AssertionError(f"oxigraph serve stopped: {log.read_text('utf-8', 'replace')}")
        try:
            Endpoint(url, timeout=2).answer("ASK {}")
            return
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def readme_commands() -> tuple[list[list[str]], list[list[str]]]:
    """The two blocks of commands in the README's "A shared endpoint": setting up the
    server, and pointing kg at it."""
    section = README.read_text("utf-8").split("## A shared endpoint", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "the README's 'A shared endpoint' has two blocks of commands"
    setup, use = ([shlex.split(line) for line in b.splitlines() if line.strip()] for b in blocks)
    return setup, use


@pytest.fixture(scope="module")
def endpoint(seed_build: SeedBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of an Oxigraph server set up by the README's commands, run in a
    folder with a copy of the seeds' build as out/ (on a free port instead of 7878);
    stopped when the module's tests are done."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip(NO_SERVER)
    assert seed_build.result.exit_code == 0, seed_build.result.output
    folder = tmp_path_factory.mktemp("oxigraph")
    shutil.copytree(seed_build.out, folder / "out")
    *prepare, serve = readme_commands()[0]
    assert serve[:2] == ["oxigraph", "serve-read-only"] and "--union-default-graph" in serve
    for command in prepare:
        program = [sys.executable, "-m", "kg"] if command[0] == "kg" else [binary]
        done = subprocess.run(
            [*program, *command[1:]], cwd=folder, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, f"{shlex.join(command)}: {done.stderr}"
    port = free_port()
    arguments = [a.replace(README_BIND, f"127.0.0.1:{port}") for a in serve[1:]]
    log = folder / "server.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [binary, *arguments], cwd=folder, stdout=subprocess.DEVNULL, stderr=stderr
        )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_answers(process, url, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def local(seed_build: SeedBuild) -> Iterator[Build]:
    assert seed_build.result.exit_code == 0, seed_build.result.output
    with Build.open(seed_build.out) as build:
        yield build


# --- the same rows, frames and viewer data ------------------------------------------------


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_remote_named_query_gives_the_local_rows(
    runner: CliRunner, seed_build: SeedBuild, endpoint: str, name: str
) -> None:
    here = runner.invoke(cli, ["query", name, "--out", str(seed_build.out), "--format", "csv"])
    there = runner.invoke(cli, ["query", name, "--endpoint", endpoint, "--format", "csv"])
    assert here.exit_code == 0, here.output
    assert there.exit_code == 0, there.output
    assert there.stdout == here.stdout


def test_remote_named_queries_are_not_empty(seed_build: SeedBuild, endpoint: str) -> None:
    remote = Endpoint(endpoint)
    counts = {name: len(run(remote, q.text).rows) for name, q in named_queries().items()}
    assert counts["documents"] == 5 and counts["personnel"] == 60, counts
    assert sum(1 for n in counts.values() if n) >= len(counts) - 2, counts


@pytest.mark.parametrize(
    "sparql",
    [
        DOCS,
        # a prefix the query declares itself wins over kg's
        "PREFIX kg: <https://w3id.org/kg-iraq/ontology#> SELECT (COUNT(*) AS ?n) "
        "WHERE { ?f a kg:PersonnelFact ; schema:value ?v }",
        "ASK { ?d a kg:Document ; kg:fileName '004_c2f8d41a7c2e9b35.txt' }",
        "ASK { ?d a kg:Document ; kg:fileName 'geen.txt' }",
    ],
)
def test_remote_sparql_text_gives_the_local_rows(
    seed_build: SeedBuild, endpoint: str, sparql: str
) -> None:
    assert run(Endpoint(endpoint), sparql) == run(open_store(seed_build.out), sparql)


def test_remote_construct_gives_the_local_triples(seed_build: SeedBuild, endpoint: str) -> None:
    sparql = "CONSTRUCT { ?d kg:fileName ?doc } WHERE { ?d a kg:Document ; kg:fileName ?doc }"
    there, here = run(Endpoint(endpoint), sparql), run(open_store(seed_build.out), sparql)
    assert there.columns == here.columns == ("subject", "predicate", "object")
    assert sorted(there.rows) == sorted(here.rows) and len(here.rows) == 5


@pytest.mark.parametrize("name", ["personnel", "budgets", "documents", "strength", "spending"])
def test_remote_api_gives_the_local_frame(local: Build, endpoint: str, name: str) -> None:
    with Build.remote(endpoint) as remote:
        pd.testing.assert_frame_equal(remote.frame(name), local.frame(name))
        assert remote.records(name) == local.records(name)


def test_remote_api_query_keeps_the_rows_asked_for(local: Build, endpoint: str) -> None:
    remote = Build.remote(endpoint)
    assert remote.query("strength", mission="OIR") == local.query("strength", mission="OIR")
    assert repr(remote) == f"Build.remote({endpoint!r})"
    with pytest.raises(QueryError, match="only SELECT queries"):
        remote.query("ASK { ?s ?p ?o }")
    with pytest.raises(StoreError, match="has no local store"):
        _ = remote.store
    remote.close()
    with pytest.raises(KgError, match="is closed"):
        remote.query("documents")


def test_remote_viewer_data_is_the_local_data(seed_build: SeedBuild, endpoint: str) -> None:
    assert gather(Endpoint(endpoint)) == gather(open_store(seed_build.out))


def test_remote_kg_view_writes_the_local_page(
    runner: CliRunner, seed_build: SeedBuild, endpoint: str, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["view", "--endpoint", endpoint, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "site" / "index.html"
    assert page.read_bytes() == (seed_build.out / "site" / "index.html").read_bytes()


def test_remote_readme_commands_work(
    runner: CliRunner, endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in readme_commands()[1]:
        assert command[0] == "kg"
        arguments = [a.replace(f"http://{README_BIND}/query", endpoint) for a in command[1:]]
        assert endpoint in arguments, shlex.join(command)
        result = runner.invoke(cli, arguments)
        assert result.exit_code == 0, f"{shlex.join(command)}: {result.output}"
        assert result.stdout or "view" in command, shlex.join(command)
    assert (tmp_path / "team-view" / "site" / "index.html").is_file()


def test_remote_kg_docs_lists_the_local_documents(
    runner: CliRunner, seed_build: SeedBuild, endpoint: str
) -> None:
    here = runner.invoke(cli, ["docs", "--out", str(seed_build.out), "--format", "csv"])
    there = runner.invoke(cli, ["docs", "--endpoint", endpoint, "--format", "csv"])
    assert there.exit_code == 0, there.output
    assert there.stdout == here.stdout


# --- errors ---------------------------------------------------------------------------------


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: ")
    return lines[0]


def test_remote_unreachable_endpoint_is_a_one_line_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    line = one_line_error(run_kg("query", "documents", "--endpoint", url))
    assert f"cannot reach the SPARQL endpoint {url} (Connection refused)" in line
    with pytest.raises(StoreError, match="cannot reach"):
        Build.remote(url).query("documents")


def test_remote_url_that_is_not_http_is_a_one_line_error() -> None:
    line = one_line_error(run_kg("query", "documents", "--endpoint", "localhost:7878"))
    assert "'localhost:7878' is not the http:// or https:// URL" in line


def test_remote_invalid_query_names_the_status_and_the_user_s_line(endpoint: str) -> None:
    """The server counts kg's PREFIX line; the message counts the user's lines, and shows
    the line with a caret under the column."""
    result = run_kg("query", "SELECT ?s WHERE { ?s ?p }", "--endpoint", endpoint)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    message, shown, caret = result.stderr.splitlines()
    assert message.startswith(
        f"kg: error: the SPARQL endpoint {endpoint} answered 400 Bad Request: "
        "the query is not valid SPARQL: line 1, column 25: "
    )
    assert shown == "  SELECT ?s WHERE { ?s ?p }"
    assert caret == " " * 26 + "^"


def test_remote_wrong_path_says_where_the_endpoint_is(runner: CliRunner, endpoint: str) -> None:
    wrong = endpoint.removesuffix("/query") + "/nothing"
    result = runner.invoke(cli, ["query", "documents", "--endpoint", wrong])
    assert result.exit_code == 2
    assert "answered 404 Not Found" in result.stderr
    assert "http://HOST:PORT/query" in result.stderr


def test_remote_endpoint_and_store_together_is_a_usage_error(runner: CliRunner) -> None:
    url = "http://127.0.0.1:9/query"
    result = runner.invoke(cli, ["query", "documents", "--endpoint", url, "--store", "rdflib"])
    assert result.exit_code == 2
    assert "--endpoint reads a remote store" in result.stderr


# --- a stub endpoint: what is sent, and answers no SPARQL server should give ---------------

JSON_DOCS = {
    "head": {"vars": ["doc"]},
    "results": {"bindings": [{"doc": {"type": "literal", "value": "a.txt"}}]},
}

RESULTS = "application/sparql-results+json"
ANSWERS = {
    "/html": ("text/html", b"<!DOCTYPE html>\n<p>Welcome</p>"),
    "/broken": (RESULTS, b'{"head": {"vars": ['),
}


class Stub(BaseHTTPRequestHandler):
    """Answers by path; keeps what each request sent in ``requests``."""

    requests: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.requests.append((self.command, self.path, dict(self.headers), body))
        if self.path == "/slow":
            time.sleep(1.5)  # the client has given up by then: nothing to answer
            return
        kind, content = ANSWERS.get(self.path, (RESULTS, json.dumps(JSON_DOCS).encode()))
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        if self.path == "/cut":
            self.send_header("X-Kg-Truncated", "true")
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:  # no noise on stderr
        pass


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_remote_sends_a_form_with_the_query_and_asks_for_json(stub: str) -> None:
    Stub.requests.clear()
    assert run(Endpoint(f"{stub}/query"), DOCS).rows == (("a.txt",),)
    [(method, path, headers, body)] = Stub.requests
    assert (method, path) == ("POST", "/query")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Accept"].startswith("application/sparql-results+json")
    form = parse_qs(body.decode("utf-8"))
    assert list(form) == ["query"]
    [text] = form["query"]
    assert text.endswith("\n" + DOCS) and "PREFIX kg: <https://w3id.org/kg-iraq/ontology#>" in text


def test_remote_never_sends_an_update(stub: str) -> None:
    Stub.requests.clear()
    with pytest.raises(QueryError, match="kg is read-only: INSERT starts a SPARQL update"):
        Build.remote(f"{stub}/query").query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert Stub.requests == []


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/html", StoreError, r"answered with text/html, not SPARQL results \(<!DOCTYPE html>\)"),
        ("/broken", StoreError, "answered with application/sparql-results\\+json that cannot"),
        ("/cut", QueryError, "sent only part of the result"),
    ],
)
def test_remote_answer_that_is_no_result_is_an_error(
    stub: str, path: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        run(Endpoint(stub + path), DOCS)


def test_remote_slow_endpoint_times_out(stub: str) -> None:
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"did not answer within 0.3 s"):
        run(Endpoint(f"{stub}/slow", timeout=0.3), DOCS)
    assert time.monotonic() - started < 1.4
