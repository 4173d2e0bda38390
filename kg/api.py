"""A small Python API over a build, for analysis and notebooks.

:class:`Build` opens a build folder (or builds one, or reads a remote SPARQL
endpoint with :meth:`Build.remote`) and runs named queries or SPARQL on it:
:meth:`Build.query` gives rows of text, as ``kg query`` prints them;
:meth:`Build.records` the same rows with numbers, booleans and dates as Python
values; :meth:`Build.frame` a pandas DataFrame (pandas comes with the ``notebooks``
extra: ``pip install 'kg[notebooks]'``). :func:`bounds` turns a
time value as the graph writes it (``2018-FA``, ``2019-Q3``, ``2023-05/2024-04``)
into its first and last day.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "brief.txt").write_text(
...     "Den Haag, 14 september 2018\\n\\n"
...     "Nederland levert maximaal 50 militairen aan de anti-ISIS coalitie.", "utf-8")
>>> build = Build.make([folder / "brief.txt"], out=folder / "out")
>>> [(row["mission"], row["max"], row["qualifier"]) for row in build.query("personnel")]
[('OIR', '50', 'max')]
>>> build.records("personnel")[0]["max"]
50
>>> build.query("personnel", mission="NMI")
[]
>>> import shutil; build.close(); shutil.rmtree(folder)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import KgError, QueryError, StoreError
from kg.query import (
    XSD,
    Result,
    Source,
    Term,
    literal_value,
    named_queries,
    naming_file,
    resolve,
)
from kg.remote import Endpoint
from kg.settings import DEFAULTS
from kg.store import open_store, store_path
from kg.tables import answer_page
from kg.timevalue import point_of as point
from kg.timevalue import value_bounds as bounds

if TYPE_CHECKING:
    import pandas as pd

Cell = str | int | float | bool | dt.date | None
"""A typed value of a result row: text, a number, a boolean, a date, or None."""

NOTEBOOKS_EXTRA = "pip install 'kg[notebooks]' (or, in a checkout, pip install -e '.[notebooks]')"


class Build:
    """A kg build folder, opened read-only for queries, or a remote SPARQL endpoint.

    Open an existing build with :meth:`open`, make one with :meth:`make`, or
    open it if it is there and make it if not with :meth:`ensure`; read the graph
    a SPARQL endpoint serves with :meth:`remote`. A ``Build`` is a context manager;
    leaving the ``with`` block releases the store.
    """

    def __init__(self, out: Path | None, store: Source) -> None:
        self.out = out  # None for a remote endpoint
        self._source: Source | None = store

    def __repr__(self) -> str:
        if self.out is None and isinstance(self._source, Endpoint):
            return f"Build.remote({self._source.url!r})"
        return f"Build({str(self.out)!r})"

    def __enter__(self) -> Build:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @classmethod
    def open(cls, out: str | Path = DEFAULTS["out"]) -> Build:
        """Open the build in the folder ``out`` (as made by ``kg build --out``).

        Raises :class:`kg.errors.StoreError` when there is no build there.
        """
        return cls(Path(out), open_store(Path(out)))

    @classmethod
    def remote(cls, url: str, *, timeout: float = float(DEFAULTS["endpoint_timeout"])) -> Build:
        """Read the graph that the SPARQL endpoint ``url`` serves, as ``kg query
        --endpoint`` does; ``timeout`` is how many seconds to wait for an answer.

        The endpoint must show the union of the named graphs as its default graph
        (an Oxigraph server: ``oxigraph serve --union-default-graph``). Nothing is
        sent until the first query; a :class:`kg.errors.StoreError` then says when
        the endpoint cannot be reached.

        >>> Build.remote("http://127.0.0.1:7878/query")
        Build.remote('http://127.0.0.1:7878/query')
        """
        return cls(None, Endpoint(url, timeout))

    @classmethod
    def make(
        cls,
        inputs: Iterable[str | Path] = (DEFAULTS["inputs"],),
        out: str | Path = DEFAULTS["out"],
        *,
        clean: bool = False,
    ) -> Build:
        """Build the documents ``inputs`` (files or folders) into ``out``, as
        ``kg build`` does, and open the result.

        Raises :class:`kg.errors.KgError` naming every input that could not be
        read; the documents that could are built all the same.
        """
        from kg.pipeline import build  # the whole pipeline, only when building

        report = build([Path(p) for p in inputs], Path(out), clean=clean)
        if report.rejected:
            reasons = "; ".join(f"{r.path}: {r.reason}" for r in report.rejected)
            raise KgError(f"{len(report.rejected)} input(s) could not be built: {reasons}")
        return cls.open(out)

    @classmethod
    def ensure(
        cls,
        out: str | Path = DEFAULTS["out"],
        inputs: Iterable[str | Path] = (DEFAULTS["inputs"],),
    ) -> Build:
        """Open the build in ``out``, making it from ``inputs`` first if there is none."""
        if not store_path(Path(out)).is_dir():
            return cls.make(inputs, out)
        return cls.open(out)

    def close(self) -> None:
        """Release the store; the build cannot be queried afterwards."""
        self._source = None

    @property
    def source(self) -> Source:
        """Where the queries run: the build's store, or the remote endpoint."""
        if self._source is None:
            raise KgError(f"{self!r} is closed; open it again with Build.open or Build.remote")
        return self._source

    @property
    def store(self) -> ox.Store:
        """The build's Oxigraph store (read-only); a remote build has none."""
        source = self.source
        if not isinstance(source, ox.Store):
            raise StoreError(f"{self!r} reads a SPARQL endpoint and has no local store")
        return source

    @staticmethod
    def queries() -> dict[str, str]:
        """The named queries, name -> description (what ``kg query --list`` shows).

        >>> "personnel" in Build.queries() and "conflicts" in Build.queries()
        True
        """
        return {name: query.description for name, query in named_queries().items()}

    def run(self, query: str, *, limit: int | None = None, offset: int = 0) -> Result:
        """Run a named query, a ``.rq`` file or SPARQL text; rows as RDF terms, the
        rows ``offset`` to ``offset + limit`` (to the end where ``limit`` is None).

        Queries see every graph of the build as their default graph, with the kg
        prefixes declared, as ``kg query`` does; the named queries of one document's
        facts, of the reconciliation's pairs and of the consolidation are answered from
        the build's tables, as ``kg query`` answers them (:mod:`kg.tables`,
        :mod:`kg.linked`, :mod:`kg.consolidated`). Only SELECT
        queries have rows. An update (INSERT, DELETE, LOAD, ...) is refused with a
        :class:`QueryError <kg.errors.QueryError>`, as is SPARQL that does not parse,
        whose message says the line and column, what was expected there, and shows the
        line.
        """
        if (limit is not None and limit < 0) or offset < 0:
            raise QueryError(f"limit and offset count rows, 0 or more: not {limit}, {offset}")
        source = self.source
        with naming_file(query):
            text = resolve(query)
            found = answer_page(source, text, name=query, out=self.out, limit=limit, offset=offset)
        if not isinstance(found, Result):
            raise QueryError("only SELECT queries give rows; use kg query for ASK and CONSTRUCT")
        return found

    def query(self, query: str, **where: str | int) -> list[dict[str, str]]:
        """The rows of a named query, ``.rq`` file or SPARQL text, as text.

        Every column is a key; an unbound value is ``""`` (as in ``kg query
        --format csv``). Keyword arguments keep only the rows whose column has
        that value, compared as text: ``query("strength", mission="OIR")``.
        """
        result = self.run(query)
        texts = _texts(result)
        return [texts[i] for i in _kept(texts, result.columns, where)]

    def records(self, query: str, **where: str | int) -> list[dict[str, Cell]]:
        """As :meth:`query`, with typed values: xsd:integer as int, xsd:decimal,
        double and float as float, xsd:boolean as bool, xsd:date as
        :class:`datetime.date`, anything else as text, and None where unbound.
        Dates at month or year precision (xsd:gYearMonth, xsd:gYear) stay text,
        as stated: :func:`bounds` gives their days."""
        return _records(self.run(query), where)

    def frame(self, query: str, **where: str | int) -> pd.DataFrame:
        """As :meth:`records`, as a pandas DataFrame with one column per variable.

        Whole numbers are ``Int64`` columns (missing values are ``<NA>``), other
        numbers ``Float64``, booleans ``boolean``, xsd:date columns
        ``datetime64``; a column that mixes types stays as Python objects.
        Needs pandas (the ``notebooks`` extra).
        """
        pandas = _pandas()
        result = self.run(query)
        records = _records(result, where)
        frame = pandas.DataFrame(records, columns=list(result.columns))
        for column in result.columns:
            kinds = {type(r[column]) for r in records if r[column] is not None}
            if kinds == {bool}:
                frame[column] = frame[column].astype("boolean")
            elif kinds == {int}:
                frame[column] = frame[column].astype("Int64")
            elif kinds and kinds <= {int, float}:
                frame[column] = frame[column].astype("Float64")
            elif kinds == {dt.date}:
                frame[column] = pandas.to_datetime(frame[column])
        return frame


