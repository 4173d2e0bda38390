"""Input files -> :class:`~kg.model.SourceDoc`. The only reader of input files.

Plain text is decoded as UTF-8 (UTF-16 or UTF-32 with a byte order mark),
falling back to Windows-1252 or Latin-1 with a warning. HTML and XML (as published
on officielebekendmakingen.nl and tweedekamer.nl) are turned into text with one
paragraph per block element and headings kept as their own paragraphs; a web
page's scripts, styles, navigation and its own header, footer and sidebar are left
out. Markup nested deeper than the parser reads is rejected, not read in part. The
metadata block such a file carries (``<meta name="DC.identifier" content="..."/>``)
becomes the document's :class:`~kg.model.SourceRecord` (:func:`embedded_record`)
and adds no text. PDF files yield their text layer, one form feed between pages; a
PDF locked only against changes is read, one that needs a password or has no text
layer (a scan) is rejected with what to do.

Word (.docx) and OpenDocument (.odt) files are read from the XML inside their zip
archive: one paragraph per paragraph, heading and table cell, in document order,
a line break inside a paragraph kept as a line break. Footnotes and endnotes stand
as at the foot of a page: after the paragraph that refers to them, a line each ("1
text of the note"), their number glued to the word that refers to them, a form feed
after them, as :mod:`kg.normalize` finds footnotes in the text of a PDF. Headers,
footers, comments, deleted and hidden text are left out. A file that is no
zip, lacks its main part, is encrypted, holds broken XML or would unpack to more
than :data:`MAX_PART_BYTES` is rejected with what to do.

A file that cannot be read raises :class:`~kg.errors.InputError` naming the file
and the reason; :func:`kg.pipeline.extract_document` turns those into rejections so
that one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from kg.errors import InputError
from kg.model import SourceDoc, SourceRecord, dossier_number, iso_day

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".docx": DOCX,
    ".odt": ODT,
}
# Documents of types kg does not read (yet): in a folder they are named as skipped, not
# passed over in silence as its other files are, since a reader expects them read.
UNREAD = {
    ".docm": "a Word document", ".doc": "a Word 97-2003 document",
    ".rtf": "a Rich Text document",
    ".wpd": "a WordPerfect document", ".pages": "a Pages document",
    ".pptx": "a presentation", ".ppt": "a presentation", ".odp": "a presentation",
    ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".ods": "a spreadsheet",
    ".epub": "an e-book", ".eml": "an e-mail", ".msg": "an e-mail",
}  # fmt: skip
# What to do with an unread type that a word processor saves as a type kg reads (the
# others are told the types kg reads).
UNREAD_ADVICE = {
    ".doc": "save it as .docx (Save As in Word or LibreOffice)",
    ".docm": "save it as .docx (Save As in Word or LibreOffice)",
}

# Elements whose text makes a paragraph of its own. The names cover HTML and the
# XML of officielebekendmakingen.nl (al = alinea, tussenkop, kop, titel, noot...).
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "kop", "titel", "tussenkop", "subtitel"}
BLOCK_TAGS = HEADING_TAGS | {
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "caption", "blockquote", "pre",
    "address", "section", "article", "figcaption", "al", "alinea", "noot", "entry",
    "para", "item", "label", "onderwerp", "ondertekening", "functie", "naam",
    "dagtekening", "plaats", "aanhef", "slotformulering",
    "header", "footer", "aside", "main", "figure", "details", "summary", "hr", "ul", "ol",
    "dl", "table",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "button", "form", "svg"}
# The metadata block of officielebekendmakingen XML (<metadata><meta .../></metadata>):
# read by embedded_record, never text.
SKIP_TAGS |= {"metadata", "meta"}
# A web page's own header, footer and sidebar: left out where they belong to the page,
# kept where they belong to an article or section in it (its title, byline and date).
PAGE_TAGS = {"header", "footer", "aside"}
CONTENT_TAGS = {"article", "main", "section"}
# ARIA landmarks of the page around the text ("<div role='navigation'>").
SKIP_ROLES = {"navigation", "banner", "contentinfo", "search"}
# An XHTML file's XML declaration: lxml refuses a str that still carries one.
XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input file that was not processed, and why."""

    path: str
    reason: str
    skipped: bool = False  # a document of a type kg does not read (UNREAD), not a bad file


