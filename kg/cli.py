"""The ``kg`` command: parse arguments, call the library, turn errors into messages.

Expected failures (a bad input file, a missing build, an invalid query) are
printed as one line naming the input and the reason, without a traceback;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KgError
from kg.query import (
    DEFAULT_WIDTH,
    FORMATS,
    Source,
    Table,
    named_queries,
    naming_file,
    page,
    render,
    resolve,
    run,
    run_rdflib,
    table_of,
)
from kg.remote import Endpoint
from kg.settings import DEFAULTS, SETTINGS
from kg.termtable import MIN_WIDTH

HELP = {setting.name: setting.help for setting in SETTINGS}
EXIT_REJECTED = 1
EXIT_ERROR = 2


class KgGroup(click.Group):
    """Turns :class:`KgError` into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KgError as err:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(EXIT_ERROR)


out_option = click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULTS["out"],
    show_default=True,
    help=HELP["out"],
)
endpoint_option = click.option(
    "--endpoint", metavar="URL", default=DEFAULTS["endpoint"] or None, help=HELP["endpoint"]
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=DEFAULTS["format"],
    show_default=True,
    help=HELP["format"],
)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build and query a knowledge graph of Dutch parliamentary documents on Iraq."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@out_option
@click.option(
    "--clean",
    is_flag=True,
    help="Read every document again, even those unchanged since the last build.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Read the documents in this many processes (default: one per core). The graph is "
    "the same bytes whatever the number.",
)
@click.option(
    "--dask",
    "cluster",
    metavar="ADDRESS",
    default=None,
    help="Read the documents on a Dask cluster: its scheduler's address (tcp://host:8786), "
    "or 'local' for one of --jobs workers on this machine (the distributed extra). The "
    "graph is the same bytes as a local build's.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.pass_context
def build(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    out: Path,
    clean: bool,
    jobs: int | None,
    cluster: str | None,
    quiet: bool,
) -> None:
    """Read documents and write their graph into the build folder.

    INPUTS are files or folders (searched recursively) of .txt, .html, .xml, .pdf,
    .docx and .odt documents; the default is seeds/. Each document becomes one named graph
    in the store (OUT/store) and in the TriG export (OUT/graph.trig). The build
    holds the documents of INPUTS: one unchanged since the last build into OUT is
    not read again, a changed one replaces its graph, and one no longer among the
    inputs is dropped (and named). In a folder fetched with kg fetch, each
    document's official record (its line of kg-manifest.jsonl) takes precedence
    over what its text suggests. A file that cannot be read, and a document of a
    type kg does not read (.doc, .rtf, ...), is named with the reason and skipped;
    the exit status is then 1. A figure beyond what is plausible for its kind, or an
    impossible date, is a warning and not stored. The new store is written beside
    the previous one and put in its place only when it is complete; a second build
    into the same folder is refused while one runs; with no readable input nothing
    is changed.
    """
    from kg.pipeline import build as run_build

    paths = list(inputs) or [Path(DEFAULTS["inputs"])]

    started = time.monotonic()

    def progress(n: int, total: int, name: str) -> None:
        if quiet:
            return
        elapsed = time.monotonic() - started
        rate = n / elapsed if elapsed > 0 else 0.0
        left = f", about {_duration((total - n) / rate)} left" if rate and n < total else ""
        click.echo(f"[{n}/{total}] {name} ({rate:.1f} documents/s{left})", err=True)

    def phase(name: str) -> None:
        if not quiet:
            click.echo(f"kg: {BUILD_PHASES[name]} ...", err=True)

    workers = jobs or os.cpu_count() or 1
    report = run_build(
        paths,
        out,
        clean=clean,
        progress=progress,
        debug=ctx.obj["debug"],
        jobs=workers,
        phase=phase,
        cluster=cluster,
    )
    for warning in report.warnings:
        click.echo(f"kg: warning: {warning}", err=True)
    for rejection in report.rejected:
        click.echo(f"kg: skipped {rejection.path}: {rejection.reason}", err=True)
    for note in report.notes:
        click.echo(f"kg: {note}", err=True)
    if report.dropped:
        click.echo(
            f"kg: dropped {_count(report.dropped)} of the last build no longer among the inputs: "
            f"{_names(report.dropped)}",
            err=True,
        )
    if not report.built and not report.kept:
        click.echo(f"kg: nothing built: no readable input; {out}/ is left as it was.", err=True)
    elif not report.built and not report.dropped:
        if not quiet:
            click.echo(
                f"kg: nothing changed since the last build ({_count(report.kept)} unchanged); "
                f"{out}/ is left as it was.",
                err=True,
            )
    elif not quiet:
        sentences = sum(result.sentences for result in report.built)
        kept = f", {len(report.kept)} unchanged (not read again)" if report.kept else ""
        skipped = sum(rejection.skipped for rejection in report.rejected)
        unread = f", {skipped} skipped (of types kg does not read)" if skipped else ""
        click.echo(
            f"Built {len(report.built) + len(report.kept)} document(s) into {out}/: "
            f"{len(report.built)} read ({sentences} sentences){kept}; "
            f"{len(report.rejected) - skipped} rejected{unread}.",
            err=True,
        )
    if report.rejected:
        sys.exit(EXIT_REJECTED)


BUILD_PHASES = {
    "reconciliation": "comparing the figures of all documents",
    "consolidation": "joining the starts, ends and figures of all documents",
    "pairs": "making the tables of the reconciliation's pairs",
    "story": "making the tables of the consolidation's phases and steps",
    "tables": "indexing the query tables",
    "export": "writing graph.trig",
    "viewer": "writing the viewer",
}


def _count(names: list[str]) -> str:
    return f"{len(names)} document" + ("" if len(names) == 1 else "s")


def _names(names: list[str], shown: int = 10) -> str:
    """The first names of a list, and how many more."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _duration(seconds: float) -> str:
    """ "12 s", "3 min 5 s", "1 h 2 min"."""
    whole = int(seconds + 0.5)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


# kg fetch: the services' public addresses, as kg.fetch.sru and kg.fetch.odata have them
# (not imported here: requests and lxml would slow every command's start).
FETCH_SOURCES = {
    "officielebekendmakingen": ("KG_SRU_URL", "https://repository.overheid.nl/sru"),
    "tweedekamer": ("KG_ODATA_URL", "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"),
}


def _fetch_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every ``kg fetch`` command takes."""
    day = click.DateTime(formats=["%Y-%m-%d"])
    options: list[Callable[[Any], Any]] = [
        click.option(
            "--to",
            "to",
            type=click.Path(file_okay=False, path_type=Path),
            required=True,
            help="The folder to fetch into (made if need be); kg build reads it.",
        ),
        click.option(
            "--since",
            type=day,
            default=None,
            metavar="YYYY-MM-DD",
            help="Only documents dated on or after this day (one without a date is left out).",
        ),
        click.option(
            "--until",
            type=day,
            default=None,
            metavar="YYYY-MM-DD",
            help="Only documents dated on or before this day (one without a date is left out).",
        ),
        click.option(
            "--source",
            type=click.Choice(sorted(FETCH_SOURCES)),
            default="officielebekendmakingen",
            show_default=True,
            help="The service: officielebekendmakingen (the Kamerstukken, through its SRU "
            "service) or tweedekamer (the Tweede Kamer's Open Data Portaal, OData).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["xml", "html", "pdf"]),
            default=None,
            help="officielebekendmakingen only: the file to fetch of each document "
            "(default xml; another where a document has not the one asked for). The "
            "Tweede Kamer serves each document in its own format (PDF, .docx, .odt, ...), "
            "all of which kg build reads.",
        ),
        click.option(
            "--limit",
            type=click.IntRange(min=1),
            default=None,
            metavar="N",
            help="Fetch at most N documents (the first the service lists): to try things out.",
        ),
        click.option(
            "--rate",
            type=click.FloatRange(0, min_open=True),
            default=1.0,
            show_default=True,
            help="Requests a second at most, retries included: keep it low, the services "
            "are public.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(0, 10),
            default=3,
            show_default=True,
            help="How often a request is tried again when it fails for a reason that may "
            "pass (no connection, no answer, 429, 500, 502, 503, 504), and a listing page or "
            "a file whose answer is cut short is asked for again (a file from where it "
            "stopped, where the server allows). The waits are 1 s, 2 s, 4 s ... (at most "
            "60 s), or as long as the service's Retry-After asks (at most 300 s; a longer "
            "wait fails at once).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(0, min_open=True),
            default=30.0,
            show_default=True,
            help="Seconds to wait for a connection, and for each part of an answer.",
        ),
        click.option(
            "--sru-url",
            envvar=FETCH_SOURCES["officielebekendmakingen"][0],
            show_envvar=True,
            metavar="URL",
            default=None,
            help="The address of the officielebekendmakingen SRU service (default "
            f"{FETCH_SOURCES['officielebekendmakingen'][1]}).",
        ),
        click.option(
            "--odata-url",
            envvar=FETCH_SOURCES["tweedekamer"][0],
            show_envvar=True,
            metavar="URL",
            default=None,
            help=f"The address of the Tweede Kamer's OData API (default "
            f"{FETCH_SOURCES['tweedekamer'][1]}).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary."),
        click.pass_context,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.group()
def fetch() -> None:
    """Fetch documents from the official services into a folder for kg build.

    \b
    kg fetch dossier 27925 --to corpus     the Kamerstukken of a dossier
    kg fetch search "F-16 Irak" --to corpus   those with every word of a search
    kg fetch ids kst-27925-506 --to corpus the documents named by identifier
    kg build corpus                        then build from them

    Each document is saved as IDENTIFIER.SUFFIX in the folder, and its record
    (official page, download address, time retrieved, SHA-256, type, dossier,
    number, date, title, submitters) as a line of the folder's manifest
    (kg-manifest.jsonl), which kg build reads: what the record states takes
    precedence over what the text suggests. Fetching again into the same folder
    transfers only what changed (conditional requests: a document unchanged is
    answered 304). A file is saved whole or not at all and a line is added to
    the manifest after each document, so a fetch stopped at any moment is taken
    up by running it again; two fetches into one folder at once are refused.

    Exit status: 0 when every document listed was fetched (or none was listed);
    1 when some failed (a record kg cannot read, an identifier the service has
    no record of, a file that cannot be downloaded: what was fetched is kept), or
    the service cannot be reached or answers what kg cannot read; 2 for a bad
    argument (a dossier, identifier or search of a form the service does not
    take, an impossible date, ...), a folder another fetch is writing into or
    that cannot be written, or a manifest kg cannot read.
    """


@fetch.command("dossier")
@click.argument("number")
@_fetch_options
def fetch_dossier(ctx: click.Context, number: str, **options: Any) -> None:
    """Fetch the documents of dossier NUMBER (27925, 36200-V), oldest first."""
    _fetch(ctx, "dossier", number, **options)


@fetch.command("search")
@click.argument("words", nargs=-1, required=True)
@_fetch_options
def fetch_search(ctx: click.Context, words: tuple[str, ...], **options: Any) -> None:
    """Fetch the documents that have every one of WORDS, oldest first.

    officielebekendmakingen searches the text and the metadata of the
    Kamerstukken; tweedekamer the title and subject of its documents.
    """
    _fetch(ctx, "search", " ".join(words), **options)


@fetch.command("ids")
@click.argument("identifiers", nargs=-1, required=True)
@_fetch_options
def fetch_ids(ctx: click.Context, identifiers: tuple[str, ...], **options: Any) -> None:
    """Fetch the documents named by IDENTIFIERS, in the order given.

    officielebekendmakingen takes its official identifiers (kst-27925-506,
    blg-123456, ...; one of a form it does not know is refused, with the forms
    it knows); tweedekamer its document numbers (2018D45001) or a Kamerstuk's
    identifier. An identifier the service has no record of is named, after the
    others are fetched. With --since or --until, documents dated outside are
    left out.
    """
    _fetch(ctx, "ids", identifiers, **options)


def _fetch(
    ctx: click.Context,
    kind: str,
    what: str | tuple[str, ...],
    to: Path,
    since: dt.datetime | None,
    until: dt.datetime | None,
    source: str,
    fmt: str | None,
    limit: int | None,
    rate: float,
    retries: int,
    timeout: float,
    sru_url: str | None,
    odata_url: str | None,
    quiet: bool,
) -> None:
    """Run one ``kg fetch`` command and report on it."""
    from itertools import islice

    from kg.fetch.base import FetchError, Listed, Period, Service
    from kg.fetch.http import polite_session
    from kg.fetch.odata import TweedeKamer
    from kg.fetch.run import fetch as run_fetch
    from kg.fetch.sru import OfficieleBekendmakingen

    if since and until and since > until:
        raise click.UsageError(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}")
    if fmt is not None and source != "officielebekendmakingen":
        raise click.UsageError(
            "--format chooses the file of officielebekendmakingen: leave it out with "
            f"--source {source}"
        )
    period = Period(since.date() if since else None, until.date() if until else None)
    session = polite_session(rate=rate, retries=retries, timeout=timeout)
    service: Service
    if source == "tweedekamer":
        service = TweedeKamer(session, odata_url or FETCH_SOURCES[source][1])
    else:
        base = sru_url or FETCH_SOURCES[source][1]
        service = OfficieleBekendmakingen(session, base, fmt or "xml")
    try:  # before anything is listed: a bad argument is a usage error (exit 2)
        if kind == "dossier":
            service.check_dossier(str(what))
        elif kind == "search":
            service.check_search(str(what))
        else:
            service.check_identifiers(list(what))
    except FetchError as err:
        raise click.UsageError(str(err)) from err
    items: Iterable[Listed]
    if kind == "dossier":
        items = service.dossier(str(what), period)
    elif kind == "search":
        items = service.search(str(what), period)
    else:
        items = service.identifiers(list(what), period)
    if limit is not None:
        items = islice(items, limit)

    started = time.monotonic()
    of = f" of at most {limit}" if limit else ""

    def progress(n: int, identifier: str, outcome: str) -> None:
        if quiet and outcome != "failed":
            return
        elapsed = time.monotonic() - started
        pace = f", {n / elapsed:.1f} documents/s" if elapsed > 0 else ""
        click.echo(f"[{n}{of}] {identifier}: {outcome}{pace}", err=True)

    try:
        report = run_fetch(items, to, session, progress)
    except FetchError as err:
        if ctx.obj and ctx.obj.get("debug"):
            traceback.print_exc()
        click.echo(f"kg: error: {err}", err=True)
        click.echo(f"kg: nothing fetched; {to}/ is left as it was.", err=True)
        sys.exit(EXIT_REJECTED)
    for identifier, reason in report.failed:
        click.echo(f"kg: failed {identifier}: {reason}", err=True)
    if report.stopped is not None:
        click.echo(f"kg: error: the fetch stopped: {report.stopped}", err=True)
    if not report.done:
        click.echo(
            f"kg: the service lists no documents for this {kind}"
            + (" in this period" if since or until else "")
            + "; nothing fetched.",
            err=True,
        )
        return
    failed = f": {', '.join(i for i, _ in report.failed[:10])}" if report.failed else ""
    click.echo(
        f"kg: {report.counts()}{failed} ({_size(report.transferred)} transferred) in {to}/.",
        err=True,
    )
    if report.again:
        click.echo(
            "kg: what was fetched is kept; run the same command again to fetch the rest.",
            err=True,
        )
    if len(report.failed) < report.done:
        click.echo(f"Next: kg build {shlex.quote(str(to))}", err=True)
    if not report.ok:
        sys.exit(EXIT_REJECTED)


def _size(count: int) -> str:
    """ "512 bytes", "2.3 MB"."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:.1f} kB"
    return f"{count / 1_000_000:.1f} MB"


def _source(out: Path, endpoint: str | None) -> Source:
    """The remote endpoint when one is given, else the store of the build in ``out``."""
    from kg.store import open_store

    return Endpoint(endpoint) if endpoint else open_store(out)


def _table_width(width: int | None = None, wide: bool = False) -> int | None:
    """The columns a table may take: --width, else COLUMNS, else the terminal's width,
    else DEFAULT_WIDTH; None (no limit) with --wide."""
    if wide:
        if width is not None:
            raise click.UsageError("--wide keeps every cell whole: leave out --width")
        return None
    if width is not None:
        return width
    if os.environ.get("COLUMNS") or sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


@cli.command()
@click.argument("query", required=False)
@out_option
@endpoint_option
@format_option
@click.option(
    "--width",
    type=click.IntRange(min=MIN_WIDTH),
    default=None,
    metavar="N",
    help=f"Fit the table into N columns (at least {MIN_WIDTH}). Default: COLUMNS if set, "
    f"else the terminal's width, else (output not a terminal) {DEFAULT_WIDTH}.",
)
@click.option(
    "--wide",
    is_flag=True,
    help="Keep every cell of the table whole, each row on one line, however long.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--store",
    "backend",
    type=click.Choice(["oxigraph", "oxigraph-memory", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="Query the on-disk Oxigraph store, a copy of it in memory (faster for big graphs, "
    "slower to open), or the TriG loaded into rdflib's memory store (rdflib's engine).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show at most N rows (after --offset).",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Leave out the first N rows.",
)
@click.option(
    "--from-store",
    is_flag=True,
    help="Run a named query on the store even where the build's query tables hold its rows.",
)
def query(
    query: str | None,
    out: Path,
    endpoint: str | None,
    fmt: str,
    width: int | None,
    wide: bool,
    list_queries: bool,
    backend: str,
    limit: int | None,
    offset: int,
    from_store: bool,
) -> None:
    """Run a query on a build: a NAME from --list, a FILE.rq, or SPARQL text.

    Queries see all documents' graphs as one default graph; the prefixes kg:,
    dcterms:, nif:, prov:, schema:, sem:, skos:, time:, rdf:, rdfs:, xsd: are declared.
    With --endpoint the query goes to that SPARQL endpoint, which must show the union
    of the named graphs as its default graph (oxigraph serve --union-default-graph).
    SPARQL that does not parse is an error giving the line and column in the query as
    written, what was expected there, and the line; updates (INSERT, DELETE, ...) are
    refused, not run.

    The named queries of one document's facts (budgets, documents, events,
    evidence, facts_per_document, mentions, periods, personnel, questions,
    questions_by_mission, signatories, spending) are answered from tables the
    build made, the same rows as the store gives, so a page of them (--limit,
    --offset) is quick on a large build; --from-store runs them on the store.
    The named queries of the reconciliation's pairs (conflicts, confirmations)
    and of the consolidation (lifecycle, phases, strength) are answered from
    tables too.

    \b
    The table fits the terminal's width (--width N to choose it):
    - short columns (missions, dates, numbers, names, words) are never cut;
    - long text (a quote) is cut with … where it does not fit, and a quote is
      shown around its fact's own words (the words column), so the figure is
      always in view;
    - when the columns do not fit on one line, each row takes several, with
      a long text that does not fit whole on a line of its own, and a rule
      after the row.
    --wide prints every cell whole, one line per row. JSON gives numbers and
    booleans as JSON numbers and booleans and unbound cells as null; dates and
    all else are strings. CSV and TSV hold every cell as text.
    """
    size = _table_width(width, wide)
    if list_queries:
        rows = tuple((q.name, q.description) for q in named_queries().values())
        listed = Table(("name", "description"), rows)
        click.echo(render(listed, fmt, width=size, wrap=True), nl=False)
        return
    if query is None:
        raise click.UsageError("give a query NAME, a FILE.rq or SPARQL text (or --list)")
    from kg.store import open_in_memory, open_rdflib, open_store
    from kg.tables import answer_page

    text = resolve(query)
    if endpoint and backend != "oxigraph":
        raise click.UsageError("--endpoint reads a remote store: leave out --store")
    typed = fmt in ("table", "json")  # numbers aligned right; numbers in JSON
    with naming_file(query):
        if backend == "rdflib":
            table = page(run_rdflib(open_rdflib(out, "memory"), text, typed=typed), limit, offset)
        else:
            source: Source
            if endpoint:
                source = Endpoint(endpoint)
            else:
                source = open_in_memory(out) if backend == "oxigraph-memory" else open_store(out)
            tables = out if backend == "oxigraph" and not endpoint and not from_store else None
            found = answer_page(source, text, name=query, out=tables, limit=limit, offset=offset)
            table = table_of(found, typed=typed)
    click.echo(render(table, fmt, width=size), nl=False)


@cli.command()
@out_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads", "turtle", "jsonld"]),
    default="trig",
    show_default=True,
    help="TriG, N-Quads and JSON-LD keep one named graph per document; Turtle, which has "
    "no graphs, merges them.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: graph.trig, graph.nq, graph.ttl or graph.jsonld in OUT).",
)
@click.option(
    "--with-build", is_flag=True, help="Include the build-activity record (with its time)."
)
@click.option(
    "--per-document",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write N-Quads, one file per named graph (NAME.nq for a document), into this "
    "folder instead of one file, for a store that loads many files at once.",
)
def export(out: Path, fmt: str, output: Path | None, with_build: bool, folder: Path | None) -> None:
    """Export the graph of a build as TriG, N-Quads, Turtle or JSON-LD.

    The output is sorted, so the same build gives the same bytes; the build's
    own record (software version, inputs and their hashes, time) is left out
    unless --with-build.
    """
    from kg.store import EXPORT_FORMATS, export_graphs, open_store
    from kg.store import export as write

    if folder is not None:
        if fmt != "nquads" or output is not None:
            raise click.UsageError(
                "--per-document writes N-Quads files: use it with --format nquads"
            )
        written = export_graphs(open_store(out), folder, with_build=with_build)
        click.echo(f"Wrote {len(written)} N-Quads files into {folder}/", err=True)
        return
    rdf_format, name = EXPORT_FORMATS[fmt]
    target = output or out / name
    write(open_store(out), target, rdf_format, with_build=with_build)
    click.echo(f"Wrote {target}", err=True)


@cli.command()
@out_option
@endpoint_option
@format_option
def docs(out: Path, endpoint: str | None, fmt: str) -> None:
    """List the documents of a build with their metadata and signatories, and for a
    fetched document its official identifier and page."""
    store = _source(out, endpoint)
    documents = run(store, named_queries()["documents"].text)
    signers: dict[str, list[str]] = {}
    for doc, name, office, _quote in run(store, named_queries()["signatories"].text).rows:
        signers.setdefault(doc, []).append(f"{name} ({office})")
    reasons = {
        row[0]: row[5]
        for row in run(store, named_queries()["evidence"].text).rows
        if row[1].endswith("/date") and row[4] == "true"
    }
    columns = (
        "doc",
        "type",
        "date",
        "chamber",
        "dossier",
        "number",
        "signatories",
        "title",
        "date_note",
        "identifier",
        "page",
    )
    index = {name: i for i, name in enumerate(documents.columns)}
    rows = []
    for row in documents.rows:
        doc = row[index["doc"]]
        date = row[index["date"]] + (" (inferred)" if row[index["inferred"]] == "true" else "")
        rows.append(
            (
                doc,
                row[index["type"]],
                date,
                row[index["chamber"]],
                row[index["dossier"]],
                row[index["number"]],
                "; ".join(signers.get(doc, [])),
                row[index["title"]],
                reasons.get(doc, ""),
                row[index["identifier"]],
                row[index["page"]],
            )
        )
    click.echo(render(Table(columns, tuple(rows)), fmt, width=_table_width()), nl=False)


@cli.command()
@out_option
@click.option(
    "--gold",
    type=click.Path(file_okay=False, path_type=Path),
    default="tests/gold",
    show_default=True,
    help="The folder of gold annotations (*.json), or a corpus folder (*/expected.json).",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test"]),
    default=None,
    help="Corpus only: score the texts of this split (default: all).",
)
@click.option(
    "--kind",
    type=click.Choice(["kamerstuk", "government", "news", "distractor", "challenge"]),
    default=None,
    help="Corpus only: score the texts of this kind (default: all).",
)
@format_option
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also list the gold facts missed, the facts not in the gold, and field differences.",
)
def evaluate(
    out: Path, gold: Path, split: str | None, kind: str | None, fmt: str, verbose: bool
) -> None:
    """Score a build's facts, events and periods against gold annotations.

    Prints precision, recall and F1 per fact type (personnel and budgets matched
    on document, sentence and numbers, and with the mission right too; events on
    sentence and date; period ends on sentence, side and date), the precision and
    recall of missions (a mission left unknown costs recall only), the accuracy
    of each field of the matched facts (modality, valid time and mission basis
    where the gold has them) and, for a corpus with distractor texts, how many of
    their figures were put in an Iraq mission.
    """
    from kg.evaluate import evaluate as score
    from kg.evaluate import load_gold
    from kg.store import open_store

    annotations = load_gold(gold, split, kind)
    store = open_store(out)
    queries = named_queries()
    report = score(
        annotations,
        *(run(store, queries[name].text) for name in ("personnel", "budgets", "events", "periods")),
    )
    click.echo(render(report.table(), fmt, width=_table_width()), nl=False)
    if verbose:
        for line in report.missed:
            click.echo(f"missed: {line}")
        for line in report.spurious:
            click.echo(f"not in gold: {line}")
        for line in report.differences:
            click.echo(f"differs: {line}")
        for line in report.distractor_iraq:
            click.echo(f"distractor in Iraq: {line}")


@cli.command()
@out_option
@endpoint_option
def view(out: Path, endpoint: str | None) -> None:
    """Write the viewer, OUT/site/index.html, from the build in OUT.

    kg build writes it too; this writes it again, or, with --endpoint, writes the
    viewer of the graph that endpoint serves (OUT then needs no build). It waits for
    no build: while one is writing OUT, this is refused.
    """
    from kg.render import write_site
    from kg.store import build_lock, require_build

    if endpoint is None:
        require_build(out)  # before the lock, which would make the folder
    with build_lock(out):  # a build drops the parts of the viewer that it no longer uses
        index = write_site(out, Endpoint(endpoint) if endpoint else None)
    click.echo(f"Wrote {index}", err=True)


@cli.command()
@out_option
@click.option(
    "-v", "--verbose", is_flag=True, help="Also list the warnings (facts whose time is not known)."
)
def validate(out: Path, verbose: bool) -> None:
    """Check a build's graph against the SHACL shapes (ontology/shapes.ttl).

    Prints one line when the graph is valid. Otherwise prints each violation in
    plain words (document, node, quote, property, what is wrong) and exits with
    status 1. Warnings are allowed: they are counted, and listed with --verbose.
    """
    from kg.validate import validate as check

    report = check(out)
    for finding in report.violations:
        click.echo(f"violation: {finding}")
    if verbose:
        for finding in report.warnings:
            click.echo(f"{finding.severity}: {finding}")
    click.echo(report.summary())
    if not report.conforms:
        sys.exit(EXIT_REJECTED)


@cli.command()
@out_option
@click.option("--host", default=DEFAULTS["host"], show_default=True, help=HELP["host"])
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=int(DEFAULTS["port"]),
    show_default=True,
    help=HELP["port"],
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=float(DEFAULTS["timeout"]),
    show_default=True,
    help=HELP["timeout"],
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=int(DEFAULTS["max_rows"]),
    show_default=True,
    help=HELP["max_rows"],
)
@click.option(
    "--max-body",
    type=click.IntRange(1),
    default=int(DEFAULTS["max_body"]),
    show_default=True,
    help=HELP["max_body"],
)
@click.option(
    "--max-url",
    type=click.IntRange(1),
    default=int(DEFAULTS["max_url"]),
    show_default=True,
    help=HELP["max_url"],
)
@click.option("--cors", multiple=True, default=(), metavar="ORIGIN", help=HELP["cors"])
def serve(
    out: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    max_url: int,
    cors: tuple[str, ...],
) -> None:
    """Serve a build: a read-only SPARQL endpoint at /sparql and the viewer at /.

    The endpoint speaks the SPARQL 1.1 Protocol (GET or HEAD ?query=, POST form or
    application/sparql-query body) with the kg prefixes declared, as with kg query.
    default-graph-uri and named-graph-uri choose the dataset, over the query's FROM
    and FROM NAMED; without either, queries see all documents' graphs as one default
    graph. Results follow the Accept header: SPARQL JSON (default), XML, CSV or TSV;
    Turtle (default), N-Triples or RDF/XML for CONSTRUCT and DESCRIBE. Updates and
    SERVICE get 403. Restart the server after kg build to serve the new graph. /
    serves OUT/site/index.html once the viewer is built. Ctrl-C stops.
    """
    from kg.serve import serve as run_server

    def announce(url: str) -> None:
        click.echo(f"Serving {out}/ at {url} (SPARQL endpoint {url}sparql); Ctrl-C stops.")

    run_server(
        out,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        max_url=max_url,
        cors=cors,
        announce=announce,
    )


def main() -> None:
    """Entry point of the ``kg`` console script."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(prog_name="kg")
    except KgError as err:  # raised outside a command's invoke
        click.echo(f"kg: error: {err}", err=True)
        sys.exit(EXIT_ERROR)
    except Exception:
        if debug:
            raise
        click.echo(
            "kg: internal error: "
            + traceback.format_exc().strip().splitlines()[-1]
            + " (rerun with --debug for the traceback, and please report it)",
            err=True,
        )
        sys.exit(70)
