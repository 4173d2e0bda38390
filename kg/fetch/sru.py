"""The officielebekendmakingen repository through its SRU 2.0 service
(repository.overheid.nl/sru): the Kamerstukken of a dossier, of a search or of a
list of official identifiers, each with the metadata of its record.

The service answers SRU 2.0 (namespace ``http://docs.oasis-open.org/ns/search-ws/
sruResponse``); a record is a ``gzd:gzd`` with the publication's metadata under
``gzd:originalData/overheidwetgeving:meta`` (``owmskern``, ``owmsmantel``, ``tpmeta``)
and the addresses of its files under ``gzd:enrichedData`` (``gzd:preferredUrl``, the
page a reader opens, and one ``gzd:itemUrl`` per manifestation: xml, html, pdf, ...).
Queries are CQL: ``c.product-area==officielepublicaties`` and the indexes
``w.dossiernummer``, ``w.publicatienaam``, ``dt.identifier``, ``dt.date`` and
``cql.textAndIndexes``; pages follow ``nextRecordPosition``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import quote, urlencode

import requests
from lxml import etree

from kg.fetch.base import (
    KAMERSTUK,
    ArgumentChecks,
    Failure,
    FetchError,
    Item,
    Listed,
    Period,
    checked_dossier,
    search_words,
    within,
)
from kg.fetch.http import get
from kg.model import SourceRecord, dossier_number, iso_day

SRU_URL = "https://repository.overheid.nl/sru"
SRU = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
# Diagnostics: SRU 2.0's namespace, and SRU 1.2's, which some servers still send.
DIAGNOSTIC_NAMESPACES = (
    "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "http://www.loc.gov/zing/srw/diagnostic/",
)
NS = {
    "sru": SRU,
    "gzd": "http://standaarden.overheid.nl/sru",
    "dcterms": "http://purl.org/dc/terms/",
    "w": "http://standaarden.overheid.nl/wetgeving/",
}
MAX_PAGE = 1000  # the largest maximumRecords the service documents
# The publication a dossier or a search is limited to (w.publicatienaam): the
# Kamerstukken, not the Handelingen or the Staatscourant.
PUBLICATION = "Kamerstuk"
# CQL's own words, which a bare search term must not be (CQL reads them case-blind).
CQL_WORDS = frozenset({"and", "or", "not", "prox", "sortby"})
# The manifestations kg reads, in the order one is taken when the asked one is missing.
SUFFIXES = {"xml": ".xml", "html": ".html", "pdf": ".pdf"}
# Official identifiers the repository knows: a Kamerstuk (with its dossier's suffix and
# a reprint's "-n1"), an attachment, the Handelingen and the Aanhangsel (answers to
# Kamervragen) of either chamber, the Staatscourant and the Staatsblad.
IDENTIFIER_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kst-27925-506", KAMERSTUK),
    ("blg-123456", re.compile(r"\Ablg-\d+\Z")),
    ("h-tk-20182019-12-3", re.compile(r"\Ah-(?:tk|ek)-\d{8}-\d+(?:-\d+)?\Z")),
    ("ah-tk-20182019-1234", re.compile(r"\Aah-(?:tk|ek)-\d{8}-\d+\Z")),
    ("stcrt-2018-12345", re.compile(r"\A(?:stcrt|stb)-\d{4}-\d+\Z")),
)
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def accepted(identifier: str) -> bool:
    """Whether ``identifier`` has the form of an identifier the repository knows."""
    return any(pattern.match(identifier) for _, pattern in IDENTIFIER_FORMS)


def term(value: str) -> str:
    """A CQL search term: bare where CQL allows, else quoted with its quotes escaped
    (CQL's own words, "and", "or", "not", "prox", are quoted too).

    >>> term("27925"), term("Kamervragen (Aanhangsel)"), term('a"b'), term("OR")
    ('27925', '"Kamervragen (Aanhangsel)"', '"a\\\\"b"', '"OR"')
    """
    if re.fullmatch(r"[\w.-]+", value) and value.lower() not in CQL_WORDS:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class OfficieleBekendmakingen(ArgumentChecks):
    """The Kamerstukken of the officielebekendmakingen repository, read through its SRU
    service page by page; each an :class:`~kg.fetch.base.Item` whose file is the
    ``manifestation`` asked for (xml, html or pdf; another where the record has not it).
    A dossier or a search is limited to the Kamerstukken (:data:`PUBLICATION`);
    identifiers may name any publication of the repository.
    """

    name = "officielebekendmakingen"

    def __init__(
        self,
        session: requests.Session,
        base_url: str = SRU_URL,
        manifestation: str = "xml",
        page_size: int = 100,
    ) -> None:
        if manifestation not in SUFFIXES:
            raise FetchError(f"manifestation '{manifestation}': not one of {', '.join(SUFFIXES)}")
        if not 1 <= page_size <= MAX_PAGE:
            raise FetchError(f"page size {page_size}: the service takes 1 to {MAX_PAGE}")
        self.session = session
        self.base_url = base_url
        self.manifestation = manifestation
        self.page_size = page_size

    def check_identifiers(self, identifiers: Sequence[str]) -> None:
        """:class:`FetchError` naming the first identifier that has none of the forms
        the repository knows (:data:`IDENTIFIER_FORMS`), with those forms."""
        for identifier in identifiers:
            if not accepted(identifier.strip()):
                forms = ", ".join(example for example, _ in IDENTIFIER_FORMS)
                raise FetchError(
                    f"'{identifier.strip()}': not an identifier of officielebekendmakingen; "
                    f"give one of the forms {forms}"
                )

    def dossier(self, number: str, period: Period) -> Iterator[Listed]:
        """The Kamerstukken of dossier ``number`` ("27925", "36200-V") in ``period``,
        oldest first."""
        dossier = checked_dossier(number)
        clauses = [self._publication(), f"w.dossiernummer=={term(dossier)}"]
        yield from self._items(self._query(clauses, period), period, dossier)

    def search(self, text: str, period: Period) -> Iterator[Listed]:
        """The Kamerstukken whose text or metadata has every word of ``text``, oldest
        first."""
        words = search_words(text)
        clauses = [self._publication(), *(f"cql.textAndIndexes={term(w)}" for w in words)]
        yield from self._items(self._query(clauses, period), period)

    def identifiers(self, identifiers: Sequence[str], period: Period) -> Iterator[Listed]:
        """The publications named by official identifiers ("kst-27925-506") and dated
        in ``period``, in the order given; then a :class:`~kg.fetch.base.Failure` for
        each identifier the repository has no record of."""
        self.check_identifiers(identifiers)
        wanted = list(dict.fromkeys(identifier.strip() for identifier in identifiers))
        missing = []
        for identifier in wanted:
            query = f"c.product-area==officielepublicaties and dt.identifier=={term(identifier)}"
            found = False
            for item in self._items(query, Period()):
                found = True
                if isinstance(item, Failure) or within(item.record.date, period):
                    yield item
            if not found:
                missing.append(identifier)
        for identifier in missing:
            yield Failure(
                identifier,
                f"{self.base_url}: no record of {identifier}; check the identifier at "
                "zoek.officielebekendmakingen.nl",
            )

    def _publication(self) -> str:
        return f"w.publicatienaam=={term(PUBLICATION)}"

    def _query(self, clauses: list[str], period: Period) -> str:
        # The service filters by date; the items are checked again by within().
        if period.since is not None:
            clauses.append(f"dt.date>={period.since.isoformat()}")
        if period.until is not None:
            clauses.append(f"dt.date<={period.until.isoformat()}")
        return (
            " and ".join(["c.product-area==officielepublicaties", *clauses])
            + " sortBy dt.date/sort.ascending"
        )

    def _items(self, query: str, period: Period, dossier: str | None = None) -> Iterator[Listed]:
        start = 1
        while True:
            params = {
                "operation": "searchRetrieve",
                "version": "2.0",
                "query": query,
                "startRecord": str(start),
                "maximumRecords": str(self.page_size),
                "recordSchema": "gzd",
                "httpAccept": "application/xml",
            }
            address = f"{self.base_url}?{urlencode(params, quote_via=quote)}"
            root = parse_response(get(self.session, address).content, address)
            for position, record in enumerate(root.iterfind("sru:records/sru:record", NS), start):
                try:
                    item = record_item(record, address, self.manifestation, dossier)
                except FetchError as err:  # this record alone: the others are still read
                    yield Failure(_record_name(record, position), str(err))
                    continue
                if within(item.record.date, period):
                    yield item
            following = root.findtext("sru:nextRecordPosition", namespaces=NS)
            if following is None or not following.strip():
                return
            if not following.strip().isdigit() or int(following) <= start:
                raise FetchError(
                    f"{address}: nextRecordPosition '{following}' does not move on from "
                    f"{start}; report this to the service"
                )
            start = int(following)


def parse_response(content: bytes, address: str) -> etree._Element:
    """The root of a searchRetrieveResponse, or a :class:`FetchError` that names the
    address for a body that is not one or that carries a diagnostic."""
    try:
        root = etree.fromstring(content, XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise FetchError(f"{address}: the answer is not XML ({err}); try again later") from err
    for namespace in DIAGNOSTIC_NAMESPACES:
        diagnostic = root.find(f".//{{{namespace}}}diagnostic")
        if diagnostic is not None:
            parts = [
                (diagnostic.findtext(f"{{{namespace}}}{name}") or "").strip()
                for name in ("uri", "message", "details")
            ]
            said = "; ".join(part for part in parts if part)
            raise FetchError(
                f"{address}: the service answered with a diagnostic ({said}); the query "
                "was not accepted"
            )
    if root.tag != f"{{{SRU}}}searchRetrieveResponse":
        raise FetchError(
            f"{address}: the answer is {etree.QName(root).localname!r}, not an SRU 2.0 "
            "searchRetrieveResponse; check the address of the service"
        )
    if root.find("sru:numberOfRecords", NS) is None:
        raise FetchError(f"{address}: the answer has no numberOfRecords; try again later")
    return root


def record_item(
    record: etree._Element, address: str, manifestation: str, dossier: str | None = None
) -> Item:
    """The :class:`Item` of one ``sru:record``: its file in ``manifestation`` (or the
    first of xml, html, pdf it has) and a :class:`SourceRecord` of its metadata."""
    meta = record.find("sru:recordData/gzd:gzd/gzd:originalData/w:meta", NS)
    enriched = record.find("sru:recordData/gzd:gzd/gzd:enrichedData", NS)
    identifier = None if meta is None else _text(meta, "w:owmskern/dcterms:identifier")
    if meta is None or enriched is None or identifier is None:
        raise FetchError(
            f"{address}: a record without gzd:originalData, gzd:enrichedData or "
            "dcterms:identifier; report this to the service"
        )
    files = {
        element.get("manifestation"): (element.text or "").strip()
        for element in enriched.iterfind("gzd:itemUrl", NS)
    }
    kind = next(
        (name for name in (manifestation, *SUFFIXES) if files.get(name)),
        None,
    )
    if kind is None:
        raise FetchError(
            f"{address}: the record of {identifier} has no xml, html or pdf file; "
            "report this to the service"
        )
    dossiers = [
        found for found in map(dossier_number, _texts(meta, "w:tpmeta/w:dossiernummer")) if found
    ]
    dates = (
        _text(meta, f"w:owmsmantel/dcterms:{name}") for name in ("date", "issued", "available")
    )
    date = next((day for value in dates if (day := iso_day(value))), None)
    source = SourceRecord(
        source=OfficieleBekendmakingen.name,
        identifier=identifier,
        url=_text(enriched, "gzd:preferredUrl"),
        download_url=files[kind],
        doc_type=_text(meta, "w:tpmeta/w:subrubriek") or _text(meta, "w:owmskern/dcterms:type"),
        dossier=dossier if dossier in dossiers else next(iter(dossiers), None),
        number=_text(meta, "w:tpmeta/w:ondernummer"),
        date=date,
        title=_text(meta, "w:tpmeta/w:documenttitel") or _text(meta, "w:owmskern/dcterms:title"),
        submitters=tuple(_texts(meta, "w:tpmeta/w:indiener")),
    )
    return Item(identifier, files[kind], SUFFIXES[kind], source)


def _record_name(record: etree._Element, position: int) -> str:
    """What names a record in a message: its identifier, else its position in the
    listing ("record 7")."""
    identifier = record.findtext(
        "sru:recordData/gzd:gzd/gzd:originalData/w:meta/w:owmskern/dcterms:identifier",
        namespaces=NS,
    )
    if identifier and identifier.strip():
        return identifier.strip()
    stated = (record.findtext("sru:recordPosition", namespaces=NS) or "").strip()
    return f"record {stated if stated.isdigit() else position}"


def _text(element: etree._Element, path: str) -> str | None:
    found = element.findtext(path, namespaces=NS)
    if found is None:
        return None
    return found.strip() or None


def _texts(element: etree._Element, path: str) -> list[str]:
    """The texts of every element at ``path``, stripped, the empty ones left out."""
    return [text for found in element.iterfind(path, NS) if (text := (found.text or "").strip())]
