"""A remote SPARQL 1.1 endpoint as the source of queries: ``--endpoint URL``.

:class:`Endpoint` sends a query as the SPARQL 1.1 Protocol says (POST, the form field
``query=``) with the standard library's HTTP client, and reads the answer into the
same :data:`kg.query.Answer` as a local store gives, so ``kg query``, :mod:`kg.api`
and the viewer show the same rows either way. It sends queries only, to the query
endpoint: never an update.

What kg does for a local store, the endpoint has to do too:

- the kg prefixes: those a query does not declare itself are declared on a line put
  before it (:func:`with_prefixes`);
- the default graph: kg's queries, the named ones and the viewer's, read the default
  graph and expect it to be the union of the documents' named graphs (none of them
  says ``GRAPH``). An Oxigraph server does that when started with
  ``--union-default-graph``; ``kg serve`` always does. Another store needs its own
  setting for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox

from kg import __version__
from kg.errors import QueryError, StoreError
from kg.query import Answer, read
from kg.settings import DEFAULTS
from kg.sparql import parse_problem, refuse_update
from kg.vocab import PREFIXES

JSON_RESULTS = ("application/sparql-results+json", "application/json")
N_TRIPLES = "application/n-triples"
# SELECT and ASK as SPARQL JSON; CONSTRUCT and DESCRIBE have no JSON results
ACCEPT = f"{JSON_RESULTS[0]}, {N_TRIPLES};q=0.9"
WHERE = "for an Oxigraph server it is http://HOST:PORT/query"
DETAIL = 4096  # bytes of an error's body read for its first line
DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.I)


def with_prefixes(text: str) -> str:
    """The query with the kg prefixes it does not declare itself declared on a first
    line of their own.

    >>> with_prefixes("PREFIX kg: <urn:k#> ASK { ?s kg:p ?o }").splitlines()[0][:33]
    'PREFIX id: <https://w3id.org/kg-i'
    >>> "PREFIX kg:" in with_prefixes("PREFIX kg: <urn:k#> ASK { ?s kg:p ?o }").splitlines()[0]
    False
    """
    declared = {match.group(1) or "" for match in DECLARED.finditer(text)}
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return " ".join(missing) + "\n" + text if missing else text


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The SPARQL query endpoint at ``url``, read-only; ``timeout`` is how many seconds
    to wait for it to answer.

    Raises :class:`StoreError <kg.errors.StoreError>` when the URL is not http(s):

    >>> Endpoint("127.0.0.1:7878")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.StoreError: '127.0.0.1:7878' is not the http:// or https:// URL of a SPARQL ...
    """

    url: str
    timeout: float = float(DEFAULTS["endpoint_timeout"])

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(
                f"'{self.url}' is not the http:// or https:// URL of a SPARQL endpoint ({WHERE})"
            )

    def answer(self, text: str) -> Answer:
        """Run SPARQL text on the endpoint: SELECT rows as terms, ASK a boolean,
        CONSTRUCT and DESCRIBE triples, as :func:`kg.query.answer` gives them.

        Raises :class:`QueryError <kg.errors.QueryError>` when the endpoint rejects
        the query, :class:`StoreError <kg.errors.StoreError>` when it cannot be
        reached, answers with another error status, or answers with no SPARQL results.
        """
        refuse_update(text)  # never sent: the endpoint is read
        query = with_prefixes(text)
        kind, body = self._post(query, text)
        try:
            if kind in JSON_RESULTS:
                return read(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))
            if kind == N_TRIPLES:
                return read(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as err:
            raise StoreError(
                f"the SPARQL endpoint {self.url} answered with {kind} that cannot be read "
                f"({_first_line(str(err))})"
            ) from err
        raise StoreError(
            f"the SPARQL endpoint {self.url} answered with {kind}, not SPARQL results "
            f"({_first_line(body) or 'empty'}); is it the query endpoint? ({WHERE})"
        )

    def _post(self, query: str, text: str) -> tuple[str, bytes]:
        """The content type and body of the endpoint's answer to ``query``, which is
        the user's ``text`` with the kg prefixes it lacks declared before it."""
        request = Request(
            self.url,
            data=urlencode({"query": query}).encode("utf-8"),
            method="POST",
            headers={
                "Accept": ACCEPT,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": f"kg/{__version__}",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:
                if response.headers.get("X-Kg-Truncated", "").lower() == "true":
                    raise QueryError(
                        f"the SPARQL endpoint {self.url} sent only part of the result (its row "
                        "limit, kg serve --max-rows); raise the limit or ask for fewer rows"
                    )
                return response.headers.get_content_type(), response.read()
        except HTTPError as err:
            raise self._refused(err, query, text) from err
        except URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise self._late() from err
            raise StoreError(
                f"cannot reach the SPARQL endpoint {self.url} ({_reason(err.reason)}); "
                "is its server running, at that address?"
            ) from err
        except TimeoutError as err:
            raise self._late() from err
        except (OSError, HTTPException) as err:
            raise StoreError(
                f"the connection to the SPARQL endpoint {self.url} failed ({_reason(err)})"
            ) from err

    def _refused(self, err: HTTPError, query: str, text: str) -> QueryError | StoreError:
        """The error for an answer with an error status. A query refused as bad (400)
        that Oxigraph cannot parse either is shown as :func:`kg.query.answer` shows it
        for a local store: the endpoint's parser counts the lines of what was sent,
        which has the prefixes on a line of its own before the user's."""
        try:
            detail = _first_line(err.read(DETAIL))
        except (OSError, HTTPException):
            detail = ""
        answered = f"the SPARQL endpoint {self.url} answered {err.code} {err.reason}".rstrip()
        message = answered + (f": {detail}" if detail else "")
        if err.code == 400:
            problem = parse_problem(text)
            if problem is not None:
                return QueryError(f"{answered}: the query is not valid SPARQL: {problem}")
            note = " (line 1 is the PREFIX declarations kg puts before the query)"
            return QueryError(message + (note if query != text else ""))
        if err.code in (404, 405, 406):
            return StoreError(f"{message}; is it the query endpoint? ({WHERE})")
        return StoreError(message)

    def _late(self) -> StoreError:
        return StoreError(
            f"the SPARQL endpoint {self.url} did not answer within {self.timeout:g} s"
        )


def _first_line(data: bytes | str) -> str:
    """The first non-blank line of a body or a message, cut to 200 characters."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
