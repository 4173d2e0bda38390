"""Run a named or given SPARQL query against a build and format the rows.

Named queries are data: ``kg/queries/NAME.rq``, their leading ``#`` comment
lines the description that ``kg query --list`` shows. Queries see the union of
all named graphs as their default graph, and the kg prefixes are predeclared.

A query runs on a :data:`Source`: a build's local store, or a remote SPARQL
endpoint (:class:`kg.remote.Endpoint`), which gives its results in the same
:data:`Answer`, so the rows are the same text either way.

kg is read-only: an update is refused before it reaches either (:func:`is_update`).
SPARQL that does not parse is a :class:`QueryError <kg.errors.QueryError>` that says
where, in the query as written, and what was expected there (:func:`syntax_message`).
CSV and TSV output makes cells that a spreadsheet would run as formulas text
(:func:`spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol, cast

import pyoxigraph as ox
from rdflib import Dataset

from kg.errors import QueryError
from kg.vocab import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")
# a word that names a query: anything else that is not a .rq file is read as SPARQL text
NAME = re.compile(r"[A-Za-z_][\w-]*")
MAX_CELL = 80  # characters of a cell in table format; csv, tsv and json are never cut
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# the first word of a SPARQL update (WITH starts DELETE/INSERT ... WHERE on one graph)
UPDATE_FORMS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)
READ_ONLY = (
    "kg is read-only: {word} starts a SPARQL update, and updates are not run "
    "(the graph is made by kg build)"
)
# what may stand before a query's first word: blanks, comments, PREFIX and BASE (and
# SPARQL 1.2's VERSION) declarations
PROLOGUE_ITEM = re.compile(
    r"""\s+|\#[^\n]*
    |PREFIX\s*(?:[^\W\d_](?:[\w.-]*[\w-])?)?:\s*<[^<>"{}|^`\\\x00-\x20]*>
    |BASE\s*<[^<>"{}|^`\\\x00-\x20]*>
    |VERSION\s*(?:"[^"\n]*"|'[^'\n]*')""",
    re.I | re.X,
)
WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Term = ox.NamedNode | ox.BlankNode | ox.Literal | None
"""An RDF term of a result row, or None where the variable is unbound."""


@dataclass(frozen=True, slots=True)
class Result:
    """The rows of a SELECT query as RDF terms, in column order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term, ...], ...]


Answer = Result | bool | tuple[ox.Triple, ...]
"""What a query gives: SELECT its rows, ASK a boolean, CONSTRUCT and DESCRIBE triples."""


class Remote(Protocol):
    """A source that answers queries itself, such as :class:`kg.remote.Endpoint`."""

    def answer(self, text: str) -> Answer:
        """Run SPARQL text as :func:`answer` does on a local store."""
        ...


Source = ox.Store | Remote
"""Where a query runs: a build's Oxigraph store, or a remote endpoint."""


def named_queries() -> dict[str, NamedQuery]:
    """The queries shipped with kg, by name."""
    found: dict[str, NamedQuery] = {}
    folder = resources.files("kg").joinpath("queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text("utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        name = entry.name.removesuffix(".rq")
        found[name] = NamedQuery(name, " ".join(comments), text)
    return found


def resolve(spec: str) -> str:
    """The SPARQL text for a query name, a .rq file or literal SPARQL.

    A bare word that names no query is an error that lists the names; anything else
    (words with blanks, braces, a ``?`` ...) is SPARQL text, checked when it runs.

    >>> resolve("SELECT * { ?s ?p ?o }")
    'SELECT * { ?s ?p ?o }'
    >>> resolve("personel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: unknown query 'personel': use a named query (budgets, ...
    """
    queries = named_queries()
    if spec in queries:
        return queries[spec].text
    if spec.endswith(".rq"):
        path = Path(spec)
        try:
            return path.read_text("utf-8-sig")  # an editor may start it with a BOM
        except OSError as err:
            raise QueryError(f"{spec}: cannot read the query file ({err.strerror or err})") from err
        except UnicodeDecodeError as err:
            raise QueryError(f"{spec}: the query file is not UTF-8 text ({err.reason})") from err
    if not NAME.fullmatch(spec):
        return spec
    known = ", ".join(queries)
    raise QueryError(
        f"unknown query '{spec}': use a named query ({known}), a .rq file or SPARQL text"
    )


def _first_word(text: str) -> tuple[int, str]:
    """Where the first word after the query's prologue (comments, PREFIX and BASE
    declarations) stands, and that word ("" where no word follows)."""
    at = 0
    while (match := PROLOGUE_ITEM.match(text, at)) and match.end() > at:
        at = match.end()
    word = WORD.match(text, at)
    return at, word.group() if word else ""


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP,
    COPY, MOVE, ADD or WITH after any comments and PREFIX/BASE declarations) rather
    than a query. kg's commands and its API run no update.

    >>> is_update("PREFIX ex: <http://example.org/>\\n# add one\\ninsert DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("# the facts with their mission\\nSELECT * WHERE { ?s ?p ?o }")
    False
    """
    return _first_word(text)[1].upper() in UPDATE_FORMS


def refuse_update(text: str) -> None:
    """Raise :class:`QueryError <kg.errors.QueryError>` when ``text`` is a SPARQL update.

    >>> refuse_update("DELETE WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: kg is read-only: DELETE starts a SPARQL update, and updates ...
    """
    word = _first_word(text)[1].upper()
    if word in UPDATE_FORMS:
        raise QueryError(READ_ONLY.format(word=word))


# --- syntax errors in words ----------------------------------------------------------
#
# Oxigraph's parser (rust-peg) reports the furthest place it reached and every token it
# tried there. Two things make that hard to read: it matches a keyword by taking as many
# characters as the keyword has and comparing them, so a keyword is reported that many
# characters after the place where it was tried (and as "[_]", any character, at the end
# of the query), which hides the tokens tried at the right place; and its character
# classes are written as Rust. So kg first looks for the mistakes it can place exactly (a
# string or bracket not closed, a prefix not declared, a broken declaration, a first word
# that starts no query), and otherwise moves each keyword back to the place where it was
# tried and names the tokens in words.

SYNTAX = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.S)
EXPECTED_ITEM = re.compile(r""""(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,\s][^,]*""")
PN_PREFIX = r"(?:[^\W\d_](?:[\w.-]*[\w-])?)?"
TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>\#[^\n]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
    |(?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<quote>\"\"\"|'''|"|')
    |(?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
    |(?P<blank>_:[\w.-]*)
    |(?P<pname>"""
    + PN_PREFIX
    + r""":(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
    |(?P<word>[^\W\d_][\w-]*)
    |(?P<open>\{\||[{(\[])|(?P<close>\|\}|[})\]])
    |(?P<other>.)""",
    re.S | re.X,
)
CLOSES = {"{": "}", "(": ")", "[": "]", "{|": "|}"}
DECLARED = re.compile(r"\bPREFIX\s*(" + PN_PREFIX + "):", re.I)
PREFIX_NAME = re.compile(r"PREFIX\s*(" + PN_PREFIX + ")", re.I)
# Oxigraph's character classes in words, by how they start
CLASSES = (
    ("['0'..='9']", "a digit"),
    ("['0' ..= '9']", "a digit"),
    ("['A' ..= 'Z'", "a letter"),
    ("['-' | '0' ..= '9'", "a name character"),
    ("['0' ..= '9' |", "a name character"),
)
# the tokens that begin a term, named as one when the parser wanted a term
TERM_TOKENS = {
    "'?'": "variable",
    "'$'": "variable",
    "'<'": "IRI",
    "':'": "prefixed name",
    "a letter": "prefixed name",
    "'\"'": "literal",
    '"\'"': "literal",
    '\'"""\'': "literal",
    "\"'''\"": "literal",
    "a digit": "literal",
    "'true'": "literal",
    "'false'": "literal",
    "'_:'": "blank node",
    "'['": "blank node",
    "'+'": "literal",  # the sign of a number
    "'-'": "literal",
    "'<<'": "triple term",
    "'<<('": "triple term",
}
LATE = ("'{|'", "'|}'", "'~'", "'<<'", "'<<('", "'>>'", "')>>'")  # RDF 1.2's, named last
TERM = "a term (a variable, IRI, prefixed name, literal or blank node)"
SHOWN = 12  # tokens named after "expected"; the others are counted
EXCERPT = 72  # characters of the query's line shown above the caret
SERVICE = re.compile(r"\bSERVICE\b", re.I)
MAX_PROBED = 20_000  # characters of a query whose error is looked for token by token
KEYWORD_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SKIPPED = ("space", "comment")  # tokens that no error stands at
# The keywords of SPARQL 1.1 and 1.2 as Oxigraph reads them, for what may follow a place
# in a query (its parser does not name them there); functions are named together.
CLAUSES = (
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "FROM",
    "FROM NAMED",
    "DISTINCT",
    "REDUCED",
    "AS",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "FILTER",
    "BIND",
    "VALUES",
    "SERVICE",
    "GRAPH",
    "LATERAL",
    "ORDER BY",
    "GROUP BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "ASC",
    "DESC",
    "UNDEF",
    "EXISTS",
    "NOT EXISTS",
    "IN",
    "NOT IN",
    "SEPARATOR",
)
FUNCTIONS = (
    "STR",
    "LANG",
    "LANGMATCHES",
    "DATATYPE",
    "BOUND",
    "IRI",
    "URI",
    "BNODE",
    "RAND",
    "ABS",
    "CEIL",
    "FLOOR",
    "ROUND",
    "CONCAT",
    "STRLEN",
    "UCASE",
    "LCASE",
    "ENCODE_FOR_URI",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "STRBEFORE",
    "STRAFTER",
    "YEAR",
    "MONTH",
    "DAY",
    "HOURS",
    "MINUTES",
    "SECONDS",
    "TIMEZONE",
    "TZ",
    "NOW",
    "UUID",
    "STRUUID",
    "MD5",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "COALESCE",
    "IF",
    "STRLANG",
    "STRDT",
    "SAMETERM",
    "ISIRI",
    "ISURI",
    "ISBLANK",
    "ISLITERAL",
    "ISNUMERIC",
    "REGEX",
    "SUBSTR",
    "REPLACE",
    "COUNT",
    "SUM",
    "MIN",
    "MAX",
    "AVG",
    "SAMPLE",
    "GROUP_CONCAT",
    "TRIPLE",
    "SUBJECT",
    "PREDICATE",
    "OBJECT",
    "ISTRIPLE",
    "LANGDIR",
    "HASLANG",
    "HASLANGDIR",
    "STRLANGDIR",
)
KEYWORDS = CLAUSES + FUNCTIONS
FUNCTION = "a function such as STR, CONTAINS or COUNT"


def syntax_message(text: str, error: str = "") -> str:
    """Where SPARQL ``text`` is wrong and what was expected there, in words, followed by
    the line of the query with a caret under the place; ``error`` is the parser's own
    message. Lines and columns count from 1 in ``text`` as the user wrote it.

    >>> print(syntax_message("SELECT ?s WHERE {\\n  ?s kg:x ?o .\\n  FILTER(?o > 3\\n}"))
    line 3, column 9: this '(' is not closed: expected ')' before the '}' of line 4, column 1
        FILTER(?o > 3
              ^
    """
    found = _form_problem(text) or _lexical_problem(text) or _parser_problem(text, error)
    if found is None:
        first = error.strip().splitlines()[0] if error.strip() else "a syntax error"
        return first if len(first) <= 200 else first[:199] + "…"
    at, what = found
    line, column = _line_column(text, at)
    return f"line {line}, column {column}: {what}\n{_excerpt(text, at)}"


def parse_problem(text: str) -> str | None:
    """What :func:`syntax_message` says of SPARQL ``text`` as Oxigraph parses it (with
    the kg prefixes declared), or None when it parses. Nothing is read: a query that
    would ask another server (SERVICE) is not tried, and gives None unless a string,
    bracket or prefix is wrong.

    >>> parse_problem("SELECT ?s WHERE { ?s ?p ?o }") is None
    True
    >>> print(parse_problem("SELEC ?s WHERE { ?s ?p ?o }"))
    line 1, column 1: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'
      SELEC ?s WHERE { ?s ?p ?o }
      ^
    """
    if SERVICE.search(text):
        found = _lexical_problem(text)
        if found is None:
            return None
        return syntax_message(text)
    try:
        ox.Store().query(text, prefixes=PREFIXES)  # an empty store; SELECT is not run yet
    except SyntaxError as err:
        return syntax_message(text, str(err))
    except (OSError, ValueError):
        return None  # it parsed: evaluating it on nothing failed
    return None


def _lexical_problem(text: str) -> tuple[int, str] | None:
    """The first string not closed, bracket not matched or prefix not declared."""
    declared = set(PREFIXES) | {m.group(1) for m in DECLARED.finditer(text)}
    stack: list[tuple[str, int]] = []
    for match in TOKEN.finditer(text):
        kind, token, at = match.lastgroup, match.group(), match.start()
        if kind == "quote":
            end = "line" if len(token) == 1 else "query"
            return at, f"this string is not closed: expected {token} before the end of its {end}"
        if kind == "pname" and token.split(":", 1)[0] not in declared:
            prefix = token.split(":", 1)[0] + ":"
            known = ", ".join(f"{name}:" for name in sorted(PREFIXES))
            return at, (
                f"the prefix {prefix} is not declared: declare it (PREFIX {prefix} <IRI>) "
                f"or use one of kg's ({known})"
            )
        if kind == "open":
            stack.append((token, at))
        elif kind == "close":
            if not stack:
                return at, f"'{token}' closes nothing: no bracket is open here"
            opened, start = stack.pop()
            if CLOSES[opened] != token:
                line, column = _line_column(text, at)
                return start, (
                    f"this '{opened}' is not closed: expected '{CLOSES[opened]}' before the "
                    f"'{token}' of line {line}, column {column}"
                )
    if stack:
        opened, start = stack[-1]
        return start, (
            f"this '{opened}' is not closed: expected '{CLOSES[opened]}' before the end of "
            "the query"
        )
    return None


def _form_problem(text: str) -> tuple[int, str] | None:
    """A broken PREFIX or BASE declaration, or a first word that starts no query."""
    at, word = _first_word(text)
    upper = word.upper()
    if upper in QUERY_FORMS or upper in UPDATE_FORMS or upper == "VERSION":
        return None
    if upper == "PREFIX":
        name = PREFIX_NAME.match(text, at)
        assert name is not None  # PREFIX matches it whatever follows
        if not text.startswith(":", name.end()):
            where = name.end()
            return where, (
                "expected ':' after the prefix name, as in PREFIX ex: <http://example.org/>"
                + _found(text, where)
            )
        iri = _skip_space(text, name.end() + 1)
        return iri, f"expected the prefix's IRI in <...>{_found(text, iri)}"
    if upper == "BASE":
        iri = _skip_space(text, at + len(word))
        return iri, f"expected the base IRI in <...>{_found(text, iri)}"
    return at, f"expected {_listed(list(QUERY_FORMS))}{_found(text, at)}"


def _parser_problem(text: str, error: str) -> tuple[int, str] | None:
    """Where the parser's message says the query goes wrong, and what may stand there.

    Each keyword is moved back to the place where it was tried; the furthest such place
    is one the parser reached. The query's longest start that is still a valid start is
    then looked for from the reported place back to that one, token by token, and what
    may follow it is asked of the parser (:func:`_expected_after`)."""
    match = SYNTAX.match(error.strip())
    if match is None:
        return None
    reported = _offset(text, int(match.group(1)), int(match.group(2)))
    tried: dict[int, list[str]] = {}
    for raw in EXPECTED_ITEM.findall(match.group(3).strip()):
        item = raw.strip()
        if item == "[_]":
            continue  # any character: the end of the query cut a keyword short
        if KEYWORD_ITEM.fullmatch(item):  # reported as many characters later as it has
            tried.setdefault(max(reported - len(item), 0), []).append(item.upper())
        else:
            tried.setdefault(reported, []).append(_token_name(item))
    if not tried:
        return reported, f"unexpected text{_found(text, reported)}"
    reached = max(tried)
    # a valid start could be run, and SERVICE asks another server; a long query is not
    # tried piece by piece
    if not SERVICE.search(text) and len(text) <= MAX_PROBED:
        starts = [m.start() for m in TOKEN.finditer(text) if m.lastgroup not in SKIPPED]
        for at in sorted({*starts, len(text)}, reverse=True):
            # a blank after the start, so that its last token cannot go on
            if reached <= at <= reported and (expected := _expected_after(text[:at] + " ")):
                return at, f"expected {_readable(expected)}{_found(text, at)}"
    return reached, f"expected {_readable(tried[reached])}{_found(text, reached)}"


def _expected_after(start: str) -> list[str]:
    """The tokens that may follow ``start``, in words; none when it is no valid start of
    a query. The parser names the other tokens expected at the end of ``start``, but not
    its keywords (it needs their length in characters to try one); each keyword is tried
    after it instead."""
    whole, tokens = _at_end(start)
    if tokens is None:
        return []
    words = [word for word in KEYWORDS if _valid_start(f"{start} {word} ")]
    return tokens + words if whole or tokens or words else []


def _at_end(start: str) -> tuple[bool, list[str] | None]:
    """Whether ``start`` is a whole query, and the tokens (not keywords) the parser
    expected at its end; None when it failed before the end."""
    try:
        ox.Store().query(start, prefixes=PREFIXES)
    except SyntaxError as err:
        match = SYNTAX.match(str(err).strip())
        if match is None or _offset(start, int(match.group(1)), int(match.group(2))) < len(start):
            return False, None
        items = (item.strip() for item in EXPECTED_ITEM.findall(match.group(3).strip()))
        return False, [
            _token_name(i) for i in items if i != "[_]" and not KEYWORD_ITEM.fullmatch(i)
        ]
    except (OSError, ValueError):
        pass  # it parsed: running it on nothing failed
    return True, []


def _valid_start(start: str) -> bool:
    whole, tokens = _at_end(start)
    return whole or bool(tokens)


def _token_name(item: str) -> str:
    """A token as Oxigraph writes it (a quoted literal, a Rust character class or a
    message of its own) in words."""
    if item.startswith('"'):
        return _quoted(re.sub(r"\\(.)", r"\1", item[1:-1]))
    if item.startswith("["):
        for start, name in CLASSES:
            if item.startswith(start):
                return name
        single = re.fullmatch(r"\['((?:[^'\\]|\\.)*)'\]", item)
        return _quoted(single.group(1).replace("\\\\", "\\")) if single else "a character"
    return item.lower()  # such as "Prefix not found"


def _quoted(token: str) -> str:
    return f'"{token}"' if "'" in token else f"'{token}'"


def _readable(tokens: list[str]) -> str:
    """The tokens expected at one place, without repeats: those that begin a term named
    as one where several kinds of term would do, and functions as one where several
    would; keywords first, then other tokens, at most SHOWN of them.

    >>> print(_readable(["'.'", "LIMIT", "'?'", "'<'", "'_:'"]))
    a term (a variable, IRI, prefixed name, literal or blank node), LIMIT or '.'
    """
    unique = list(dict.fromkeys(tokens))
    if len({TERM_TOKENS[t] for t in unique if t in TERM_TOKENS}) >= 3:
        unique = [TERM, *(t for t in unique if t not in TERM_TOKENS)]
    if len([t for t in unique if t in FUNCTIONS]) >= 3:
        unique = [t for t in unique if t not in FUNCTIONS] + [FUNCTION]

    def rank(token: str) -> int:
        if token == TERM:
            return 0
        if token in KEYWORDS or token == FUNCTION:
            return 1
        return 3 if token in LATE else 2

    unique.sort(key=rank)
    if len(unique) > SHOWN:
        return ", ".join(unique[:SHOWN]) + f" or {len(unique) - SHOWN} more"
    return _listed(unique)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _skip_space(text: str, at: int) -> int:
    return len(text) - len(text[at:].lstrip())


def _found(text: str, at: int) -> str:
    """What stands at ``at``: its token, or the end of the query."""
    if not text[at:].strip():
        return ", found the end of the query"
    match = TOKEN.match(text, at)
    token = match.group() if match else text[at]
    if token.isspace() or "\n" in token:
        return ""
    return f", found {token if len(token) <= 30 else token[:29] + '…'!r}"


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of a line and a column counted from 1."""
    lines = text.split("\n")
    before = sum(len(part) + 1 for part in lines[: line - 1])
    return min(before + column - 1, len(text))


def _line_column(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _excerpt(text: str, at: int) -> str:
    """The line of ``at``, cut around it to EXCERPT characters, and a caret under it."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)].rstrip("\r")
    column = at - start
    first = max(0, min(column - EXCERPT // 2, len(line) - EXCERPT))
    shown = line[first : first + EXCERPT]
    lead = "…" if first else ""
    tail = "…" if first + EXCERPT < len(line) else ""
    pad = "".join(c if c == "\t" else " " for c in lead + shown[: column - first])
    return f"  {lead}{shown}{tail}\n  {pad}^"


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def answer(source: Source, text: str) -> Answer:
    """Run SPARQL on a store or a remote endpoint and read its whole result.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"),
    ...     ox.Literal("1"), ox.NamedNode("http://e/graph")))
    >>> answer(store, "SELECT ?o WHERE { ?s ?p ?o }").rows
    ((<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,),)
    """
    refuse_update(text)
    if not isinstance(source, ox.Store):
        return source.answer(text)
    try:
        return read(source.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))
    except SyntaxError as err:
        message = syntax_message(text, str(err))
        raise QueryError(f"the query is not valid SPARQL: {message}") from err
    except OSError as err:
        raise QueryError(f"the query failed: {err}") from err


def read(result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple | ox.Quad]) -> Answer:
    """Read pyoxigraph's query results (from a store or parsed from an endpoint's
    answer) to the end."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(var.value for var in result.variables)
        return Result(columns, tuple(tuple(row[name] for name in columns) for row in result))
    return tuple(ox.Triple(t.subject, t.predicate, t.object) for t in result)


def run(source: Source, text: str) -> Table:
    """Run SPARQL on a store or an endpoint; SELECT gives its rows, ASK one cell,
    CONSTRUCT triples, every cell as text."""
    found = answer(source, text)
    if isinstance(found, bool):
        return Table(("result",), (("true" if found else "false",),))
    if isinstance(found, Result):
        return Table(found.columns, tuple(tuple(_cell(t) for t in row) for row in found.rows))
    triples = tuple((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in found)
    return Table(("subject", "predicate", "object"), triples)


def render(table: Table, fmt: str, clip: bool = True) -> str:
    """Format a table as an aligned text table, CSV, TSV or JSON (a list of objects).

    In CSV and TSV a cell that a spreadsheet would take for a formula (one that starts
    with =, +, -, @, a tab or a carriage return, and is not a plain number) gets a ``'``
    before it (:func:`spreadsheet_safe`); the table and JSON keep every cell as it is.

    >>> print(render(Table(("doc", "n"), (("a.txt", "3"),)), "csv"), end="")
    doc,n
    a.txt,3
    >>> print(render(Table(("quote", "n"), (("=HYPERLINK(1)", "-1.5"),)), "csv"), end="")
    quote,n
    '=HYPERLINK(1),-1.5
    """
    if fmt in ("csv", "tsv"):
        rows = (tuple(spreadsheet_safe(cell) for cell in row) for row in table.rows)
        return _delimited((table.columns, *rows), "," if fmt == "csv" else "\t")
    if fmt == "json":
        records = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    cut = [tuple(_fold(cell, clip) for cell in row) for row in table.rows]
    widths = [len(column) for column in table.columns]
    for row in cut:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cut
    ]
    lines.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _delimited(rows: Iterable[tuple[str, ...]], delimiter: str) -> str:
    """Rows as CSV or TSV lines ending in a line feed. The writer is told that rows end
    in CR LF, so that it quotes a cell holding either (with a line feed alone it leaves
    a carriage return bare, which ends the row for a reader); each row's CR LF is then
    written as a line feed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2])
    return "".join(line + "\n" for line in lines)


# OWASP's rule against CSV injection: a cell that starts so is read as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """The cell with a ``'`` before it where a spreadsheet would read it as a formula:
    where it starts with =, +, -, @, a tab or a carriage return (OWASP's rule on CSV
    injection), unless it is a plain number such as -1.5 or +3, which a spreadsheet
    reads as that number and which no formula can hide in.

    >>> [spreadsheet_safe(c) for c in ("-12", "-1.5E3", "-1+2", "+cmd", "@SUM(A1)", "a=b")]
    ['-12', '-1.5E3', "'-1+2", "'+cmd", "'@SUM(A1)", 'a=b']
    """
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _fold(text: str, clip: bool) -> str:
    """One line of text, cut to MAX_CELL characters when ``clip``."""
    text = " ".join(text.split())
    return text if not clip or len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def run_rdflib(dataset: Dataset, text: str) -> Table:
    """Run SPARQL with rdflib's own engine (slower; for comparison and rdflib users)."""
    refuse_update(text)
    try:
        result = dataset.query(text, initNs=PREFIXES)
    except Exception as err:  # rdflib raises pyparsing and its own errors alike
        problem = parse_problem(text)  # Oxigraph's reading, in words, where it has one
        if problem is not None:
            raise QueryError(f"the query is not valid SPARQL: {problem}") from err
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise QueryError(f"the query failed: {first}") from err
    if result.type == "ASK":
        return Table(("result",), (("true" if result.askAnswer else "false",),))
    if result.type == "SELECT":
        columns = tuple(str(v) for v in result.vars or ())
        rows = tuple(
            tuple("" if cell is None else str(cell) for cell in cast(tuple[object, ...], row))
            for row in result
        )
        return Table(columns, rows)
    triples = tuple(
        (str(s), str(p), str(o))
        for s, p, o in (cast(tuple[object, object, object], t) for t in result)
    )
    return Table(("subject", "predicate", "object"), triples)
