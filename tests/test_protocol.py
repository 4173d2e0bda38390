"""``kg serve`` against the SPARQL 1.1 Protocol: the query tests of the W3C suite, the dataset
(``default-graph-uri``, ``named-graph-uri``, ``FROM``, ``FROM NAMED``), updates refused, and
CORS when asked for.

The W3C protocol tests (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl) describe each
test as an HTTP request and the response expected, in prose. The query tests are written
again here, in our own words, as a table of (the manifest's test name, request, expected
status, media type and ASK answer), sent to ``kg serve`` over the seeds' build. The suite's
queries read its own data (graphs data1.rdf, data2.rdf and data3.rdf that each hold a
triple ``<dataN.rdf> a ?type``): here they read the documents' graphs of the build instead,
``<doc> a kg:Document`` being the triple each document's graph holds about itself; its
data0.rdf, which those tests load nothing into, becomes a graph IRI the build does not
have. Where the suite asks for "2xx or 3xx" we expect 200, and where it asks for "4xx" the
code we give.

The suite's update tests expect 2xx: kg serve is read-only, so they are sent here to check
that each is refused (403, or 415 where the body's type says nothing of an update) and that
the graph stays the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from conftest import SEED_NAMES, Server

from kg.rdf import doc_iri, graph_iri

if TYPE_CHECKING:
    from conftest import SeedBuild

GRAPHS = [graph_iri(name) for name in SEED_NAMES]  # one named graph per document
DOCS = [doc_iri(name) for name in SEED_NAMES]
ABSENT = graph_iri("absent.txt")  # a graph IRI the build does not have (the suite's data0.rdf)
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
TEXT = "text/plain"
ORIGIN = "https://viewer.example.org"  # the origins the CORS server allows
OTHER_ORIGIN = "http://localhost:9000"


def doc(n: int) -> str:
    return f"<{DOCS[n]}> a kg:Document"


def ask(pattern: str, dataset: str = "") -> str:
    return f"ASK {dataset}{{ {pattern} }}"


@dataclass(frozen=True)
class Case:
    """One request and what must come back: status, media type and, for ASK, the answer."""

    name: str  # the manifest's test name, or (our own cases) what the case shows
    method: str = "GET"
    params: tuple[tuple[str, str], ...] = ()  # the URL's query string
    body: bytes | None = None
    content_type: str | None = None
    status: int = 200
    media_type: str = JSON_RESULTS
    boolean: bool | None = None
    path: str = "/sparql/"  # the suite's path; /sparql works the same

    def send(self, http: httpx.Client) -> httpx.Response:
        headers = {"Content-Type": self.content_type} if self.content_type else {}
        return http.request(
            self.method, self.path, params=list(self.params), content=self.body, headers=headers
        )


def dgu(*iris: str) -> tuple[tuple[str, str], ...]:
    return tuple(("default-graph-uri", iri) for iri in iris)


def ngu(*iris: str) -> tuple[tuple[str, str], ...]:
    return tuple(("named-graph-uri", iri) for iri in iris)


def q(text: str) -> tuple[tuple[str, str], ...]:
    return (("query", text),)


TWO_DEFAULT = ask(f"{doc(0)} . {doc(1)}")  # both documents in the default graph
TWO_NAMED = ask(f"GRAPH ?g1 {{ {doc(0)} }} GRAPH ?g2 {{ {doc(1)} }}")  # both as named graphs
FULL = ask(f"{doc(2)} GRAPH ?g1 {{ {doc(0)} }} GRAPH ?g2 {{ {doc(1)} }}")

W3C_QUERY_TESTS = [
    Case("query_post_form", "POST", dgu(ABSENT), b"query=ASK%20%7B%7D", FORM, boolean=True),
    Case(
        "query_dataset_default_graphs_get", params=q(TWO_DEFAULT) + dgu(*GRAPHS[:2]), boolean=True
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        dgu(*GRAPHS[:2]),
        TWO_DEFAULT.encode(),
        QUERY,
        boolean=True,
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        ngu(*GRAPHS[:2]),
        TWO_NAMED.encode(),
        QUERY,
        boolean=True,
    ),
    Case("query_dataset_named_graphs_get", params=q(TWO_NAMED) + ngu(*GRAPHS[:2]), boolean=True),
    Case(
        "query_dataset_full",
        "POST",
        dgu(GRAPHS[2]) + ngu(*GRAPHS[:2]),
        FULL.encode(),
        QUERY,
        boolean=True,
    ),
    # The suite's URL has one named-graph-uri whose value holds an encoded "&named-graph-uri=",
    # which would name one graph that does not exist and make its ASK false; we send the two
    # parameters it means. The protocol's dataset wins over the query's FROM.
    Case(
        "query_multiple_dataset",
        "POST",
        ngu(*GRAPHS[:2]),
        ask(f"GRAPH ?g1 {{ {doc(0)} }} GRAPH ?g2 {{ {doc(1)} }}", f"FROM <{GRAPHS[2]}> ").encode(),
        QUERY,
        boolean=True,
    ),
    Case("query_get", params=q("ASK {}") + dgu(ABSENT), boolean=True),
    Case("query_content_type_select", "POST", dgu(ABSENT), b"SELECT (1 AS ?value) {}", QUERY),
    Case("query_content_type_ask", "POST", dgu(ABSENT), b"ASK {}", QUERY, boolean=True),
    Case(
        "query_content_type_describe",
        "POST",
        dgu(ABSENT),
        b"DESCRIBE <http://example.org/>",
        QUERY,
        media_type=TURTLE,
    ),
    # relative IRIs: resolved against the endpoint's URL, the base the protocol allows
    Case(
        "query_content_type_construct",
        "POST",
        dgu(ABSENT),
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        QUERY,
        media_type=TURTLE,
    ),
    Case("query_post_direct", "POST", (), b"ASK {}", QUERY, boolean=True),
    Case("bad_query_method", "PUT", q("ASK {}") + dgu(ABSENT), b"", FORM, 405, TEXT),
    Case(
        "bad_multiple_queries", params=q("ASK {}") + q("SELECT * {}"), status=400, media_type=TEXT
    ),
    Case("bad_query_wrong_media_type", "POST", (), b"ASK {}", "text/plain", 415, TEXT),
    Case("bad_query_missing_form_type", "POST", (), b"query=ASK%20%7B%7D", None, 415, TEXT),
    Case("bad_query_missing_direct_type", "POST", (), b"ASK {}", None, 415, TEXT),
    Case(
        "bad_query_non_utf8",
        "POST",
        (),
        "ASK {}".encode("utf-16"),  # with its byte order mark, as the suite says
        f"{QUERY}; charset=UTF-16",
        415,
        TEXT,
    ),
    Case("bad_query_syntax", params=q("ASK {"), status=400, media_type=TEXT),
]

# Our own cases: what each half of the dataset rules does, and the requests around them.
DATASET_CASES = [
    Case("no_dataset_default_graph_is_the_union", params=q(TWO_DEFAULT), boolean=True),
    Case(
        "default_graph_uri_limits_the_default_graph",
        params=q(TWO_DEFAULT) + dgu(GRAPHS[0]),
        boolean=False,
    ),
    Case(
        "default_graph_uri_alone_names_no_graphs",
        params=q(ask(f"GRAPH ?g {{ {doc(0)} }}")) + dgu(GRAPHS[0]),
        boolean=False,
    ),
    Case(
        "named_graph_uri_limits_the_named_graphs",
        params=q(TWO_NAMED) + ngu(GRAPHS[0]),
        boolean=False,
    ),
    Case(
        "named_graph_uri_alone_leaves_the_default_graph_empty",
        params=q(ask(doc(0))) + ngu(GRAPHS[0]),
        boolean=False,
    ),
    Case(
        "from_makes_the_default_graph", params=q(ask(doc(0), f"FROM <{GRAPHS[0]}> ")), boolean=True
    ),
    Case(
        "from_leaves_out_other_graphs", params=q(ask(doc(1), f"FROM <{GRAPHS[0]}> ")), boolean=False
    ),
    Case(
        "two_froms_merge_into_the_default_graph",
        params=q(ask(f"{doc(1)} . {doc(2)}", f"FROM <{GRAPHS[1]}> FROM <{GRAPHS[2]}> ")),
        boolean=True,
    ),
    Case(
        "from_named_makes_the_named_graphs",
        params=q(ask(f"GRAPH ?g {{ {doc(0)} }}", f"FROM NAMED <{GRAPHS[0]}> ")),
        boolean=True,
    ),
    Case(
        "from_named_alone_leaves_the_default_graph_empty",
        params=q(ask(doc(0), f"FROM NAMED <{GRAPHS[0]}> ")),
        boolean=False,
    ),
    Case(
        "from_in_a_string_is_no_dataset",
        params=q(f'ASK {{ {doc(0)} FILTER("FROM <x>" != "") }}'),
        boolean=True,
    ),
    Case(
        "protocol_dataset_wins_over_from",
        "POST",
        dgu(GRAPHS[1]),
        ask(doc(0), f"FROM <{GRAPHS[0]}> ").encode(),
        QUERY,
        boolean=False,
    ),
    Case(
        "protocol_dataset_wins_over_from_and_is_used",
        "POST",
        dgu(GRAPHS[1]),
        ask(doc(1), f"FROM <{GRAPHS[0]}> ").encode(),
        QUERY,
        boolean=True,
    ),
    Case(
        "dataset_in_the_form_body",
        "POST",
        (),
        urlencode([*q(TWO_DEFAULT), *dgu(GRAPHS[0])]).encode(),
        FORM,
        boolean=False,
    ),
    Case(
        "dataset_in_the_url_of_a_form_post",
        "POST",
        dgu(GRAPHS[0]),
        urlencode(q(TWO_DEFAULT)).encode(),
        FORM,
        boolean=False,
    ),
    Case(
        "malformed_default_graph_uri",
        params=q("ASK {}") + dgu("not an iri"),
        status=400,
        media_type=TEXT,
    ),
    Case(
        "relative_named_graph_uri",
        params=q("ASK {}") + ngu("data1.nt"),
        status=400,
        media_type=TEXT,
    ),
    Case("path_without_slash", params=q("ASK {}"), boolean=True, path="/sparql"),
    Case("head_like_get", "HEAD", q("ASK {}")),
    Case("missing_query", status=400, media_type=TEXT),
    Case("query_in_the_url_and_the_body", "POST", q("ASK {}"), b"ASK {}", QUERY, 400, TEXT),
    Case("form_query_not_utf8", "POST", (), b"query=ASK%20%7B%7D%FF", FORM, 400, TEXT),
    Case("update_as_query_parameter", params=q("CLEAR ALL"), status=403, media_type=TEXT),
]

UPDATE_TESTS = [
    Case("update_post_form", "POST", (), b"update=CLEAR+ALL", FORM, 403, TEXT),
    Case("update_post_direct", "POST", (), b"CLEAR ALL", UPDATE, 403, TEXT),
    Case(
        "update_dataset_default_graph",
        "POST",
        (("using-graph-uri", GRAPHS[0]),),
        b"CLEAR ALL",
        UPDATE,
        403,
        TEXT,
    ),
    Case(
        "update_dataset_named_graphs",
        "POST",
        (("using-named-graph-uri", GRAPHS[0]),),
        b"DROP ALL",
        UPDATE,
        403,
        TEXT,
    ),
    Case("update_base_uri", "POST", (), f"CLEAR GRAPH <{GRAPHS[0]}>".encode(), UPDATE, 403, TEXT),
    Case("bad_update_get", params=(("update", "CLEAR ALL"),), status=403, media_type=TEXT),
    Case(
        "bad_multiple_updates",
        "POST",
        (),
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        FORM,
        403,
        TEXT,
    ),
    Case("bad_update_wrong_media_type", "POST", (), b"CLEAR NAMED", "text/plain", 415, TEXT),
    Case("bad_update_missing_form_type", "POST", (), b"update=CLEAR%20NAMED", None, 415, TEXT),
    Case(
        "bad_update_non_utf8",
        "POST",
        (),
        "CLEAR NAMED".encode("utf-16"),
        f"{UPDATE}; charset=UTF-16",
        403,
        TEXT,
    ),
    Case("bad_update_syntax", "POST", (), b"update=CLEAR%20XYZ", FORM, 403, TEXT),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        (("using-named-graph-uri", GRAPHS[0]),),
        b"WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        UPDATE,
        403,
        TEXT,
    ),
]


@pytest.fixture(scope="module")
def server(seed_build: SeedBuild) -> Iterator[Server]:
    """The server of the seeds' build (only read), for pages of two origins."""
    running = Server(seed_build.out, "--cors", ORIGIN, "--cors", OTHER_ORIGIN)
    yield running
    running.stop()


