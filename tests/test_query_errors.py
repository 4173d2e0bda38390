"""Errors a user can act on: SPARQL that does not parse gets the line and column of the
query as written, the tokens expected there in words and the line with a caret under the
place; an update is refused as one, by the command, the API and a remote endpoint alike;
a bare word that names no query lists the names."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.api import Build
from kg.cli import cli
from kg.errors import QueryError
from kg.query import answer, named_queries, resolve
from kg.remote import Endpoint
from kg.sparql import is_update, parse_problem


@pytest.fixture
def empty_build(tmp_path: Path) -> Path:
    """A build folder with an empty store and an empty TriG: queries run, on nothing."""
    out = tmp_path / "out"
    out.mkdir()
    store = ox.Store(str(out / "store"))
    store.flush()
    del store
    (out / "graph.trig").write_text("", "utf-8")
    return out


def error_of(runner: CliRunner, out: Path, *args: str) -> list[str]:
    """The lines ``kg query ARGS`` prints on stderr, which must fail with status 2."""
    result = runner.invoke(cli, ["query", *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


def caret_column(lines: list[str]) -> int:
    """The column (from 1) the caret points at under the shown line of the query."""
    assert lines[-1].strip() == "^", lines
    return lines[-1].index("^") - 2 + 1


# (query, line, column, what the message says is expected there or what is wrong)
BROKEN = [
    ("SELEC ?x", 1, 1, "expected SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'"),
    ("  SELEC ?x WHERE { ?x ?p ?o }", 1, 3, "found 'SELEC'"),
    ("{ ?s ?p ?o }", 1, 1, "expected SELECT, ASK, CONSTRUCT or DESCRIBE, found '{'"),
    ("PREFIX ex <http://example.org/> SELECT * {}", 1, 10, "expected ':' after the prefix"),
    ("PREFIX ex: http://example.org/ SELECT * {}", 1, 12, "expected the prefix's IRI in <"),
    ("SELECT * WHERE { ?s ex:p ?o }", 1, 21, "the prefix ex: is not declared"),
    ("SELECT * WHERE {\n  ?s kg:fileName ?name .\n  ?s onbekend:x ?o\n}", 3, 6, "onbekend:"),
    ("ASK { ?s ?p ?o", 1, 5, "this '{' is not closed: expected '}'"),
    ("SELECT * WHERE { ?s ?p ?o ) }", 1, 16, "expected '}' before the ')' of line 1, column 27"),
    ("SELECT * WHERE { ?s ?p ?o } }", 1, 29, "'}' closes nothing"),
    ('SELECT * WHERE { ?s ?p "Irak }', 1, 24, "this string is not closed"),
    ("SELECT ?s WHERE { ?s ?p }", 1, 25, "expected a term (a variable, IRI"),
    ("SELECT ?x\nWHERE { ?x kg:mission }", 2, 23, "expected a term"),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 3", 1, 29, "LIMIT or OFFSET, found 'LIMT'"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER ?s", 1, 35, "expected BY, found '?s'"),
    ("SELECT ?a, ?b WHERE { ?a ?p ?b }", 1, 10, "found ','"),
    ("SELECT (COUNT(?s) ?n) WHERE { ?s ?p ?o }", 1, 19, "expected AS"),
    ("SELECT * WHERE { ?s ?p ?o . FILTR(?o > 1) }", 1, 29, "FILTER"),
    ("SELECT * WHERE { ?s a kg:Sentence ?s nif:anchorOf ?q }", 1, 35, "'.'"),
    ("SELECT ?x WHERE {\n ?x kg:value ?v .\n FILTER(?v > 10 && )\n}", 3, 20, "a function"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT tien", 1, 35, "expected a digit, found 'tien'"),
]


@pytest.mark.parametrize(("sparql", "line", "column", "says"), BROKEN)
def test_query_errors_say_line_column_and_what_was_expected(
    runner: CliRunner, empty_build: Path, sparql: str, line: int, column: int, says: str
) -> None:
    lines = error_of(runner, empty_build, sparql)
    prefix = f"kg: error: the query is not valid SPARQL: line {line}, column {column}: "
    assert lines[0].startswith(prefix), lines[0]
    assert says in lines[0]
    assert lines[1] == "  " + sparql.split("\n")[line - 1]  # the user's line, as written
    assert caret_column(lines) == column
    assert len(lines) == 3


def cuts(text: str) -> Iterator[str]:
    """Broken versions of a valid query: cut short at, or missing, one token in seven."""
    tokens = list(re.finditer(r"\S+", text))
    for token in tokens[3::7]:
        yield text[: token.start()]
        yield text[: token.start()] + text[token.end() :]


BROKEN_NAMED = sorted(
    {cut for query in named_queries().values() for cut in cuts(query.text)}, key=len
)


def test_query_errors_of_broken_named_queries_are_readable() -> None:
    """Every named query, cut short or missing a token, that no longer parses gets a
    message in words with a place inside the query: no Rust character class, no "[_]"."""
    store = ox.Store()
    checked = 0
    for text in BROKEN_NAMED:
        try:
            answer(store, text)
        except QueryError as err:
            message = str(err)
        else:
            continue
        checked += 1
        first, shown, caret = message.split("\n")
        place = re.match(r"the query is not valid SPARQL: line (\d+), column (\d+): \S", first)
        assert place, message
        line, column = int(place.group(1)), int(place.group(2))
        written = text.split("\n")[line - 1]  # the line, as the user wrote it
        assert shown.strip().strip("…") in written, message
        assert caret.strip() == "^" and len(first) < 400, message
        assert not any(rust in first for rust in ("..=", "\\u{", "[_]", "['")), message
        assert column <= len(written) + 1, message
    assert checked > 100  # the cuts do break queries


def test_query_errors_name_the_rq_file_and_count_its_lines(
    runner: CliRunner, empty_build: Path, tmp_path: Path
) -> None:
    query = tmp_path / "missies.rq"
    query.write_text(
        "# troepen per missie\nSELECT ?m WHERE {\n  ?f kg:mission ?m\n  FILTER(?m != kg:NMI\n}\n"
    )
    lines = error_of(runner, empty_build, str(query))
    assert lines[0].startswith(f"kg: error: {query}: the query is not valid SPARQL: line 4, ")
    assert lines[1] == "    FILTER(?m != kg:NMI"


def test_query_errors_bare_word_is_an_unknown_query(runner: CliRunner, empty_build: Path) -> None:
    lines = error_of(runner, empty_build, "missies")
    assert lines == [
        "kg: error: unknown query 'missies': use a named query "
        f"({', '.join(named_queries())}), a .rq file or SPARQL text"
    ]


@pytest.mark.parametrize("spec", ["SELEC ?x", "personnel.csv", "select*", "?x"])
def test_query_errors_what_is_not_a_bare_word_is_read_as_sparql(spec: str) -> None:
    assert resolve(spec) == spec
    assert parse_problem(spec) is not None


UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "LOAD <http://example.org/graph.ttl>",
    "CLEAR ALL",
    "CREATE GRAPH <urn:g>",
    "DROP ALL",
    "COPY DEFAULT TO <urn:g>",
    "MOVE <urn:a> TO <urn:b>",
    "ADD <urn:a> TO <urn:b>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/#>\n# a comment\nBASE <http://example.org/>\nINSERT DATA {}",
]


@pytest.mark.parametrize("update", UPDATES)
def test_query_errors_updates_are_refused_by_the_command(
    runner: CliRunner, empty_build: Path, update: str
) -> None:
    word = re.sub(r"(?m)^(?:PREFIX|BASE|#).*\n", "", update).split()[0].upper()
    for backend in ("oxigraph", "oxigraph-memory", "rdflib"):
        lines = error_of(runner, empty_build, update, "--store", backend)
        assert lines == [
            f"kg: error: kg is read-only: {word} starts a SPARQL update, and updates are not "
            "run (the graph is made by kg build)"
        ]


@pytest.mark.parametrize("method", ["query", "records", "frame", "run"])
def test_query_errors_updates_are_refused_by_the_api(empty_build: Path, method: str) -> None:
    with Build.open(empty_build) as build, pytest.raises(QueryError, match="kg is read-only"):
        getattr(build, method)("DELETE WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "DELETE" }',
        "# DELETE everything? no:\nSELECT * WHERE { ?s ?p ?o }",
        "PREFIX insert: <urn:x#> SELECT * WHERE { ?s insert:p ?o }",
        "ASK { ?s ?p ?o }",
    ],
)
def test_query_errors_a_query_mentioning_an_update_word_is_no_update(query: str) -> None:
    assert not is_update(query)


class Stub(BaseHTTPRequestHandler):
    """A SPARQL endpoint that refuses every query as Oxigraph's server does, counting
    the lines of what it was sent."""

    requests: list[str] = []  # noqa: RUF012 (the requests of all handlers, for the tests)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        Stub.requests.append(self.rfile.read(length).decode("utf-8"))
        body = b"error at 2:25: expected one of BIND, [_]"
        self.send_response(400)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Stub.requests.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


def test_query_errors_remote_refusal_gives_the_users_line(stub: str) -> None:
    """The endpoint's parser counts the PREFIX line kg puts before the query; kg says
    where the query as written goes wrong."""
    with pytest.raises(QueryError) as caught:
        Endpoint(stub).answer("SELECT ?s WHERE { ?s ?p }")
    first, shown, caret = str(caught.value).split("\n")
    assert first.startswith(f"the SPARQL endpoint {stub} answered 400 Bad Request: ")
    assert first.endswith(
        "the query is not valid SPARQL: line 1, column 25: expected a term "
        "(a variable, IRI, prefixed name, literal or blank node), '(' or '.', "
        "found '}'"
    )
    assert shown == "  SELECT ?s WHERE { ?s ?p }" and caret.index("^") == 2 + 24
    assert len(Stub.requests) == 1


def test_query_errors_remote_refusal_of_what_parses_here_keeps_the_endpoints_words(
    stub: str,
) -> None:
    with pytest.raises(QueryError, match="answered 400 Bad Request: error at 2:25") as caught:
        Endpoint(stub).answer("SELECT ?s WHERE { ?s ?p ?o }")
    assert "line 1 is the PREFIX declarations kg puts before the query" in str(caught.value)


def test_query_errors_remote_update_is_never_sent(stub: str, runner: CliRunner) -> None:
    with pytest.raises(QueryError, match="kg is read-only: INSERT starts a SPARQL update"):
        Build.remote(stub).query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    result = runner.invoke(cli, ["query", "DROP ALL", "--endpoint", stub])
    assert result.exit_code == 2 and "kg is read-only: DROP" in result.stderr
    assert Stub.requests == []


def test_query_errors_rq_file_may_start_with_a_bom(
    runner: CliRunner, empty_build: Path, tmp_path: Path
) -> None:
    query = tmp_path / "bom.rq"
    query.write_bytes("\ufeff# saved by an editor\nSELECT ?s WHERE { ?s ?p ?o }\n".encode())
    result = runner.invoke(cli, ["query", str(query), "--out", str(empty_build)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "s"