def find_inputs(paths: Iterable[Path]) -> tuple[list[tuple[str, Path]], list[Rejection]]:
    """The document files under ``paths``, each with the name it is known by.

    A folder is searched recursively for the suffixes in :data:`SUFFIXES`; a
    document of a type kg does not read (:data:`UNREAD`) is named as skipped, its
    other files and hidden files are left alone. A file named directly must have
    a supported suffix. The name is the path relative to the folder given (or
    the file name), with forward slashes; the list is sorted by name.
    """
    supported = ", ".join(sorted(SUFFIXES))

    def unread(path: Path) -> Rejection:
        kind = UNREAD.get(path.suffix.lower())
        what = f"{kind} ({path.suffix})" if kind else f"a {path.suffix or 'suffix-less'} file"
        advice = UNREAD_ADVICE.get(path.suffix.lower(), f"use {supported}")
        return Rejection(str(path), f"kg does not read {what}: {advice}", skipped=True)

    found: dict[str, Path] = {}
    rejected: list[Rejection] = []

    def add(name: str, path: Path) -> None:
        # The name is the document's identity (its graph IRI): two different
        # files under one name would silently replace each other.
        other = found.setdefault(name, path)
        if other != path and other.resolve() != path.resolve():
            rejected.append(
                Rejection(str(path), f"same document name '{name}' as {other}; rename one of them")
            )

    for root in paths:
        if root.is_dir():
            documents = 0
            for path in sorted(root.rglob("*")):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                    continue
                if path.suffix.lower() in SUFFIXES:
                    documents += 1
                    add(rel.as_posix(), path)
                elif path.suffix.lower() in UNREAD:
                    rejected.append(unread(path))
            if not documents:
                rejected.append(Rejection(str(root), f"no documents in this folder ({supported})"))
        elif root.is_file():
            if root.suffix.lower() in SUFFIXES:
                add(root.name, root)
            else:
                rejected.append(unread(root))
        else:
            rejected.append(Rejection(str(root), "no such file or folder"))
    return sorted(found.items(), key=lambda item: item[0]), rejected


def read_document(path: Path, name: str | None = None, data: bytes | None = None) -> SourceDoc:
    """Read one file into a :class:`SourceDoc`; raise :class:`InputError` if it cannot be.
    ``data``, where given, are the file's bytes, read elsewhere."""
    try:
        if data is None:
            data = path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot be read ({err.strerror or err})") from err
    media_type = SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise InputError(str(path), f"unsupported file type '{path.suffix}'")
    return parse_bytes(data, media_type, name or path.name, path)


def parse_bytes(data: bytes, media_type: str, name: str, path: Path | None = None) -> SourceDoc:
    """Turn the bytes of a file into a :class:`SourceDoc`.

    >>> doc = parse_bytes("Den Haag, 14 september 2018".encode(), "text/plain", "a.txt")
    >>> doc.text
    'Den Haag, 14 september 2018'
    """
    where = str(path) if path is not None else name
    if not data.strip():
        raise InputError(where, "empty file")
    warnings: list[str] = []
    record: SourceRecord | None = None
    if media_type == "text/plain":
        text = decode_text(data, where, warnings)
    elif media_type == "text/html":
        root = _html_root(decode_markup(data, where, warnings), where)
        text, record = _page_text(root), embedded_record(root)
    elif media_type == "application/xml":
        root = _xml_root(data, where)
        text, record = _xml_text(root), embedded_record(root)
    elif media_type == "application/pdf":
        text = pdf_to_text(data, where)
    elif media_type == DOCX:
        text = docx_to_text(data, where)
    elif media_type == ODT:
        text = odt_to_text(data, where)
    else:  # pragma: no cover - SUFFIXES and this switch are kept in step
        raise InputError(where, f"unsupported media type {media_type}")
    if not text.strip():
        raise InputError(where, "no text in the file")
    return SourceDoc(
        name=name,
        path=path if path is not None else Path(name),
        text=text,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
        record=record,
    )


def looks_binary(data: bytes) -> bool:
    """True when bytes are not text: a NUL byte, or many control characters.

    >>> looks_binary(b"Den Haag")
    False
    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    True
    """
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\v")
    return controls > len(sample) * 0.05