def check(response: httpx.Response, case: Case) -> None:
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].split(";")[0] == case.media_type
    if case.method == "HEAD":
        assert response.content == b""
    elif case.status != 200:
        assert len(response.text.strip().splitlines()) == 1  # a one-line message
    elif case.boolean is not None:
        assert json.loads(response.content) == {"head": {}, "boolean": case.boolean}
    elif case.media_type == TURTLE:
        list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    else:
        assert json.loads(response.content)["results"]["bindings"]


@pytest.mark.parametrize("case", W3C_QUERY_TESTS, ids=lambda case: case.name)
def test_protocol_w3c_query_test(client: httpx.Client, case: Case) -> None:
    check(case.send(client), case)


@pytest.mark.parametrize("case", DATASET_CASES, ids=lambda case: case.name)
def test_protocol_dataset_and_request_forms(client: httpx.Client, case: Case) -> None:
    check(case.send(client), case)


def test_protocol_construct_resolves_relative_iris_against_the_endpoint(
    client: httpx.Client, server: Server
) -> None:
    (case,) = [case for case in W3C_QUERY_TESTS if case.name == "query_content_type_construct"]
    response = case.send(client)
    (triple,) = ox.parse(response.content, format=ox.RdfFormat.TURTLE)
    assert triple.subject == ox.NamedNode(server.url + "s")


