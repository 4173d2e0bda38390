"""SPARQL text as kg reads it before running it: whether it is an update, and what is
wrong with a query that does not parse, in words a user can act on.

kg is read-only: an update is refused before it reaches a store or an endpoint
(:func:`is_update`, :func:`refuse_update`). SPARQL that does not parse gets a message
that says where, in the query as written, and what was expected there
(:func:`syntax_message`).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import QueryError
from kg.vocab import PREFIXES

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
