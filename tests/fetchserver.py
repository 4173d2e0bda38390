"""A local stand-in for the two services ``kg fetch`` reads, for tests: the SRU 2.0
service of the officielebekendmakingen repository (repository.overheid.nl/sru) with
its files, and the Tweede Kamer's OData v4 API (gegevensmagazijn.tweedekamer.nl)
with ``Document(Id)/resource``.

The answers have the shape the services document: the SRU searchRetrieveResponse
with its namespaces, ``gzd:gzd`` records and ``nextRecordPosition``; the OData JSON
with ``@odata.context``, ``value`` and ``@odata.nextLink``; files with ETag and
Last-Modified, answered 304 to a conditional request and 206 to a Range (200 with the
whole file when its If-Range no longer holds). The CQL and the ``$filter`` it
understands are small and strict: a query it does not know is an SRU diagnostic or an
OData 400, so a client that sends a wrong query fails its tests.

    with FakeServices(seed_documents()) as fake:
        service = OfficieleBekendmakingen(requests.Session(), base_url=fake.sru_url)
        fake.fail("/sru", 503)        # the next SRU request is answered 503
        fake.misreport("kst-27925-5101", date="2018-02-30")  # its records state this date
        fake.requests                 # what was asked and sent: (method, path, status, bytes)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import functools
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from lxml import etree

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SRU_PATH = "/sru"
REPOSITORY = "/frbr/officielepublicaties"
ODATA_PATH = "/OData/v4/2.0/"
ZOEK = "https://zoek.officielebekendmakingen.nl"
SRU_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
DIAG_NS = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
NSMAP = {
    "sru": SRU_NS,
    "gzd": "http://standaarden.overheid.nl/sru",
    "dcterms": "http://purl.org/dc/terms/",
    "overheidwetgeving": "http://standaarden.overheid.nl/wetgeving/",
    "overheid": "http://standaarden.overheid.nl/owms/terms/",
    "c": "http://standaarden.overheid.nl/collectie/",
}
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
GUID_SPACE = uuid.UUID("6f1c3a52-0d5e-4c0b-9a8e-2b7f4c1d9e10")
MALFORMED = b"<!DOCTYPE html><html><body><h1>Onderhoud</h1><p>Probeer het later.</p></body></html>"


@dataclass(frozen=True)
class FakeDocument:
    """One document as both services hold it.

    ``doc_type`` is the Tweede Kamer's ``Soort`` ("Brief regering"); ``subrubriek`` the
    repository's kind of Kamerstuk ("Brief"), the ``doc_type`` where not given.
    ``tk_document_number`` None: the Tweede Kamer has no such document; ``deleted``:
    it has one, withdrawn (``Verwijderd``); ``in_repository`` False: the repository
    has no record of it.
    """

    identifier: str  # "kst-27925-5001"
    dossier: str  # "27925", "36200-X"
    number: str  # "5001"
    date: dt.date
    doc_type: str
    title: str
    paragraphs: tuple[str, ...]
    submitters: tuple[str, ...] = ()
    tk_document_number: str | None = None
    dossier_title: str = "Bestrijding internationaal terrorisme"
    subrubriek: str | None = None
    publication: str = "Kamerstuk"
    deleted: bool = False
    in_repository: bool = True

    @property
    def vergaderjaar(self) -> str:
        """The parliamentary year (from the third Tuesday of September): "2018-2019"."""
        first = self.date.year if self.date.month >= 9 else self.date.year - 1
        return f"{first}-{first + 1}"

    @property
    def tk_id(self) -> str:
        """The Tweede Kamer's Id of the document (a GUID made from the identifier)."""
        return str(uuid.uuid5(GUID_SPACE, self.identifier))


class Logged(NamedTuple):
    """One request the fake answered: its method, path with query, status, body bytes sent."""

    method: str
    path: str
    status: int
    sent: int


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fault:
    prefix: str
    kind: str  # "fail", "malformed", "drop", "delay"
    times: int | None  # None: every time
    status: int = 0
    retry_after: int | None = None
    after_bytes: int = 0
    seconds: float = 0.0
    then: Callable[[], None] | None = None  # called once the dropped answer is sent


@dataclass(frozen=True)
class Misreport:
    """What the services' records of one document state wrongly: ``date`` (as written)
    instead of its own, and ``without`` the fields named ("identifier": SRU's
    dcterms:identifier, OData's DocumentNummer; "files": SRU's itemUrls, OData's
    Id)."""

    date: str | None = None
    without: frozenset[str] = frozenset()


class QueryError(ValueError):
    """A query the fake does not understand; ``code`` is the SRU diagnostic number."""

    def __init__(self, message: str, code: int = 10) -> None:
        super().__init__(message)
        self.code = code


# ----------------------------------------------------------------------------- documents