@pytest.mark.parametrize("case", UPDATE_TESTS, ids=lambda case: case.name)
def test_protocol_w3c_update_test_is_refused(client: httpx.Client, case: Case) -> None:
    check(case.send(client), case)
    if case.status == 403:
        assert "read-only" in case.send(client).text
    graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g {} }"})
    found = {row["g"]["value"] for row in graphs.json()["results"]["bindings"]}
    assert set(GRAPHS) <= found  # nothing was cleared


# --- CORS ---------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", [ORIGIN, OTHER_ORIGIN])
def test_protocol_cors_allows_the_origins_given(client: httpx.Client, origin: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "Origin" in response.headers["vary"] and "Accept" in response.headers["vary"]
    assert "X-Kg-Truncated" in response.headers["access-control-expose-headers"]


def test_protocol_cors_preflight_is_answered(client: httpx.Client) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_protocol_cors_refuses_other_origins(client: httpx.Client) -> None:
    other = {"Origin": "https://elsewhere.example"}
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=other)
    assert response.status_code == 200  # answered, but a browser will not show it to the page
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/sparql", headers={**other, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_protocol_cors_star_allows_any_origin(seed_build: SeedBuild) -> None:
    running = Server(seed_build.out, "--cors", "*")
    try:
        with httpx.Client(base_url=running.url, timeout=10) as http:
            origin = {"Origin": "https://anywhere.example"}
            got = http.get("/sparql", params={"query": "ASK {}"}, headers=origin)
            refused = http.get("/sparql", params={"query": "ASK {"}, headers=origin)
            preflight = http.options(
                "/sparql/", headers={**origin, "Access-Control-Request-Method": "GET"}
            )
    finally:
        code, stderr = running.stop()
    assert got.headers["access-control-allow-origin"] == "*"
    assert refused.status_code == 400
    assert refused.headers["access-control-allow-origin"] == "*"  # errors are readable too
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert code == 0, stderr