def _bom_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding a byte order mark announces, or None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def decode_text(data: bytes, where: str, warnings: list[str]) -> str:
    """Decode a text file: UTF-8 (or UTF-16 or UTF-32 with a byte order mark), else
    Windows-1252, else Latin-1 (with a warning)."""
    encoding = _bom_encoding(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            label = encoding.upper()
            raise InputError(where, f"undecodable {label} text ({err.reason})") from err
        # bytes that only begin like a byte order mark (an image, an archive)
        if looks_binary(text[:8192].encode("utf-8")):
            raise InputError(where, "binary data, not text (is it the right file?)")
        return text
    if looks_binary(data):
        raise InputError(where, "binary data, not text (is it the right file?)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warnings.append(
            f"{where}: not valid UTF-8 (byte {first_bad}); decoded as {label}, "
            "check special characters"
        )
        return text
    raise InputError(where, "undecodable text")  # pragma: no cover - latin-1 decodes anything


def decode_markup(data: bytes, where: str, warnings: list[str]) -> str:
    """Decode HTML bytes, honouring a UTF-8 default and warning on a fallback."""
    if _bom_encoding(data) is None and looks_binary(data):
        raise InputError(where, "binary data, not HTML")
    return decode_text(data, where, warnings)


def _block_texts(root: etree._Element, page: bool = False) -> Iterator[str]:
    """Yield the text of each block element below ``root``, in document order.

    ``page``: ``root`` is (the body of) a web page, whose header, footer, sidebar and
    navigation are left out. The tree is walked with a stack of its own, not by
    recursion: markup may nest deeper than Python's recursion limit.
    """
    text_parts: list[str] = []

    def flush() -> Iterator[str]:
        # Parts are joined as written: inline markup inside a word ("anti-<b>ISIS</b>")
        # must not gain a space; whitespace runs become one space.
        joined = " ".join("".join(text_parts).split())
        text_parts.clear()
        if joined:
            yield joined

    content = 0  # how many article/main/section elements the walk is inside
    # (node, None) enters a node; (node, is_block) leaves it
    stack: list[tuple[etree._Element, bool | None]] = [(root, None)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag.rsplit("}", 1)[-1].lower() if isinstance(node.tag, str) else ""
        if leaving is not None:
            if leaving:
                yield from flush()
            if page and tag in CONTENT_TAGS:
                content -= 1
            if node.tail:
                text_parts.append(node.tail)
            continue
        if (
            not isinstance(node.tag, str)
            or tag in SKIP_TAGS
            or (page and _page_chrome(node, tag, content))
        ):
            if node.tail:
                text_parts.append(node.tail)
            continue
        is_block = tag in BLOCK_TAGS
        if is_block:
            yield from flush()
        if tag == "br":
            text_parts.append("\n")
        if node.text:
            text_parts.append(node.text)
        if page and tag in CONTENT_TAGS:
            content += 1
        stack.append((node, is_block))
        stack.extend((child, None) for child in reversed(node))
    yield from flush()


def _page_chrome(node: etree._Element, tag: str, content: int) -> bool:
    """Whether an element of a web page is the page's furniture, not its text: a
    landmark role around the text, or a header, footer or sidebar outside any
    article, main or section element."""
    role = node.get("role")
    if role is not None and role.strip().lower() in SKIP_ROLES:
        return True
    return tag in PAGE_TAGS and not content


def html_to_text(markup: str, where: str) -> str:
    """HTML to text: one paragraph per block element, separated by blank lines.

    >>> html_to_text("<h1>Essentie</h1><p>Nederland <b>levert</b> 50 militairen.</p>", "x")
    'Essentie\\n\\nNederland levert 50 militairen.\\n'
    """
    return _page_text(_html_root(markup, where))


def _html_root(markup: str, where: str) -> etree._Element:
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(XML_DECLARATION.sub("", markup, count=1), parser)
    except (etree.ParserError, ValueError) as err:
        raise InputError(where, f"not readable as HTML ({err})") from err
    _check_limits(parser.error_log, where)
    return root


def _page_text(root: etree._Element) -> str:
    """The text of a web page (HTML, or XHTML read as XML): its body's blocks."""
    body = root.find("{*}body")  # {*}: any namespace, or none
    return _join_blocks(_block_texts(body if body is not None else root, page=True))


def xml_to_text(data: bytes, where: str) -> str:
    """XML (e.g. officielebekendmakingen.nl) to text, one paragraph per block element.

    >>> xml_to_text(b"<stuk><metadata><meta name='DC.type' content='Kamerstuk'/></metadata>"
    ...             b"<al>Nederland levert 50 militairen.</al></stuk>", "x")
    'Nederland levert 50 militairen.\\n'
    """
    return _xml_text(_xml_root(data, where))


def _xml_root(data: bytes, where: str) -> etree._Element:
    if _bom_encoding(data) is None and looks_binary(data):
        raise InputError(where, "binary data, not XML")
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as err:
        _check_limits(err.error_log, where)
        raise InputError(where, f"not well-formed XML ({err})") from err


def _xml_parser() -> etree.XMLParser:
    # huge_tree lifts libxml2's limits (a depth of 256, text nodes of 10 MB); entities
    # are still never expanded nor fetched
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _xml_text(root: etree._Element) -> str:
    if isinstance(root.tag, str) and root.tag.rsplit("}", 1)[-1].lower() == "html":
        # XHTML: the parsed tree already honours the declared encoding; read its body.
        return _page_text(root)
    return _join_blocks(_block_texts(root))


def _check_limits(log: etree._ListErrorLog, where: str) -> None:
    """Reject markup the parser stopped reading at one of its limits: libxml2 then
    keeps what it read so far, and part of a document must not pass for all of it."""
    for error in log:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            detail = error.message.split(",")[0].strip()  # not libxml2's advice to the caller
            raise InputError(
                where, f"markup too deeply nested or too large to read whole ({detail})"
            )


def _join_blocks(blocks: Iterable[str]) -> str:
    text = "\n\n".join(blocks)
    return text + "\n" if text else ""


def pdf_to_text(data: bytes, where: str) -> str:
    """The text layer of a PDF, pages separated by a form feed."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if not data.startswith(b"%PDF"):
        raise InputError(where, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(where, "broken PDF: the file is truncated (no end-of-file marker)")
    # pypdf logs what it cannot handle at error level; the rejection says it instead
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # A PDF locked only against changes (an owner password) opens with the empty
        # user password, as in any PDF viewer; one that asks for a password does not.
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
    except DependencyError as err:  # AES without the cryptography package
        raise InputError(where, f"the PDF is encrypted ({err}); decrypt it first") from err
    except Exception as err:  # pypdf fails on damaged files with many types, even AttributeError
        raise InputError(where, f"broken PDF ({err or type(err).__name__})") from err
    if locked:
        raise InputError(where, "the PDF is encrypted with a password; decrypt it first")
    if not any(page.strip() for page in pages):
        raise InputError(where, "the PDF has no text layer (a scan?); run OCR on it first")
    return "\n\f".join(page.rstrip("\n") for page in pages) + "\n"


# --- the metadata block -----------------------------------------------------------

# The metadata a file carries as <meta name="..." content="..."/>, by its name in lower
# case, and the SourceRecord field it gives: the names of officielebekendmakingen.nl
# (its XML, <metadata> at the top, and the <head> of its HTML) and of the OWMS/Dublin
# Core metadata of government web pages (rijksoverheid.nl). Where several names give
# one field, the first of them in this table that a file states is used.
EMBEDDED_META: dict[str, str] = {
    "dc.identifier": "identifier",  # officielebekendmakingen: "kst-27925-946"
    "dcterms.identifier": "identifier",  # rijksoverheid.nl: the page's address
    "dc.type": "doc_type",  # officielebekendmakingen: "Kamerstuk", and a finer kind
    "dcterms.type": "doc_type",  # rijksoverheid.nl: "webpagina"
    "overheidop.dossiernummer": "dossier",  # "34851", "36200 V"; several: ";" between
    "overheidop.ondernummer": "number",
    # the date it was signed: the date the text's own date line gives, which kg reads
    # as the document's date, before the date of publication
    "overheidop.datumondertekening": "date",
    "dcterms.issued": "date",  # published ("2017-12-12", "2013-05-14T11:36")
    "overheidop.documenttitel": "title",  # the paper's own title
    "dc.title": "title",  # officielebekendmakingen: "dossier title; paper title"
    "dcterms.title": "title",
    "overheidop.indiener": "submitters",  # one element per submitter
}
RANK = {name: rank for rank, name in enumerate(EMBEDDED_META)}
# Kinds a source gives every document it holds, passed over for a finer one it also
# gives (officielebekendmakingen's DC.type is "Kamerstuk" besides the kind of paper).
GENERIC_TYPES = {"officiële publicatie", "kamerstuk", "webpagina"}
META_TAGS = {"meta", "metadata"}  # metadata.xml writes <metadata name=... content=...>
WEB_ADDRESS = re.compile(r"\Ahttps?://\S+\Z", re.I)


def embedded_record(root: etree._Element) -> SourceRecord | None:
    """What the metadata block of an XML or HTML file says of the document, or None
    when it names nothing :data:`EMBEDDED_META` knows.

    Dates become ISO days (a value that is no full date gives none), the dossier
    number its digits and suffix without spaces (the first of several), the
    submitters are kept in order without repeats. The address is the page's own,
    where the file states one (``<link rel="canonical">``, an identifier that is a
    web address); none is ever made up.

    >>> root = etree.fromstring(
    ...     '<officiele-publicatie><metadata>'
    ...     '<meta name="DC.identifier" content="kst-34851-4"/>'
    ...     '<meta name="OVERHEIDop.dossiernummer" content="34 851"/>'
    ...     '<meta name="DCTERMS.issued" content="2017-12-12"/>'
    ...     '</metadata></officiele-publicatie>')
    >>> record = embedded_record(root)
    >>> record.identifier, record.dossier, record.date, record.url
    ('kst-34851-4', '34851', '2017-12-12', None)
    >>> embedded_record(etree.fromstring("<stuk><al>Tekst.</al></stuk>")) is None
    True
    """
    stated: dict[str, list[tuple[int, str]]] = {}
    canonical: str | None = None
    # only the elements that can hold metadata (lxml finds them, in any namespace)
    for node in root.iter("{*}link", *(f"{{*}}{tag}" for tag in META_TAGS)):
        tag = node.tag.rsplit("}", 1)[-1].lower()
        if tag == "link" and canonical is None:
            rel = (node.get("rel") or "").lower().split()
            href = (node.get("href") or "").strip()
            if "canonical" in rel and WEB_ADDRESS.match(href):
                canonical = href
            continue
        if tag not in META_TAGS:
            continue
        name = (node.get("name") or "").strip().lower()
        value = " ".join((node.get("content") or "").split())
        field = EMBEDDED_META.get(name)
        if field is not None and value:
            stated.setdefault(field, []).append((RANK[name], value))
    if not stated:
        return None

    def first(field: str, read: Callable[[str], str | None] = lambda value: value) -> str | None:
        # by the name's place in the table, then in the file; the first value that reads
        for _, value in sorted(stated.get(field, []), key=lambda item: item[0]):
            result = read(value)
            if result is not None:
                return result
        return None

    def finer(kind: str) -> str | None:
        return None if kind.lower() in GENERIC_TYPES else kind

    identifier = first("identifier")
    addresses = [value for _, value in stated.get("identifier", []) if WEB_ADDRESS.match(value)]
    submitters = dict.fromkeys(value for _, value in stated.get("submitters", []))
    return SourceRecord(
        source="embedded",
        identifier=identifier,
        url=canonical or next(iter(addresses), None),
        doc_type=first("doc_type", finer) or first("doc_type"),
        dossier=first("dossier", dossier_number),
        number=first("number"),
        date=first("date", iso_day),
        title=first("title"),
        submitters=tuple(submitters),
    )


# --- Word and OpenDocument --------------------------------------------------------

# The most one part of an office document (its XML) may unpack to: more is taken for a
# zip bomb and not read. The text of a long Kamerstuk is a few megabytes of XML.
MAX_PART_BYTES = 128 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file (.doc, encrypted Office)
WORD = "Word document (.docx)"
OPENDOCUMENT = "OpenDocument text (.odt)"
W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
)
MATH_NAMESPACES = {
    W_NAMESPACES[0]: "http://schemas.openxmlformats.org/officeDocument/2006/math",
    W_NAMESPACES[1]: "http://purl.oclc.org/ooxml/officeDocument/math",
}
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"


@dataclass(frozen=True, slots=True)
class OfficeMarkup:
    """How an office format marks up text, by qualified names ("{namespace}local")."""

    blocks: frozenset[str]  # each a paragraph of its own (paragraphs, headings, cells)
    skip: frozenset[str]  # left out with all they hold
    chars: Mapping[str, str]  # elements that stand for a character: a line break, a tab
    # elements whose own text is the document's; None: all character data is (ODF)
    text: frozenset[str] | None
    notes: frozenset[str]  # what refers to (Word) or holds (ODF) a footnote or endnote
    hidden: str = ""  # an XPath (prefix "w") of more elements left out: hidden text


WORD_CHARS = {"br": "\n", "cr": "\n", "tab": " ", "ptab": " ", "noBreakHyphen": "-"}
WORD_SKIP = {
    # deleted and moved-away text, field codes, properties, the note's own mark
    "del", "moveFrom", "delText", "instrText", "delInstrText", "pPr", "rPr", "sectPr",
    "sdtPr", "sdtEndPr", "tblPr", "tblGrid", "trPr", "tcPr", "footnoteRef", "endnoteRef",
    "commentReference", "annotationRef", "fldData",
}  # fmt: skip
# A run formatted as hidden text (unless switched off); a content control that still
# shows its placeholder ("Klik hier om tekst in te voeren").
WORD_HIDDEN = (
    ".//w:r[w:rPr/w:vanish[not(@w:val = '0' or @w:val = 'false' or @w:val = 'off')]]"
    " | .//w:sdt[w:sdtPr/w:showingPlcHdr]"
)


@cache
def _word_markup(ns: str) -> OfficeMarkup:
    w = f"{{{ns}}}"
    return OfficeMarkup(
        blocks=frozenset({f"{w}p", f"{w}tc"}),
        skip=frozenset({w + name for name in WORD_SKIP} | {f"{MC}Fallback"}),
        chars={w + name: char for name, char in WORD_CHARS.items()},
        text=frozenset({f"{w}t", f"{{{MATH_NAMESPACES[ns]}}}t"}),
        notes=frozenset({f"{w}footnoteReference", f"{w}endnoteReference"}),
        hidden=WORD_HIDDEN,
    )


ODF_MARKUP = OfficeMarkup(
    blocks=frozenset({f"{TEXT}p", f"{TEXT}h", f"{TABLE}table-cell"}),
    skip=frozenset({
        f"{TEXT}tracked-changes", f"{OFFICE}annotation", f"{TEXT}sequence-decls",
        f"{TEXT}variable-decls", f"{TEXT}user-field-decls", f"{TEXT}dde-connection-decls",
        f"{TEXT}hidden-text", f"{OFFICE}forms", f"{SVG}title", f"{SVG}desc",
    }),
    chars={f"{TEXT}line-break": "\n", f"{TEXT}tab": " ", f"{TEXT}s": " "},
    text=None,
    notes=frozenset({f"{TEXT}note"}),
)  # fmt: skip
# Character data that is white space, not a line: an explicit break is the only "\n".
SPACES = str.maketrans("\n\r\t\f\v", "     ")


def docx_to_text(data: bytes, where: str) -> str:
    """The text of a Word document (.docx), read from its XML: one paragraph per Word
    paragraph and table cell, the footnotes and endnotes as :func:`_office_text` puts
    them."""
    with _office_zip(data, where, WORD) as archive:
        main = _word_main_part(archive)
        document = _read_part(archive, main, where, WORD)
        ns = document.tag[1:].split("}")[0] if document.tag.startswith("{") else ""
        if ns not in W_NAMESPACES:
            raise InputError(where, f"not a {WORD}: its main part {main} is no Word text")
        markup = _word_markup(ns)
        notes: dict[tuple[str, str], etree._Element] = {}
        targets = _relationships(archive, main)
        for kind in ("footnotes", "endnotes"):
            part = targets.get(kind)
            if part is None or not _holds(archive, part):
                continue
            for note in _prune(_read_part(archive, part, where, WORD), markup, ns):
                note_id = note.get(f"{{{ns}}}id")
                if note_id is not None:
                    notes[(kind[:-1], note_id)] = note
    body = document.find(f"{{{ns}}}body")
    if body is None:
        raise InputError(where, f"not a {WORD}: {main} has no body")
    _prune(body, markup, ns)

    def note_of(node: etree._Element) -> Sequence[etree._Element]:
        kind = "footnote" if node.tag.endswith("footnoteReference") else "endnote"
        note = notes.get((kind, node.get(f"{{{ns}}}id", "")))
        return [] if note is None else [note]

    return _office_text(body, markup, note_of)


def odt_to_text(data: bytes, where: str) -> str:
    """The text of an OpenDocument text (.odt), read from its content.xml: one
    paragraph per paragraph, heading and table cell, the notes as :func:`_office_text`
    puts them."""
    with _office_zip(data, where, OPENDOCUMENT) as archive:
        if _holds(archive, "mimetype"):
            kind = _read_bytes(archive, "mimetype", where, OPENDOCUMENT).decode("ascii", "replace")
            if not kind.strip().startswith(ODT):
                raise InputError(where, f"not an {OPENDOCUMENT}: it is {kind.strip()!r}")
        if _holds(archive, "META-INF/manifest.xml"):
            manifest = _read_part(archive, "META-INF/manifest.xml", where, OPENDOCUMENT)
            if manifest.find(f".//{MANIFEST}encryption-data") is not None:
                raise InputError(
                    where,
                    "the OpenDocument text is encrypted with a password; open it, "
                    "save it again without the password and read that file",
                )
        content = _read_part(archive, "content.xml", where, OPENDOCUMENT)
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise InputError(where, f"not an {OPENDOCUMENT}: content.xml holds no text body")
    _prune(body, ODF_MARKUP)

    def note_of(node: etree._Element) -> Sequence[etree._Element]:
        return node.findall(f"{TEXT}note-body")

    return _office_text(body, ODF_MARKUP, note_of)


def _office_text(
    body: etree._Element,
    markup: OfficeMarkup,
    note_of: Callable[[etree._Element], Sequence[etree._Element]],
) -> str:
    """The paragraphs of an office document's body, its notes as at the foot of a page:
    after the paragraph that refers to them, each "N text" on a line of its own (N also
    glued to the word that refers to it), then a form feed where the text goes on.
    That is how the text of a PDF shows notes and how kg.normalize finds them: a run
    of numbered lines to the end of a page, referred to on that page (a run of all the
    notes at the end of the text would be too long for it in a long document)."""
    notes: list[Sequence[etree._Element]] = []
    blocks: list[str] = []
    feet: set[int] = set()  # the blocks that are notes
    done = 0  # the notes already written
    for text in _office_blocks(body, markup, note_of, notes):
        blocks.append(text)  # the notes it refers to are in ``notes`` now
        lines = [
            line
            for number in range(done, len(notes))
            if (line := _note_line(number + 1, notes[number], markup))
        ]
        done = len(notes)
        if lines:
            feet.add(len(blocks))
            blocks.append("\n".join(lines))
    # notes referred to where no text is (an empty paragraph) end the text
    rest = [line for n in range(done, len(notes)) if (line := _note_line(n + 1, notes[n], markup))]
    if rest:
        blocks.append("\n".join(rest))
    return _join_blocks(
        block + "\f" if n in feet and n + 1 < len(blocks) else block
        for n, block in enumerate(blocks)
    )


def _note_line(number: int, note: Sequence[etree._Element], markup: OfficeMarkup) -> str:
    """A note as one line, "1 text": kg.normalize reads notes a line each."""
    text = " ".join(
        " ".join(block.split())
        for part in note
        for block in _office_blocks(part, markup, lambda node: [], [])
    )
    return f"{number} {text}" if text else ""


def _prune(root: etree._Element, markup: OfficeMarkup, ns: str = "") -> etree._Element:
    """``root`` without what is no text of the document (deleted, hidden, properties,
    comments), cut out by lxml before the walk; the text around it stays."""
    if markup.hidden:
        found = root.xpath(markup.hidden, namespaces={"w": ns})
        for node in found if isinstance(found, list) else ():
            if isinstance(node, etree._Element) and (parent := node.getparent()) is not None:
                parent.remove(node)  # Word's own text is never in a tail
    etree.strip_elements(root, *markup.skip, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


def _office_blocks(
    root: etree._Element,
    markup: OfficeMarkup,
    note_of: Callable[[etree._Element], Sequence[etree._Element]],
    notes: list[Sequence[etree._Element]],
) -> Iterator[str]:
    """Yield the text of each paragraph below ``root`` (pruned) in document order;
    append the notes referred to, in order, to ``notes``. lxml walks the tree (no
    recursion), telling only of the elements that matter where not all text does."""
    parts: list[str] = []
    mixed = markup.text is None
    text_tags = markup.text or frozenset()

    def flush() -> Iterator[str]:
        lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
        parts.clear()
        text = "\n".join(line for line in lines if line)
        if text:
            yield text

    tags = None if mixed else markup.blocks | markup.chars.keys() | text_tags | markup.notes
    walk = etree.iterwalk(root, events=("start", "end"), tag=tags)
    for event, node in walk:
        tag = node.tag
        if event == "end":
            if tag in markup.blocks:
                yield from flush()
            if mixed and node.tail and node is not root:
                parts.append(node.tail.translate(SPACES))
            continue
        if tag in markup.notes:
            note = note_of(node)
            if note:
                notes.append(note)
                _glue_mark(parts, len(notes))
            walk.skip_subtree()
            continue
        if tag in markup.blocks:
            yield from flush()
        char = markup.chars.get(tag)
        if char is not None:
            parts.append(char)
        if node.text and (mixed or tag in text_tags):
            parts.append(node.text.translate(SPACES))
    yield from flush()


def _glue_mark(parts: list[str], number: int) -> None:
    """Write a note's number after the word that refers to it ("Irak1"), as in the
    text of a PDF. Not after a digit ("€ 20,1" must not become "€ 20,12") nor at the
    start of a line: the note then stands without its mark."""
    text = "".join(parts).rstrip(" ")
    if text and not text[-1].isdigit() and not text[-1].isspace():
        parts[:] = [text, str(number)]


def _office_zip(data: bytes, where: str, what: str) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise InputError(where, _ole_reason(data, what))
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise InputError(
            where, f"not a {what}: the file is no zip archive ({err}); is it the right file?"
        ) from err


def _ole_reason(data: bytes, what: str) -> str:
    """Why an OLE compound file is not read: an encrypted Office document, an old
    Word document under a new name, or another old Office file."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "the document is encrypted with a password (or protected by rights "
            "management); open it, save it again without the protection and read that file"
        )
    if "WordDocument".encode("utf-16-le") in data:
        return f"an old Word 97-2003 document (.doc), not a {what}: save it as .docx"
    return f"an old Office file (an OLE compound file), not a {what}: save it as .docx"


def _holds(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def _read_bytes(archive: zipfile.ZipFile, name: str, where: str, what: str) -> bytes:
    """The bytes of one part of an office document, checked against the zip-bomb limit
    before and while it is unpacked."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise InputError(
            where, f"not a {what}: the archive holds no {name} (is it another kind of file?)"
        ) from None
    too_big = (
        f"{name} would unpack to more than {MAX_PART_BYTES // 2**20} MB, more than a "
        f"document holds (a zip bomb?); kg does not read it"
    )
    if info.file_size > MAX_PART_BYTES:
        raise InputError(where, too_big)
    try:
        with archive.open(info) as part:
            data = part.read(MAX_PART_BYTES + 1)
    except RuntimeError as err:  # zipfile: "File ... is encrypted, password required"
        raise InputError(where, f"{name} is encrypted ({err}); decrypt the file first") from err
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, ValueError) as err:
        raise InputError(where, f"broken {what}: {name} cannot be unpacked ({err})") from err
    if len(data) > MAX_PART_BYTES:
        raise InputError(where, too_big)
    return data


def _read_part(archive: zipfile.ZipFile, name: str, where: str, what: str) -> etree._Element:
    """One XML part of an office document, parsed."""
    data = _read_bytes(archive, name, where, what)
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as err:
        _check_limits(err.error_log, where)
        raise InputError(
            where,
            f"broken {what}: {name} is not well-formed XML ({err}); open it and save it "
            "again in a word processor",
        ) from err


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """The parts a part of a Word document refers to, by the last word of the
    relationship's type ("officeDocument", "footnotes"), as paths in the archive."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if not _holds(archive, rels):
        return {}
    try:
        tree = etree.fromstring(_read_bytes(archive, rels, rels, WORD), _xml_parser())
    except (etree.XMLSyntaxError, InputError):
        return {}  # the main part is still found where Word puts it
    targets: dict[str, str] = {}
    for rel in tree.iter(f"{RELS}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not kind or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets.setdefault(kind, posixpath.normpath(path))
    return targets


def _word_main_part(archive: zipfile.ZipFile) -> str:
    """The main part of a Word document: where the package's relationships say, else
    word/document.xml."""
    return _relationships(archive, "").get("officeDocument", "word/document.xml")