def seed_documents(generated: int = 24) -> list[FakeDocument]:
    """A realistic set: the seed texts of ``seeds/`` as Kamerstukken of dossier 27925
    (paragraphs split on blank lines), then ``generated`` short ones for paging, two of
    dossier 36200-X, one withdrawn at the Tweede Kamer, one the repository lacks."""
    documents = []
    for position, path in enumerate(sorted(SEEDS_DIR.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        paragraphs = tuple(
            " ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()
        )
        number = str(5001 + position)
        date = _seed_date(text) or dt.date(2015 + 2 * position, 3, 10)
        documents.append(
            FakeDocument(
                identifier=f"kst-27925-{number}",
                dossier="27925",
                number=number,
                date=date,
                doc_type=_seed_kind(text),
                title=next(p for p in paragraphs if len(p) >= 20)[:160],
                paragraphs=paragraphs,
                submitters=("A.B. de Vries", "C. Jansen")[: 1 + position % 2],
                tk_document_number=f"{date.year}D{40001 + position:05d}",
            )
        )
    for position in range(generated):
        number = str(5101 + position)
        in_budget = position in (3, 4)
        dossier = "36200-X" if in_budget else "27925"
        documents.append(
            FakeDocument(
                identifier=f"kst-{dossier}-{number}",
                dossier=dossier,
                number=number,
                date=dt.date(2019, 1, 7) + dt.timedelta(days=9 * position),
                doc_type="Brief regering",
                subrubriek="Brief",
                title=f"Brief over de inzet in Irak, deel {position + 1}",
                paragraphs=tuple(
                    f"Dit is alinea {k + 1} van brief {position + 1} over de Nederlandse "
                    f"bijdrage aan de missie in Irak."
                    + (" Militairen." if k == 1 and position % 2 == 0 else "")
                    for k in range(3)
                ),
                submitters=("E. Bakker",),
                tk_document_number=f"2019D{50001 + position:05d}",
                dossier_title=(
                    "Vaststelling van de begrotingsstaten van het Ministerie van Defensie"
                    if in_budget
                    else "Bestrijding internationaal terrorisme"
                ),
                deleted=position == 5,
                in_repository=position != 6,
            )
        )
    return documents


def _seed_date(text: str) -> dt.date | None:
    """The first date written out in Dutch in ``text`` ("14 september 2018")."""
    found = re.search(rf"\b(\d{{1,2}}) ({MONTHS.replace(' ', '|')}) (\d{{4}})\b", text)
    if found is None:
        return None
    return dt.date(int(found[3]), MONTHS.split().index(found[2]) + 1, int(found[1]))


def _seed_kind(text: str) -> str:
    """The Tweede Kamer's word for the kind of a seed, from words at its head."""
    head = text[:2000].lower()
    for words, kind in (
        ("lijst van vragen en antwoorden", "Lijst van vragen en antwoorden"),
        ("schriftelijk overleg", "Verslag van een schriftelijk overleg"),
    ):
        if words in head:
            return kind
    return "Brief regering"


# ----------------------------------------------------------------------------- the server


class FakeServices:
    """Both services on one loopback port, in a thread; a context manager."""

    def __init__(
        self,
        documents: Sequence[FakeDocument],
        sru_max_records: int = 1000,
        odata_page: int = 250,
        embedded_metadata: bool = False,
        relative_links: bool = False,
    ) -> None:
        self.documents = {document.identifier: document for document in documents}
        self.versions = dict.fromkeys(self.documents, 0)
        self.sru_max_records = sru_max_records
        self.odata_page = odata_page
        self.embedded_metadata = embedded_metadata
        self.relative_links = relative_links  # @odata.nextLink relative to the page
        self.misreports: dict[str, Misreport] = {}
        self.requests: list[Logged] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifetime

    def __enter__(self) -> FakeServices:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        assert self._server is not None, "use FakeServices as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def sru_url(self) -> str:
        return self.base + SRU_PATH

    @property
    def odata_url(self) -> str:
        return self.base + ODATA_PATH

    # -- what tests change

    def fail(
        self, path_prefix: str, status: int, retry_after: int | None = None, times: int = 1
    ) -> None:
        """The next ``times`` requests under ``path_prefix`` are answered ``status``
        (with ``Retry-After: retry_after`` seconds where given)."""
        self._add(_Fault(path_prefix, "fail", times, status=status, retry_after=retry_after))

    def malformed(self, path_prefix: str, times: int = 1) -> None:
        """The next ``times`` requests under ``path_prefix`` get 200 and an HTML page
        under the content type of the real answer."""
        self._add(_Fault(path_prefix, "malformed", times))

    def drop(
        self,
        path_prefix: str,
        after_bytes: int,
        times: int = 1,
        then: Callable[[], None] | None = None,
    ) -> None:
        """The next ``times`` answers under ``path_prefix`` announce their full length,
        send ``after_bytes`` of the body and close the connection; ``then`` is called
        after each (to change a document between a drop and the request that resumes)."""
        self._add(_Fault(path_prefix, "drop", times, after_bytes=after_bytes, then=then))

    def misreport(
        self, identifier: str, date: str | None = None, without: Sequence[str] = ()
    ) -> None:
        """The services' records of document ``identifier`` state ``date`` (as written,
        in every date field) instead of its own, and leave out the fields ``without``
        names (see :class:`Misreport`). Queries still select the document by its own
        values: the services send what was not asked for, or what kg cannot read."""
        with self._lock:
            self.misreports[identifier] = Misreport(date, frozenset(without))

    def delay(self, path_prefix: str, seconds: float) -> None:
        """Every answer under ``path_prefix`` waits ``seconds`` first."""
        self._add(_Fault(path_prefix, "delay", None, seconds=seconds))

    def clear(self) -> None:
        """No faults any more, and an empty log."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()

    def change(self, identifier: str, paragraphs: Sequence[str]) -> None:
        """Give a document new text: its files change, and with them ETag and
        Last-Modified."""
        with self._lock:
            document = self.documents[identifier]
            self.documents[identifier] = dataclasses.replace(document, paragraphs=tuple(paragraphs))
            self.versions[identifier] += 1

    def paths(self, prefix: str = "") -> list[str]:
        """The paths (with query) asked for, in order, those under ``prefix`` only."""
        with self._lock:
            return [entry.path for entry in self.requests if entry.path.startswith(prefix)]

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _fault(self, path: str) -> list[_Fault]:
        """The faults that apply to a request for ``path``: the delay, then the first
        other one (used up by this request)."""
        with self._lock:
            found = [f for f in self._faults if f.kind == "delay" and path.startswith(f.prefix)]
            for fault in self._faults:
                if fault.kind != "delay" and path.startswith(fault.prefix):
                    found.append(fault)
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    break
            return found

    def _log(self, entry: Logged) -> None:
        with self._lock:
            self.requests.append(entry)

    # -- answers

    def respond(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        """The answer to ``method target`` without faults: the pure part of the server."""
        parts = urlsplit(target)
        path = parts.path
        if method not in ("GET", "HEAD"):
            return Reply(405, b"", {"Allow": "GET, HEAD"})
        if path == SRU_PATH:
            return self._sru(parts.query)
        if path.startswith(REPOSITORY + "/"):
            return self._repository_file(path, headers)
        if path.startswith(ODATA_PATH):
            return self._odata(path[len(ODATA_PATH) :], parts.query, headers)
        return Reply(404, b"not found", {"Content-Type": "text/plain"})

    def _snapshot(self) -> list[FakeDocument]:
        with self._lock:
            return list(self.documents.values())

    def _version(self, identifier: str) -> int:
        with self._lock:
            return self.versions[identifier]

    # SRU ----------------------------------------------------------------------------

    def _sru(self, query_string: str) -> Reply:
        params = dict(parse_qsl(query_string, keep_blank_values=True))
        try:
            return self._search_retrieve(params)
        except QueryError as err:
            return _xml_reply(sru_diagnostic(err.code, str(err)))

    def _search_retrieve(self, params: dict[str, str]) -> Reply:
        known = {"operation", "version", "query", "startRecord", "maximumRecords"}
        known |= {"recordSchema", "httpAccept", "recordXMLEscaping"}
        for name in params:
            if name not in known and not name.startswith("x-"):
                raise QueryError(f"Unsupported parameter: {name}", 8)
        if params.get("operation", "searchRetrieve") != "searchRetrieve":
            raise QueryError(f"Unsupported operation: {params['operation']}", 4)
        if params.get("version", "2.0") != "2.0":
            raise QueryError(f"Unsupported version: {params['version']}", 5)
        if params.get("recordSchema", "gzd") != "gzd":
            raise QueryError(f"Unknown schema for retrieval: {params['recordSchema']}", 66)
        if "query" not in params:
            raise QueryError("Mandatory parameter not supplied: query", 7)
        start = _whole(params.get("startRecord", "1"), "startRecord")
        maximum = min(
            _whole(params.get("maximumRecords", "10"), "maximumRecords"), self.sru_max_records
        )
        if start < 1:
            raise QueryError(f"Unsupported parameter value: startRecord {start}", 6)
        predicate, order = parse_cql(params["query"])
        documents = [d for d in self._snapshot() if d.in_repository and predicate(d)]
        if order is not None:
            documents.sort(key=lambda d: d.date, reverse=order == "descending")
        if documents and start > len(documents):
            raise QueryError("First record position out of range", 61)
        page = documents[start - 1 : start - 1 + maximum]
        return _xml_reply(self._sru_page(params, documents, page, start))

    def _sru_page(
        self,
        params: dict[str, str],
        documents: list[FakeDocument],
        page: list[FakeDocument],
        start: int,
    ) -> bytes:
        root = etree.Element(_q("sru", "searchRetrieveResponse"), nsmap=NSMAP)
        _sub(root, "sru", "version", "2.0")
        _sub(root, "sru", "numberOfRecords", str(len(documents)))
        if page:
            records = _sub(root, "sru", "records")
            for position, document in enumerate(page, start):
                records.append(self._sru_record(document, position))
        if start + len(page) <= len(documents):
            _sub(root, "sru", "nextRecordPosition", str(start + len(page)))
        echoed = _sub(root, "sru", "echoedSearchRetrieveRequest")
        for name in ("version", "query", "startRecord", "maximumRecords", "recordSchema"):
            if name in params:
                _sub(echoed, "sru", name, params[name])
        _sub(
            root, "sru", "resultCountPrecision", "info:srw/vocabulary/resultCountPrecision/1/exact"
        )
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def _sru_record(self, document: FakeDocument, position: int) -> etree._Element:
        record = etree.Element(_q("sru", "record"))
        _sub(record, "sru", "recordSchema", "http://standaarden.overheid.nl/sru/")
        _sub(record, "sru", "recordXMLEscaping", "xml")
        data = _sub(record, "sru", "recordData")
        gzd = _sub(data, "gzd", "gzd")
        meta = _sub(_sub(gzd, "gzd", "originalData"), "overheidwetgeving", "meta")
        wrong = self.misreports.get(document.identifier, Misreport())
        kern = _sub(meta, "overheidwetgeving", "owmskern")
        if "identifier" not in wrong.without:
            _sub(kern, "dcterms", "identifier", document.identifier)
        _sub(kern, "dcterms", "title", f"{document.dossier_title}; {document.title}")
        _sub(kern, "dcterms", "type", document.publication, scheme="OVERHEIDop.Parlementair")
        _sub(kern, "dcterms", "language", "nl", scheme="XSD.language")
        _sub(kern, "overheid", "authority", "Tweede Kamer der Staten-Generaal")
        _sub(
            kern,
            "dcterms",
            "creator",
            "Tweede Kamer der Staten-Generaal",
            scheme="OVERHEID.StatenGeneraal",
        )
        _sub(kern, "dcterms", "modified", self._modified(document).date().isoformat())
        mantel = _sub(meta, "overheidwetgeving", "owmsmantel")
        available = (document.date + dt.timedelta(days=1)).isoformat()
        _sub(mantel, "dcterms", "available", wrong.date or available)
        _sub(mantel, "dcterms", "date", wrong.date or document.date.isoformat())
        _sub(mantel, "dcterms", "issued", wrong.date or document.date.isoformat())
        tp = _sub(meta, "overheidwetgeving", "tpmeta")
        _sub(tp, "c", "product-area", "officielepublicaties")
        _sub(tp, "overheidwetgeving", "documenttitel", document.title)
        _sub(tp, "overheidwetgeving", "dossiertitel", document.dossier_title)
        _sub(tp, "overheidwetgeving", "dossiernummer", document.dossier)
        for name in document.submitters:
            _sub(tp, "overheidwetgeving", "indiener", name)
        _sub(tp, "overheidwetgeving", "ondernummer", document.number)
        _sub(tp, "overheidwetgeving", "organisatietype", "staten generaal")
        _sub(tp, "overheidwetgeving", "publicatienaam", document.publication)
        _sub(tp, "overheidwetgeving", "vergaderjaar", document.vergaderjaar)
        _sub(
            tp,
            "overheidwetgeving",
            "subrubriek",
            document.subrubriek or document.doc_type,
            scheme="OVERHEIDop.KamerstukTypen",
        )
        enriched = _sub(gzd, "gzd", "enrichedData")
        _sub(enriched, "gzd", "url", self.base + self.file_path(document, "xml"))
        _sub(enriched, "gzd", "preferredUrl", f"{ZOEK}/{document.identifier}.html")
        for kind in ("metadata", "html", "pdf", "xml") if "files" not in wrong.without else ():
            _sub(
                enriched,
                "gzd",
                "itemUrl",
                self.base + self.file_path(document, kind),
                manifestation=kind,
            )
        _sub(enriched, "gzd", "timestamp", self._modified(document).isoformat())
        _sub(record, "sru", "recordPosition", str(position))
        return record

    def file_path(self, document: FakeDocument, kind: str) -> str:
        """The repository path of a document's file: "xml", "html", "pdf" or "metadata"."""
        folder = f"{REPOSITORY}/kst/{document.dossier}/{document.identifier}/1"
        if kind == "metadata":
            return f"{folder}/metadata/metadata.xml"
        return f"{folder}/{kind}/{document.identifier}.{kind}"

    def _repository_file(self, path: str, headers: dict[str, str]) -> Reply:
        found = re.fullmatch(
            rf"{REPOSITORY}/kst/[^/]+/(?P<id>[^/]+)/1/(?:(?P<kind>xml|html|pdf)/(?P=id)\.(?P=kind)"
            r"|metadata/metadata\.xml)",
            path,
        )
        document = self.documents.get(found["id"]) if found else None
        if found is None or document is None or not document.in_repository:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        kind = found["kind"] or "metadata"
        body, media_type = {
            "xml": lambda: (self.publication_xml(document), "application/xml"),
            "html": lambda: (self.publication_html(document), "text/html; charset=utf-8"),
            "pdf": lambda: (make_pdf(document.title, document.paragraphs), "application/pdf"),
            "metadata": lambda: (self.metadata_xml(document), "application/xml"),
        }[kind]()
        return _file_reply(body, media_type, self._modified(document), headers)

    def _modified(self, document: FakeDocument) -> dt.datetime:
        version = self._version(document.identifier)
        noon = dt.datetime.combine(document.date, dt.time(12), tzinfo=dt.UTC)
        return noon + dt.timedelta(days=1, hours=version)

    def _meta_pairs(self, document: FakeDocument) -> list[tuple[str, str, str]]:
        """(name, scheme, content) of the metadata officielebekendmakingen gives a
        Kamerstuk, under the names of its metadata.xml."""
        pairs = [
            ("DC.identifier", "OVERHEIDop.ParlID", document.identifier),
            ("DC.title", "", f"{document.dossier_title}; {document.title}"),
            ("DC.type", "OVERHEIDop.Parlementair", document.publication),
            ("DC.creator", "OVERHEID.StatenGeneraal", "Tweede Kamer der Staten-Generaal"),
            ("DCTERMS.language", "DCTERMS.RFC4646", "nl"),
            ("DCTERMS.issued", "DCTERMS.W3CDTF", document.date.isoformat()),
            (
                "DCTERMS.available",
                "DCTERMS.W3CDTF",
                (document.date + dt.timedelta(days=1)).isoformat(),
            ),
            ("OVERHEIDop.dossiernummer", "", document.dossier),
            ("OVERHEIDop.dossiertitel", "", document.dossier_title),
            ("OVERHEIDop.ondernummer", "", document.number),
            ("OVERHEIDop.documenttitel", "", document.title),
            ("OVERHEIDop.vergaderjaar", "", document.vergaderjaar),
            ("OVERHEIDop.publicationName", "", document.publication),
            (
                "OVERHEIDop.subrubriek",
                "OVERHEIDop.KamerstukTypen",
                document.subrubriek or document.doc_type,
            ),
        ]
        pairs += [("OVERHEIDop.indiener", "", name) for name in document.submitters]
        return pairs

    def metadata_xml(self, document: FakeDocument) -> bytes:
        """The ``metadata.xml`` of a publication: ``<metadata name scheme content/>``."""
        root = etree.Element("metadata_gegevens")
        for name, scheme, content in self._meta_pairs(document):
            etree.SubElement(root, "metadata", name=name, scheme=scheme, content=content)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def publication_xml(self, document: FakeDocument) -> bytes:
        """The xml manifestation: ``<officiele-publicatie>`` whose ``<metadata>`` block
        points to the metadata record (and, with ``embedded_metadata``, carries it)."""
        root = etree.Element("officiele-publicatie")
        metadata = etree.SubElement(root, "metadata")
        etree.SubElement(
            metadata,
            "meta",
            name="OVERHEIDop.externMetadataRecord",
            scheme="",
            content=f"{ZOEK}/{document.identifier}/metadata.xml",
        )
        if self.embedded_metadata:
            for name, scheme, content in self._meta_pairs(document):
                etree.SubElement(metadata, "meta", name=name, scheme=scheme, content=content)
        kamerstuk = etree.SubElement(root, "kamerstuk")
        kop = etree.SubElement(kamerstuk, "kamerstukkop")
        etree.SubElement(kop, "kamer", nummer="2").text = "Tweede Kamer der Staten-Generaal"
        regel = etree.SubElement(kop, "tekstregel", inhoud="vergaderjaar")
        regel.text = f"Vergaderjaar {document.vergaderjaar}"
        dossier = etree.SubElement(kamerstuk, "dossier")
        number = etree.SubElement(etree.SubElement(dossier, "dossiernummer"), "dossiernr")
        number.text = document.dossier
        etree.SubElement(dossier, "titel").text = document.dossier_title
        stuk = etree.SubElement(kamerstuk, "stuk")
        stuknr = etree.SubElement(stuk, "stuknr")
        stuknr.text = "Nr. "
        etree.SubElement(stuknr, "ondernummer").text = document.number
        etree.SubElement(stuk, "titel").text = document.title
        tekst = etree.SubElement(
            etree.SubElement(etree.SubElement(stuk, "algemeen"), "vrije-tekst"), "tekst"
        )
        for paragraph in document.paragraphs:
            etree.SubElement(tekst, "al").text = paragraph
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def publication_html(self, document: FakeDocument) -> bytes:
        """The html manifestation, its metadata as ``<meta>`` in the head."""
        html = etree.Element("html", lang="nl")
        head = etree.SubElement(html, "head")
        etree.SubElement(head, "meta", charset="utf-8")
        etree.SubElement(head, "title").text = document.title
        for name, scheme, content in self._meta_pairs(document):
            attributes = {
                "name": name,
                "content": content,
                **({"scheme": scheme} if scheme else {}),
            }
            etree.SubElement(head, "meta", attributes)
        stuk = etree.SubElement(etree.SubElement(html, "body"), "div", {"class": "stuk"})
        etree.SubElement(stuk, "h1", {"class": "stuktitel"}).text = document.title
        for paragraph in document.paragraphs:
            etree.SubElement(stuk, "p").text = paragraph
        return b"<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="UTF-8")

    # OData --------------------------------------------------------------------------

    def _odata(self, path: str, query_string: str, headers: dict[str, str]) -> Reply:
        try:
            return self._odata_answer(path, query_string, headers)
        except QueryError as err:
            return _json_reply({"error": {"code": "", "message": str(err)}}, 400)

    def _odata_answer(self, path: str, query_string: str, headers: dict[str, str]) -> Reply:
        entity = re.fullmatch(r"Document\((?P<id>[0-9a-f-]{36})\)(?P<resource>/resource)?", path)
        if entity is not None:
            document = next(
                (d for d in self._snapshot() if d.tk_document_number and d.tk_id == entity["id"]),
                None,
            )
            if document is None or (entity["resource"] and document.deleted):
                return _json_reply({"error": {"code": "", "message": "Not Found"}}, 404)
            if entity["resource"]:
                body = make_pdf(document.title, document.paragraphs)
                return _file_reply(body, "application/pdf", self._modified(document), headers)
            value = self.document_entity(document, ("DocumentActor", "Kamerstukdossier"))
            return _json_reply(
                {"@odata.context": self.odata_url + "$metadata#Document/$entity", **value}
            )
        if path != "Document":
            return _json_reply({"error": {"code": "", "message": f"No resource for '{path}'"}}, 404)
        params = dict(parse_qsl(query_string, keep_blank_values=True))
        for name in params:
            if name not in ("$filter", "$orderby", "$expand", "$skip", "$top"):
                raise QueryError(f"The query parameter '{name}' is not supported.")
        expand = tuple(
            name.strip() for name in params.get("$expand", "").split(",") if name.strip()
        )
        for name in expand:
            if name not in NAVIGATION:
                raise QueryError(f"Could not find a property named '{name}' on type 'Document'.")
        documents = [d for d in self._snapshot() if d.tk_document_number]
        entities = [self.document_entity(d, tuple(NAVIGATION)) for d in documents]
        if "$filter" in params:
            predicate = parse_filter(params["$filter"])
            entities = [e for e in entities if predicate(e)]
        for name, descending in reversed(_orderby(params.get("$orderby", ""))):
            entities.sort(
                key=lambda e, n=name: _sort_key(_comparable(e.get(n))), reverse=descending
            )
        skip = _whole(params.get("$skip", "0"), "$skip")
        window = entities[skip:]
        if "$top" in params:
            window = window[: _whole(params["$top"], "$top")]
        size = self.odata_page
        asked = re.search(r"odata\.maxpagesize=(\d+)", headers.get("prefer", ""))
        if asked:
            size = max(1, min(size, int(asked[1])))
        page = [self._as_reported(e) for e in window[:size]]
        answer: dict[str, Any] = {
            "@odata.context": self.odata_url + "$metadata#Document",
            "value": [
                {k: v for k, v in e.items() if k not in NAVIGATION or k in expand} for e in page
            ],
        }
        if len(window) > len(page):
            following = {**params, "$skip": str(skip + len(page))}
            if "$top" in params:
                following["$top"] = str(len(window) - len(page))
            query = urlencode(following, quote_via=quote, safe="$,()/:'")
            base = "" if self.relative_links else self.odata_url
            answer["@odata.nextLink"] = f"{base}Document?{query}"
        extra = {"Preference-Applied": f"odata.maxpagesize={size}"} if asked else {}
        return _json_reply(answer, headers=extra)

    def _as_reported(self, entity: dict[str, Any]) -> dict[str, Any]:
        """An entity as the service sends it, with what :meth:`misreport` asked for."""
        found = next(
            (d for d in self._snapshot() if d.tk_document_number == entity["DocumentNummer"]),
            None,
        )
        wrong = self.misreports.get(found.identifier) if found is not None else None
        if wrong is None:
            return entity
        changed = {**entity, **({"Datum": wrong.date} if wrong.date else {})}
        for name, field_name in (("identifier", "DocumentNummer"), ("files", "Id")):
            if name in wrong.without:
                del changed[field_name]
        return changed

    def document_entity(self, document: FakeDocument, expand: Sequence[str]) -> dict[str, Any]:
        """The Tweede Kamer's ``Document`` entity of a document, with ``expand``."""
        moment = _dutch_midnight(document.date)
        modified = self._modified(document).isoformat()
        digits, _, suffix = document.dossier.partition("-")
        entity: dict[str, Any] = {
            "Id": document.tk_id,
            "Soort": document.doc_type,
            "DocumentNummer": document.tk_document_number,
            "Titel": document.dossier_title,
            "Onderwerp": document.title,
            "Datum": moment,
            "Volgnummer": int(document.number) if document.number.isdigit() else -1,
            "Vergaderjaar": document.vergaderjaar,
            "Kamer": 2,
            "Citeertitel": None,
            "Alias": None,
            "DatumRegistratie": moment,
            "DatumOntvangst": None,
            "Aanhangselnummer": None,
            "KenmerkAfzender": None,
            "Organisatie": "Tweede Kamer",
            "ContentType": "application/pdf",
            "ContentLength": len(make_pdf(document.title, document.paragraphs)),
            "HuidigeDocumentVersie_Id": str(
                uuid.uuid5(GUID_SPACE, document.identifier + "/versie")
            ),
            "GewijzigdOp": modified,
            "ApiGewijzigdOp": modified,
            "Verwijderd": document.deleted,
        }
        if "Kamerstukdossier" in expand:
            entity["Kamerstukdossier"] = [
                {
                    "Id": str(uuid.uuid5(GUID_SPACE, "dossier/" + document.dossier)),
                    "Titel": document.dossier_title,
                    "Citeertitel": None,
                    "Alias": None,
                    "Nummer": int(digits),
                    "Toevoeging": suffix or None,
                    "HoogsteVolgnummer": self._highest(document.dossier),
                    "Afgesloten": False,
                    "Kamer": "Tweede Kamer",
                    "GewijzigdOp": modified,
                    "ApiGewijzigdOp": modified,
                    "Verwijderd": False,
                }
            ]
        if "DocumentActor" in expand:
            entity["DocumentActor"] = [
                {
                    "Id": str(uuid.uuid5(GUID_SPACE, f"{document.identifier}/actor/{position}")),
                    "ActorNaam": name,
                    "ActorFractie": None,
                    "Functie": "minister",
                    "Relatie": "Indiener" if position == 0 else "Medeindiener",
                    "SidActor": None,
                    "GewijzigdOp": modified,
                    "ApiGewijzigdOp": modified,
                    "Verwijderd": False,
                    "Document_Id": document.tk_id,
                    "Persoon_Id": None,
                    "Fractie_Id": None,
                    "Commissie_Id": None,
                }
                for position, name in enumerate(document.submitters)
            ]
        return entity

    def _highest(self, dossier: str) -> int:
        numbers = [
            int(d.number) for d in self._snapshot() if d.dossier == dossier and d.number.isdigit()
        ]
        return max(numbers, default=0)


NAVIGATION = {"DocumentActor", "Kamerstukdossier"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # the log is the fake's own
        return

    def do_GET(self) -> None:
        self._answer("GET")

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def _answer(self, method: str) -> None:
        fake: FakeServices = self.server.fake
        path = urlsplit(self.path).path
        headers = {name.lower(): value for name, value in self.headers.items()}
        faults = fake._fault(path)
        drop = None
        reply = None
        for fault in faults:
            if fault.kind == "delay":
                time.sleep(fault.seconds)
            elif fault.kind == "fail":
                extra = (
                    {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                )
                reply = Reply(
                    fault.status,
                    f"status {fault.status}".encode(),
                    {"Content-Type": "text/plain", **extra},
                )
            elif fault.kind == "drop":
                drop = fault.after_bytes
        if reply is None:
            reply = fake.respond(method, self.path, headers)
            if any(f.kind == "malformed" for f in faults) and reply.status == 200:
                reply = Reply(
                    200, MALFORMED, {"Content-Type": reply.headers.get("Content-Type", "text/html")}
                )
        body = b"" if method == "HEAD" or reply.status == 304 else reply.body
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        if drop is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        sent = body if drop is None else body[:drop]
        try:
            self.wfile.write(sent)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            sent = b""
        fake._log(Logged(method, self.path, reply.status, len(sent)))
        if drop is not None:
            self.close_connection = True
            for fault in faults:
                if fault.kind == "drop" and fault.then is not None:
                    fault.then()


# ----------------------------------------------------------------------------- replies


def _xml_reply(body: bytes) -> Reply:
    return Reply(200, body, {"Content-Type": "text/xml;charset=UTF-8"})


def _json_reply(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    media = {"Content-Type": "application/json; odata.metadata=minimal; charset=utf-8"}
    return Reply(status, body, {**media, "OData-Version": "4.0", **(headers or {})})


def _file_reply(
    body: bytes, media_type: str, modified: dt.datetime, headers: dict[str, str]
) -> Reply:
    """A file with its validators; 304 to a request whose validators still hold, 206
    to ``Range: bytes=N-`` or ``bytes=N-M`` (the whole file with 200 where its
    If-Range names another version: an ETag or a Last-Modified that no longer holds)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    last_modified = email.utils.format_datetime(modified, usegmt=True)
    validators = {"ETag": etag, "Last-Modified": last_modified, "Accept-Ranges": "bytes"}
    if "if-none-match" in headers:
        tags = {tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")}
        if etag in tags or "*" in tags:
            return Reply(304, b"", validators)
    elif "if-modified-since" in headers:
        try:
            since = email.utils.parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            since = None
        if since is not None and modified.replace(microsecond=0) <= since:
            return Reply(304, b"", validators)
    wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", headers.get("range", ""))
    validator = headers.get("if-range", "").strip()
    if wanted and validator and validator not in (etag, last_modified):
        wanted = None  # the part asked for is of another version: the whole file
    if wanted and int(wanted[1]) < len(body):
        first = int(wanted[1])
        last = min(int(wanted[2]), len(body) - 1) if wanted[2] else len(body) - 1
        return Reply(
            206,
            body[first : last + 1],
            {
                "Content-Type": media_type,
                "Content-Range": f"bytes {first}-{last}/{len(body)}",
                **validators,
            },
        )
    if wanted:
        return Reply(416, b"", {"Content-Range": f"bytes */{len(body)}"})
    return Reply(200, body, {"Content-Type": media_type, **validators})


@functools.lru_cache(maxsize=256)
def make_pdf(title: str, paragraphs: tuple[str, ...]) -> bytes:
    """A PDF of the title and the paragraphs (Helvetica: the text in Latin-1)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    for text in (title, *paragraphs):
        pdf.multi_cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(3)
    return bytes(pdf.output())


def _q(prefix: str, name: str) -> str:
    return f"{{{NSMAP[prefix]}}}{name}"


def _sub(
    parent: etree._Element, prefix: str, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, _q(prefix, name), attributes)
    if text is not None:
        element.text = text
    return element


def sru_diagnostic(code: int, message: str) -> bytes:
    """A searchRetrieveResponse that carries one diagnostic, as the service sends it."""
    root = etree.Element(
        f"{{{SRU_NS}}}searchRetrieveResponse", nsmap={None: SRU_NS, "ns3": DIAG_NS}
    )
    etree.SubElement(root, f"{{{SRU_NS}}}version").text = "2.0"
    diagnostic = etree.SubElement(
        etree.SubElement(root, f"{{{SRU_NS}}}diagnostics"), f"{{{DIAG_NS}}}diagnostic"
    )
    etree.SubElement(diagnostic, f"{{{DIAG_NS}}}uri").text = f"info:srw/diagnostic/1/{code}"
    etree.SubElement(diagnostic, f"{{{DIAG_NS}}}message").text = message
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _whole(text: str, name: str) -> int:
    if not re.fullmatch(r"\d+", text):
        raise QueryError(f"Unsupported parameter value: {name} '{text}'", 6)
    return int(text)


def _dutch_midnight(day: dt.date) -> str:
    """Midnight of ``day`` in the Netherlands as the API writes it (summer time from
    the last Sunday of March to the last Sunday of October)."""

    def last_sunday(month: int) -> dt.date:
        last = dt.date(day.year, month, 31)
        return last - dt.timedelta(days=(last.weekday() + 1) % 7)

    summer = last_sunday(3) < day <= last_sunday(10)
    return f"{day.isoformat()}T00:00:00{'+02:00' if summer else '+01:00'}"


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


# ----------------------------------------------------------------------------- CQL

CQL_TOKEN = re.compile(
    r'\s*(?:(?P<op>==|>=|<=|<>|=|<|>)|(?P<paren>[()])|"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<word>[^\s()"=<>]+))'
)
CQL_INDEXES = {
    "c.product-area": (lambda d: "officielepublicaties", ("==", "=")),
    "w.dossiernummer": (lambda d: d.dossier, ("==", "=")),
    "w.ondernummer": (lambda d: d.number, ("==", "=")),
    "w.publicatienaam": (lambda d: d.publication, ("==", "=")),
    "dt.identifier": (lambda d: d.identifier, ("==", "=")),
    "dt.date": (lambda d: d.date.isoformat(), ("==", "=", ">=", "<=", ">", "<")),
    "cql.textAndIndexes": (None, ("=",)),
}


def parse_cql(query: str) -> tuple[Callable[[FakeDocument], bool], str | None]:
    """A predicate over documents for a CQL query, and the order of its ``sortBy
    dt.date/sort.ascending|descending`` (None without one). CQL's ``and``, ``or`` and
    ``not`` bind equally, left to right; anything else is a :class:`QueryError`."""
    tokens = []
    position = 0
    while position < len(query.rstrip()):
        found = CQL_TOKEN.match(query, position)
        if found is None:
            raise QueryError(f"Query syntax error at {position}: {query[position:]!r}")
        tokens.append((found.lastgroup, found[found.lastgroup or "word"]))
        position = found.end()
    order = None
    words = [value.lower() if kind == "word" else None for kind, value in tokens]
    if "sortby" in words:
        at = words.index("sortby")
        sort = tokens[at + 1 :]
        spec = sort[0][1] if len(sort) == 1 and sort[0][0] == "word" else ""
        found = re.fullmatch(r"dt\.date/sort\.(ascending|descending)", spec)
        if found is None:
            raise QueryError(f"Unsupported sort: {spec!r}", 80)
        order = found[1]
        tokens = tokens[:at]
    parser = _CqlParser(tokens)
    predicate = parser.query()
    if parser.at < len(tokens):
        raise QueryError(f"Query syntax error: unexpected {tokens[parser.at][1]!r}")
    return predicate, order


class _CqlParser:
    def __init__(self, tokens: list[tuple[str | None, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str | None, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str | None, str]:
        token = self.peek()
        if token is None:
            raise QueryError("Query syntax error: the query ends too soon")
        self.at += 1
        return token

    def query(self) -> Callable[[FakeDocument], bool]:
        result = self.clause()
        while (
            (token := self.peek()) is not None
            and token[0] == "word"
            and token[1].lower() in ("and", "or", "not")
        ):
            self.at += 1
            operator, left, right = token[1].lower(), result, self.clause()
            if operator == "and":
                result = lambda d, a=left, b=right: a(d) and b(d)  # noqa: E731
            elif operator == "or":
                result = lambda d, a=left, b=right: a(d) or b(d)  # noqa: E731
            else:
                result = lambda d, a=left, b=right: a(d) and not b(d)  # noqa: E731
        return result

    def clause(self) -> Callable[[FakeDocument], bool]:
        kind, value = self.take()
        if kind == "paren" and value == "(":
            inner = self.query()
            if self.take() != ("paren", ")"):
                raise QueryError("Query syntax error: a '(' is not closed")
            return inner
        if kind != "word":
            raise QueryError(f"Query syntax error: unexpected {value!r}")
        if value not in CQL_INDEXES:
            raise QueryError(f"Unsupported index: {value}", 16)
        relation_kind, relation = self.take()
        field, relations = CQL_INDEXES[value]
        if relation_kind != "op" or relation not in relations:
            raise QueryError(f"Unsupported relation: {relation} for {value}", 19)
        term_kind, term = self.take()
        if term_kind not in ("word", "quoted") or (
            term_kind == "word" and term.lower() in ("and", "or", "not", "prox", "sortby")
        ):
            raise QueryError(f"Query syntax error: no term after {value}{relation}")
        if term_kind == "quoted":
            term = re.sub(r"\\(.)", r"\1", term)
        if field is None:
            wanted = term.lower().split()
            return lambda d: all(word in _words(d) for word in wanted)
        if value == "dt.date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", term):
            raise QueryError(f"Unsupported date: {term}", 36)
        compare = {
            "==": lambda a, b: a == b,
            "=": lambda a, b: a == b,
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            "<": lambda a, b: a < b,
        }[relation]
        return lambda d: compare(field(d), term)


def _words(document: FakeDocument) -> set[str]:
    text = " ".join((document.title, document.dossier_title, *document.paragraphs))
    return set(re.findall(r"\w+", text.lower()))


# ----------------------------------------------------------------------------- $filter

ODATA_TOKEN = re.compile(
    r"\s*(?:(?P<datetime>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))"
    r"|(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+)(?![\w-])|(?P<punct>[(),:])"
    r"|(?P<name>[A-Za-z_]\w*(?:/[A-Za-z_]\w*)*))"
)
DOCUMENT_PROPERTIES = {
    "Id",
    "Soort",
    "DocumentNummer",
    "Titel",
    "Onderwerp",
    "Datum",
    "Volgnummer",
    "Vergaderjaar",
    "Verwijderd",
    "ContentType",
    "GewijzigdOp",
    "DatumRegistratie",
}
DOSSIER_PROPERTIES = {"Id", "Nummer", "Toevoeging", "Titel", "Verwijderd"}
COMPARISONS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a is not None and b is not None and a > b,
    "ge": lambda a, b: a is not None and b is not None and a >= b,
    "lt": lambda a, b: a is not None and b is not None and a < b,
    "le": lambda a, b: a is not None and b is not None and a <= b,
}


def parse_filter(text: str) -> Callable[[dict[str, Any]], bool]:
    """A predicate over Document entities for an OData ``$filter``: comparisons
    (``eq ne gt ge lt le``) of a property and a literal, ``contains(Property,'text')``,
    ``Kamerstukdossier/any(d:...)``, ``and``, ``or``, ``not`` and parentheses. A
    property or a construct it does not know is a :class:`QueryError` (an OData 400)."""
    tokens = []
    position = 0
    while position < len(text.rstrip()):
        found = ODATA_TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise QueryError(f"Syntax error at position {position} in '{text}'.")
        tokens.append((found.lastgroup or "", found[found.lastgroup or "name"]))
        position = found.end()
    parser = _FilterParser(tokens)
    predicate = parser.expression({})
    if parser.at < len(tokens):
        raise QueryError(f"Syntax error: unexpected '{tokens[parser.at][1]}' in '{text}'.")
    return predicate


Scope = dict[str, set[str]]  # lambda variable -> the properties it has


class _FilterParser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise QueryError(
                f"Syntax error: expected {value or kind}, found {token and token[1]!r}."
            )
        self.at += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token == ("name", word):
            self.at += 1
            return True
        return False

    def expression(self, scope: Scope) -> Callable[[dict[str, Any]], bool]:
        result = self.conjunction(scope)
        while self.keyword("or"):
            left, right = result, self.conjunction(scope)
            result = lambda e, a=left, b=right: a(e) or b(e)  # noqa: E731
        return result

    def conjunction(self, scope: Scope) -> Callable[[dict[str, Any]], bool]:
        result = self.unary(scope)
        while self.keyword("and"):
            left, right = result, self.unary(scope)
            result = lambda e, a=left, b=right: a(e) and b(e)  # noqa: E731
        return result

    def unary(self, scope: Scope) -> Callable[[dict[str, Any]], bool]:
        if self.keyword("not"):
            inner = self.unary(scope)
            return lambda e: not inner(e)
        token = self.peek()
        if token == ("punct", "("):
            self.at += 1
            inner = self.expression(scope)
            self.take("punct", ")")
            return inner
        if token == ("name", "contains"):
            self.at += 1
            self.take("punct", "(")
            read = self.path(scope)
            self.take("punct", ",")
            needle = self.literal()
            self.take("punct", ")")
            if not isinstance(needle, str):
                raise QueryError("contains() takes a string.")
            return lambda e: isinstance(read(e), str) and needle.lower() in read(e).lower()
        if token is not None and token[0] == "name" and token[1] == "Kamerstukdossier/any":
            self.at += 1
            self.take("punct", "(")
            variable = self.take("name")[1]
            self.take("punct", ":")
            inner = self.expression({**scope, variable: DOSSIER_PROPERTIES})
            self.take("punct", ")")
            return lambda e: any(
                inner({**e, "$" + variable: dossier}) for dossier in e.get("Kamerstukdossier") or []
            )
        read = self.path(scope)
        operator = self.take("name")[1]
        if operator not in COMPARISONS:
            raise QueryError(f"Syntax error: '{operator}' is not a comparison.")
        value = self.literal()
        compare = COMPARISONS[operator]
        return lambda e: compare(_comparable(read(e)), value)

    def path(self, scope: Scope) -> Callable[[dict[str, Any]], Any]:
        name = self.take("name")[1]
        head, _, rest = name.partition("/")
        if head in scope:
            if rest not in scope[head]:
                raise QueryError(
                    f"Could not find a property named '{rest}' on type 'Kamerstukdossier'."
                )
            return lambda e: (e.get("$" + head) or {}).get(rest)
        if rest or name not in DOCUMENT_PROPERTIES:
            raise QueryError(f"Could not find a property named '{name}' on type 'Document'.")
        return lambda e: e.get(name)

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return int(value)
        if kind == "datetime":
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if kind == "name" and value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        raise QueryError(f"Syntax error: '{value}' is not a literal.")


def _comparable(value: Any) -> Any:
    """A property's value as its literal compares: a DateTimeOffset as a datetime."""
    if isinstance(value, str) and re.fullmatch(
        r"\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)", value
    ):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _orderby(text: str) -> list[tuple[str, bool]]:
    keys = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, direction = part.partition(" ")
        if name not in DOCUMENT_PROPERTIES or direction.strip() not in ("", "asc", "desc"):
            raise QueryError(f"Could not find a property named '{name}' on type 'Document'.")
        keys.append((name, direction.strip() == "desc"))
    return keys
