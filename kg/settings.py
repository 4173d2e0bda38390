"""One table of settings: name, default and help, used by the command line and the docs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "inputs", "seeds", "Files or folders of documents to build from (.txt, .html, .xml, .pdf)."
    ),
    Setting("out", "out", "The build folder: the store, the TriG export and everything kg writes."),
    Setting(
        "format",
        "table",
        "How query results are printed: table, csv, tsv or json. In CSV and TSV a cell "
        "that starts with =, +, -, @, a tab or a carriage return gets a ' before it, so "
        "that a spreadsheet shows it as text, not a formula; plain numbers (-1.5) are "
        "left as they are.",
    ),
    Setting("store_dir", "store", "The embedded Oxigraph store, inside the build folder."),
    Setting(
        "trig_file",
        "graph.trig",
        "The TriG export (one named graph per document), in the build folder.",
    ),
    Setting("site_dir", "site", "The viewer, inside the build folder; kg serve serves it at /."),
    Setting(
        "endpoint",
        "",
        "Read the graph from this SPARQL endpoint instead of OUT/store "
        "(an Oxigraph server: http://HOST:PORT/query).",
    ),
    Setting("endpoint_timeout", "60", "Seconds to wait for a remote SPARQL endpoint to answer."),
    Setting(
        "host",
        "127.0.0.1",
        "The address to listen on; 0.0.0.0 opens the endpoint to other machines.",
    ),
    Setting("port", "8000", "The port to listen on; 0 picks a free one."),
    Setting(
        "timeout", "10", "Seconds a query may run; a longer one is stopped and answered with 503."
    ),
    Setting(
        "max_rows",
        "10000",
        "Rows (or triples) sent at most; a cut result has the header X-Kg-Truncated: true.",
    ),
    Setting(
        "worker_documents",
        "250",
        "Documents a worker process reads before a fresh one takes its place: a worker's "
        "memory grows with the documents it has read, a fresh one starts small.",
    ),
    Setting(
        "part_chars",
        "200000",
        "Characters of normalized text read at a time: a longer document is read in parts "
        "of whole paragraphs, so memory grows with the part, not the document.",
    ),
    Setting(
        "max_body",
        "1048576",
        "Bytes a request body may have (1 MiB); a longer one gets 413, unread when its "
        "Content-Length shows it.",
    ),
    Setting(
        "max_url",
        "8192",
        "Bytes a request URL may have; a longer one is refused with 414 (POST a long query).",
    ),
    Setting(
        "cors",
        "",
        "An origin (https://host:port) whose web pages may query the endpoint, or * for any; "
        "repeat for several. Without it, no CORS headers are sent.",
    ),
)

DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
