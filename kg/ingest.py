"""Input files -> :class:`~kg.model.SourceDoc`. The only reader of input files.

Plain text is decoded as UTF-8 (UTF-16 or UTF-32 with a byte order mark),
falling back to Windows-1252 or Latin-1 with a warning. HTML and XML (as published
on officielebekendmakingen.nl and tweedekamer.nl) are turned into text with one
paragraph per block element and headings kept as their own paragraphs; a web
page's scripts, styles, navigation and its own header, footer and sidebar are left
out. Markup nested deeper than the parser reads is rejected, not read in part. PDF
files yield their text layer, one form feed between pages; a PDF locked only
against changes is read, one that needs a password or has no text layer (a scan)
is rejected with what to do.

A file that cannot be read raises :class:`~kg.errors.InputError` naming the file
and the reason; :func:`collect` turns those into rejections so that one bad file
never stops the others.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from kg.errors import InputError
from kg.model import SourceDoc

SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
}
# Documents of types kg does not read (yet): in a folder they are named as skipped, not
# passed over in silence as its other files are, since a reader expects them read.
UNREAD = {
    ".docx": "a Word document", ".docm": "a Word document", ".doc": "a Word document",
    ".odt": "an OpenDocument text", ".rtf": "a Rich Text document",
    ".wpd": "a WordPerfect document", ".pages": "a Pages document",
    ".pptx": "a presentation", ".ppt": "a presentation", ".odp": "a presentation",
    ".xlsx": "a spreadsheet", ".xls": "a spreadsheet", ".ods": "a spreadsheet",
    ".epub": "an e-book", ".eml": "an e-mail", ".msg": "an e-mail",
}  # fmt: skip

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
        return Rejection(str(path), f"kg does not read {what}: use {supported}", skipped=True)

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
    if media_type == "text/plain":
        text = decode_text(data, where, warnings)
    elif media_type == "text/html":
        text = html_to_text(decode_markup(data, where, warnings), where)
    elif media_type == "application/xml":
        text = xml_to_text(data, where)
    elif media_type == "application/pdf":
        text = pdf_to_text(data, where)
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
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(XML_DECLARATION.sub("", markup, count=1), parser)
    except (etree.ParserError, ValueError) as err:
        raise InputError(where, f"not readable as HTML ({err})") from err
    _check_limits(parser.error_log, where)
    body = root.find("body")
    return _join_blocks(_block_texts(body if body is not None else root, page=True))


def xml_to_text(data: bytes, where: str) -> str:
    """XML (e.g. officielebekendmakingen.nl) to text, one paragraph per block element."""
    if _bom_encoding(data) is None and looks_binary(data):
        raise InputError(where, "binary data, not XML")
    # huge_tree lifts libxml2's limits (a depth of 256, text nodes of 10 MB); entities
    # are still never expanded nor fetched
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        _check_limits(err.error_log, where)
        raise InputError(where, f"not well-formed XML ({err})") from err
    if isinstance(root.tag, str) and root.tag.rsplit("}", 1)[-1].lower() == "html":
        # XHTML: the parsed tree already honours the declared encoding; read its body.
        body = root.find("{*}body")  # {*}: any namespace, or none
        return _join_blocks(_block_texts(body if body is not None else root, page=True))
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