def _pandas() -> ModuleType:
    try:
        import pandas
    except ImportError as err:
        raise KgError(f"DataFrames need pandas, which is not installed: {NOTEBOOKS_EXTRA}") from err
    return pandas


def _text(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _typed(term: Term) -> Cell:
    """A term as a Python value: a literal as :func:`kg.query.literal_value` reads it
    (as ``kg query --format json`` gives it), with an xsd:decimal as float and an
    xsd:date as :class:`datetime.date`.

    >>> _typed(ox.Literal("150", datatype=ox.NamedNode(XSD + "integer")))
    150
    >>> _typed(ox.Literal("87000000.5", datatype=ox.NamedNode(XSD + "decimal")))
    87000000.5
    >>> _typed(ox.Literal("2018-09-14", datatype=ox.NamedNode(XSD + "date")))
    datetime.date(2018, 9, 14)
    >>> _typed(ox.Literal("2018-09", datatype=ox.NamedNode(XSD + "gYearMonth")))
    '2018-09'
    """
    if not isinstance(term, ox.Literal):
        return None if term is None else _text(term)
    if term.datatype.value == XSD + "date":
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return str(term.value)  # an ill-typed literal stays as written
    value = literal_value(term.value, term.datatype.value)
    return float(value) if isinstance(value, Decimal) else value


def _texts(result: Result) -> list[dict[str, str]]:
    return [
        {name: _text(term) for name, term in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _records(result: Result, where: Mapping[str, str | int]) -> list[dict[str, Cell]]:
    keep = _kept(_texts(result), result.columns, where)
    return [
        {name: _typed(term) for name, term in zip(result.columns, result.rows[i], strict=True)}
        for i in keep
    ]


def _kept(
    rows: list[dict[str, str]], columns: tuple[str, ...], where: Mapping[str, str | int]
) -> list[int]:
    """The indices of the rows whose columns have the values of ``where`` (as text)."""
    unknown = sorted(set(where) - set(columns))
    if unknown:
        raise QueryError(
            f"no column {', '.join(unknown)} in the result; its columns are {', '.join(columns)}"
        )
    wanted = {name: str(value) for name, value in where.items()}
    return [i for i, row in enumerate(rows) if all(row[k] == v for k, v in wanted.items())]


__all__ = ["Build", "Cell", "bounds", "point"]
