"""The formats the official sources serve: Word (.docx), OpenDocument (.odt) and the
XML and HTML of officielebekendmakingen.nl with its metadata block.

Every input is made here, at test time, from its parts (the XML inside the zip, as
Word and LibreOffice write it); no binary fixture is kept. A document in each format,
made from the paragraphs of a seed, gives the facts of the same text read as .txt,
with offsets into its own text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from kg import ingest
from kg.cli import cli
from kg.errors import InputError
from kg.ingest import embedded_record, find_inputs, parse_bytes, read_document
from kg.model import BlockKind, DocResult, SourceRecord
from kg.normalize import normalize
from kg.pipeline import process

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# three kinds: a list of questions, an article 100 letter, a progress report
SEEDS = ["000_aecc147fb1b91a27.txt", "001_1044ea1259fcd4ce.txt", "003_7ba65e5599d72e72.txt"]

# --- making the files --------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def w_runs(text: str, size: int = 7) -> str:
    """A line of text as Word writes it: runs that split words anywhere (where the
    formatting or the spell checker changes), each with its own text element."""
    return "".join(
        f'<w:r><w:rPr><w:lang w:val="nl-NL"/></w:rPr><w:t xml:space="preserve">'
        f"{escape(text[i : i + size])}</w:t></w:r>"
        for i in range(0, len(text), size)
    )


def w_paragraph(lines: Sequence[str] | str, style: str | None = None) -> str:
    """A Word paragraph; its lines are separated by line breaks (Shift+Enter)."""
    lines = [lines] if isinstance(lines, str) else lines
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "<w:r><w:br/></w:r>".join(w_runs(line) for line in lines)
    return f"<w:p>{props}{body}</w:p>"


def w_table(rows: Sequence[Sequence[str]]) -> str:
    cells = "".join(
        "<w:tr><w:trPr/>"
        + "".join(f'<w:tc><w:tcPr><w:tcW w:w="0"/></w:tcPr>{w_paragraph(c)}</w:tc>' for c in row)
        + "</w:tr>"
        for row in rows
    )
    return f'<w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid/>{cells}</w:tbl>'


def make_docx(
    body: str, footnotes: Sequence[str] = (), extra: dict[str, bytes] | None = None
) -> bytes:
    """A .docx holding ``body`` (the XML inside <w:body>) and ``footnotes`` (their
    text, referred to by id 1, 2, ...), with the parts and relationships Word writes."""
    notes = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        for n, text in enumerate(footnotes, 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{WORD_RELATIONSHIP}/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{WORD_RELATIONSHIP}/footnotes" '
            'Target="footnotes.xml"/>'
            f'<Relationship Id="rId2" Type="{WORD_RELATIONSHIP}/hyperlink" '
            'Target="https://www.rijksoverheid.nl/" TargetMode="External"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}" xmlns:r="{WORD_RELATIONSHIP}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
            "</w:body></w:document>"
        ),
        "word/footnotes.xml": (
            f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p>'
            "<w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="
            '"continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
            f"</w:p></w:footnote>{notes}</w:footnotes>"
        ),
        "word/header1.xml": f'<w:hdr xmlns:w="{W}">{w_paragraph("Koptekstwoord")}</w:hdr>',
    }
    return zip_of({name: text.encode() for name, text in parts.items()} | (extra or {}))


def odf_paragraph(lines: Sequence[str] | str, tag: str = "text:p") -> str:
    lines = [lines] if isinstance(lines, str) else lines
    return f"<{tag}>{'<text:line-break/>'.join(escape(line) for line in lines)}</{tag.split()[0]}>"


def make_odt(body: str, mimetype: bytes = ingest.ODT.encode(), manifest: str = "") -> bytes:
    """An .odt holding ``body`` (the XML inside <office:text>), as LibreOffice writes it:
    the mimetype first and stored, a manifest, the content."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {ODF_NAMESPACES}><office:body><office:text>"
        '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" '
        'text:name="Illustration"/></text:sequence-decls>'
        f"{body}</office:text></office:body></office:document-content>"
    )
    manifest = manifest or (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        f'"{ingest.ODT}"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return zip_of(
        {
            "mimetype": mimetype,
            "content.xml": content.encode(),
            "META-INF/manifest.xml": manifest.encode(),
        }
    )


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


def op_xml(paragraphs: Sequence[str], metadata: str = "") -> bytes:
    """A Kamerstuk in the XML of officielebekendmakingen.nl: its metadata block first,
    then the text, one <al> (alinea) per paragraph."""
    als = "\n".join(f"<al>{escape(text)}</al>" for text in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"<metadata>\n{metadata}\n</metadata>\n"
        f"<kamerstuk><stuk><algemeen><vrije-tekst><tekst>\n{als}\n"
        "</tekst></vrije-tekst></algemeen></stuk></kamerstuk>\n</officiele-publicatie>\n"
    ).encode()


def meta(name: str, content: str, scheme: str = "") -> str:
    return f"<meta name={quoteattr(name)} scheme={quoteattr(scheme)} content={quoteattr(content)}/>"


# --- the same facts in every format --------------------------------------------------


def seed_paragraphs(name: str) -> list[list[str]]:
    """A seed's paragraphs (split on blank lines), each a list of its lines with their
    white space folded as every reader folds it."""
    text = (SEEDS_DIR / name).read_text("utf-8")
    paragraphs = [
        [" ".join(line.split()) for line in block.splitlines() if line.strip()]
        for block in re.split(r"\n\s*\n", text)
    ]
    return [lines for lines in paragraphs if lines]


def as_txt(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def without_offsets(value: Any) -> Any:
    """A fact as plain data without its offsets (``start``/``end`` and provenance)."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        return {
            key: without_offsets(item)
            for key, item in value.items()
            if key != "provenance" and not (key in ("start", "end") and isinstance(item, int))
        }
    if isinstance(value, list | tuple):
        return [without_offsets(item) for item in value]
    return value


def facts(result: DocResult) -> list[Any]:
    return [*result.personnel, *result.budgets, *result.events, *result.periods]


FORMATS: dict[str, tuple[str, Callable[[list[list[str]]], bytes], bool]] = {
    # format: (suffix, the file made from the paragraphs, whether lines stay lines)
    "docx": (".docx", lambda ps: make_docx("".join(w_paragraph(p) for p in ps)), True),
    "odt": (".odt", lambda ps: make_odt("".join(odf_paragraph(p) for p in ps)), True),
    "xml": (
        ".xml",
        lambda ps: op_xml(
            [" ".join(p) for p in ps],
            meta("OVERHEIDop.externMetadataRecord", "https://example.org/metadata.xml"),
        ),
        False,
    ),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_formats_give_the_facts_of_the_same_text(tmp_path: Path, seed: str, fmt: str) -> None:
    """A seed's paragraphs as .docx, .odt or officielebekendmakingen XML give the facts
    of the same paragraphs as .txt (values, missions, modality, times); each fact's
    offsets point at the same figure and sentence in the format's own text."""
    suffix, make, keeps_lines = FORMATS[fmt]
    paragraphs = seed_paragraphs(seed)
    joiner = "\n" if keeps_lines else " "
    txt_path = tmp_path / "stuk.txt"
    txt_path.write_text(as_txt([joiner.join(lines) for lines in paragraphs]), "utf-8")
    path = tmp_path / f"stuk{suffix}"
    path.write_bytes(make(paragraphs))

    txt_doc, doc = read_document(txt_path), read_document(path)
    assert doc.media_type == ingest.SUFFIXES[suffix]
    assert doc.text == txt_doc.text  # one paragraph per paragraph, lines kept as lines
    assert doc.record is None  # the metadata block names nothing kg reads
    expected, found = process(txt_doc), process(doc)
    assert len(expected.personnel) + len(expected.budgets) > 5  # the seed states figures
    assert [without_offsets(f) for f in facts(found)] == [
        without_offsets(f) for f in facts(expected)
    ]
    for fact, twin in zip(facts(found), facts(expected), strict=True):
        where, there = fact.provenance, twin.provenance
        assert doc.text[where.start : where.end] == txt_doc.text[there.start : there.end]
        assert where.sentence.text == there.sentence.text
        assert doc.text[where.sentence.start : where.sentence.end] == where.sentence.text


# --- what becomes a paragraph ------------------------------------------------------------


def test_formats_docx_paragraphs_headings_tables_breaks_and_notes() -> None:
    """Word: a heading and each table cell a paragraph of their own, in document order;
    a line break stays one, a tab is a space; runs split inside a word add no space;
    the footnote follows its paragraph as "1 text", as at the foot of a page (a form
    feed after it), its number glued to the word."""
    body = (
        w_paragraph("Essentie", style="Heading1")
        + "<w:p>"
        + w_runs("Nederland levert 50 militairen aan de NAVO-missie in Irak")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + w_runs(".")
        + "</w:p>"
        + w_table([["Missie", "Aantal"], ["NMI", "75 militairen"]])
        + "<w:p>"
        + w_runs("De Minister van Defensie,")
        + "<w:r><w:br/></w:r>"
        + w_runs("K.H. Ollongren")
        + "<w:r><w:tab/></w:r>"
        + w_runs("Den Haag")
        + "</w:p>"
    )
    doc = parse_bytes(make_docx(body, ["Kamerstuk 27 925, nr. 600."]), ingest.DOCX, "a.docx")
    assert doc.text == (
        "Essentie\n\n"
        "Nederland levert 50 militairen aan de NAVO-missie in Irak1.\n\n"
        "1 Kamerstuk 27 925, nr. 600.\f\n\n"
        "Missie\n\nAantal\n\nNMI\n\n75 militairen\n\n"
        "De Minister van Defensie,\nK.H. Ollongren Den Haag\n"
    )
    assert "Koptekstwoord" not in doc.text  # the page header is no text of the document


def test_formats_odt_paragraphs_headings_tables_breaks_and_notes() -> None:
    """OpenDocument: the same shape as Word; white space in the XML folds to one space,
    text:s and text:tab are spaces, the note body leaves the paragraph to follow it."""
    body = (
        '<text:h text:outline-level="1">Essentie</text:h>'
        "<text:p>Nederland levert <text:span>50</text:span> militairen aan de\n"
        '   NAVO-missie in Irak<text:note text:id="ftn1" text:note-class="footnote">'
        "<text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>Kamerstuk 27 925, nr. 600.</text:p></text:note-body></text:note>.</text:p>"
        '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>'
        "<table:table-row><table:table-cell><text:p>Missie</text:p></table:table-cell>"
        "<table:table-cell><text:p>Aantal</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>NMI</text:p></table:table-cell>"
        "<table:table-cell><text:p>75 militairen</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "<text:p>De Minister van Defensie,<text:line-break/>K.H. Ollongren<text:tab/>"
        'Den<text:s text:c="3"/>Haag</text:p>'
        "<text:p><office:annotation><dc:creator>Ambtenaar</dc:creator>"
        "<text:p>Commentaarwoord</text:p></office:annotation>Slot.</text:p>"
    )
    doc = parse_bytes(make_odt(body), ingest.ODT, "a.odt")
    assert doc.text == (
        "Essentie\n\n"
        "Nederland levert 50 militairen aan de NAVO-missie in Irak1.\n\n"
        "1 Kamerstuk 27 925, nr. 600.\f\n\n"
        "Missie\n\nAantal\n\nNMI\n\n75 militairen\n\n"
        "De Minister van Defensie,\nK.H. Ollongren Den Haag\n\n"
        "Slot.\n"
    )


def test_formats_docx_leaves_out_deleted_hidden_and_field_code_text() -> None:
    """Tracked deletions, hidden text, field codes, placeholders and the fallback copy
    of a text box are not the document's text; inserted text and a field's result are."""
    body = (
        "<w:p>"
        + w_runs("Nederland levert ")
        + '<w:del w:id="1" w:author="A"><w:r><w:delText>40</w:delText></w:r></w:del>'
        + '<w:ins w:id="2" w:author="A">'
        + w_runs("50")
        + "</w:ins>"
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>Verborgenwoord</w:t></w:r>"
        + w_runs(" militairen (")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://x" </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + w_runs("bron")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + w_runs(").")
        + '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        + w_paragraph("Tekstvak")
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + w_paragraph("Tekstvak")
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + "</w:p>"
        + "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + w_paragraph("Klik hier om tekst in te voeren.")
        + "</w:sdtContent></w:sdt>"
        + '<w:sdt><w:sdtPr><w:alias w:val="Datum"/></w:sdtPr><w:sdtContent>'
        + w_paragraph("Den Haag, 14 september 2018")
        + "</w:sdtContent></w:sdt>"
    )
    doc = parse_bytes(make_docx(body), ingest.DOCX, "a.docx")
    assert doc.text == (
        "Nederland levert 50 militairen (bron).\n\nTekstvak\n\nDen Haag, 14 september 2018\n"
    )


def test_formats_notes_are_footnotes_to_the_normalizer_and_facts_keep_offsets() -> None:
    """The notes are found as footnotes (their marks are left out of the sentence,
    their text is no running text) and a fact's offsets point into the text the
    reader made."""
    letter = [
        "Den Haag, 14 september 2018",
        "Nederland levert 50 militairen aan de NAVO-missie in Irak.",
        "Het kabinet stelt daarvoor EUR 1,8 miljoen beschikbaar.",
    ]
    notes = ["Kamerstuk 27 925, nr. 600.", "Kamerstuk 27 925, nr. 601; zie ook 200 militairen."]
    body = (
        w_paragraph(letter[0])
        + "<w:p>"
        + w_runs(letter[1][:-1])
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + w_runs(".")
        + "</w:p><w:p>"
        + w_runs(letter[2][:-1])
        + '<w:r><w:footnoteReference w:id="2"/></w:r>'
        + w_runs(".")
        + "</w:p>"
    )
    doc = parse_bytes(make_docx(body, notes), ingest.DOCX, "a.docx")
    norm = normalize(doc)
    footnotes = [b for b in norm.blocks if b.kind == BlockKind.FOOTNOTE]
    assert [(b.number, norm.text[b.start : b.end]) for b in footnotes] == [
        (1, "1 Kamerstuk 27 925, nr. 600."),
        (2, "2 Kamerstuk 27 925, nr. 601; zie ook 200 militairen."),
    ]
    assert [doc.text[r.start : r.end] for r in norm.removals] == ["1", "2"]  # the marks
    assert [norm.text[s:e] for s, e in norm.sentences] == letter
    result = process(doc)
    assert [(p.value, p.mission) for p in result.personnel] == [(50, "NMI")]  # not the note's
    (person,) = result.personnel
    assert doc.text[person.provenance.start : person.provenance.end] == "50 militairen"
    (budget,) = result.budgets
    assert doc.text[budget.provenance.start : budget.provenance.end].startswith("EUR 1,8")
    sentence = person.provenance.sentence
    assert doc.text[sentence.start : sentence.end] == sentence.text == letter[1][:-1] + "1."


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_formats_many_notes_are_all_footnotes(fmt: str) -> None:
    """However many notes a document has (kg.normalize reads at most a page's worth
    of note lines in one run), each is found as a footnote and none is running text."""
    count = 40
    sentences = [f"In Erbil werken {n} adviseurs voor OIR." for n in range(1, count + 1)]
    notes = [
        f"Kamerstuk 27 925, nr. {600 + n}; daar staan {n + 100} militairen."
        for n in range(1, count + 1)
    ]
    if fmt == "docx":
        body = "".join(
            f'<w:p>{w_runs(text[:-1])}<w:r><w:footnoteReference w:id="{n}"/></w:r>'
            f"{w_runs('.')}</w:p>"
            for n, text in enumerate(sentences, 1)
        )
        doc = parse_bytes(make_docx(body, notes), ingest.DOCX, "a.docx")
    else:
        body = "".join(
            f'<text:p>{escape(text[:-1])}<text:note text:note-class="endnote">'
            f"<text:note-citation>{n}</text:note-citation><text:note-body><text:p>"
            f"{escape(note)}</text:p></text:note-body></text:note>.</text:p>"
            for n, (text, note) in enumerate(zip(sentences, notes, strict=True), 1)
        )
        doc = parse_bytes(make_odt(body), ingest.ODT, "a.odt")
    norm = normalize(doc)
    footnotes = [b.number for b in norm.blocks if b.kind == BlockKind.FOOTNOTE]
    assert footnotes == list(range(1, count + 1))
    assert [norm.text[s:e] for s, e in norm.sentences] == sentences
    values = [p.value for p in process(doc).personnel]
    assert values == list(range(1, count + 1))  # not the notes' figures


def test_formats_a_note_after_a_digit_does_not_change_the_figure() -> None:
    """A note's number is not glued to a digit: "€ 20,1" followed by note 1 stays
    "€ 20,1", "in 2019" stays a year; the notes still follow their paragraph."""
    body = (
        "<w:p>"
        + w_runs("De bijdrage bedraagt € 20,1")
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + w_runs(" miljoen in 2019")
        + '<w:r><w:footnoteReference w:id="2"/></w:r>'
        + w_runs(".")
        + "</w:p>"
    )
    doc = parse_bytes(make_docx(body, ["Begroting.", "Suppletoire begroting."]), ingest.DOCX, "a")
    assert doc.text == (
        "De bijdrage bedraagt € 20,1 miljoen in 2019.\n\n1 Begroting.\n2 Suppletoire begroting.\n"
    )
    (budget,) = process(doc).budgets
    assert (budget.amount, budget.year) == (Decimal("20.1e6"), "2019")


def test_formats_strict_ooxml_is_read() -> None:
    """A .docx saved as Strict Open XML (other namespaces) reads the same."""
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    data = make_docx(w_paragraph("Nederland levert 50 militairen."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts = {name: part.replace(W.encode(), strict.encode()) for name, part in parts.items()}
    doc = parse_bytes(zip_of(parts), ingest.DOCX, "a.docx")
    assert doc.text == "Nederland levert 50 militairen.\n"


# --- bad files --------------------------------------------------------------------------


def ole_file(stream_name: str) -> bytes:
    """The start of an OLE compound file whose directory names ``stream_name``."""
    return OLE_MAGIC + bytes(504) + stream_name.encode("utf-16-le") + bytes(1024)


def without(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return zip_of({n: archive.read(n) for n in archive.namelist() if n != name})


def replaced(data: bytes, name: str, part: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return zip_of({n: part if n == name else archive.read(n) for n in archive.namelist()})


GOOD_DOCX = make_docx(w_paragraph("Nederland levert 50 militairen."))
GOOD_ODT = make_odt(odf_paragraph("Nederland levert 50 militairen."))
BAD_FILES = {
    "not a zip": (".docx", b"Den Haag, 14 september 2018, geen Word", "no zip archive"),
    "no main part": (".docx", without(GOOD_DOCX, "word/document.xml"), "no word/document.xml"),
    "encrypted": (".docx", ole_file("EncryptedPackage"), "encrypted with a password"),
    "old Word": (".docx", ole_file("WordDocument"), "save it as .docx"),
    "broken XML": (
        ".docx",
        replaced(GOOD_DOCX, "word/document.xml", b"<w:document><w:body><w:p>"),
        "word/document.xml is not well-formed XML",
    ),
    "odt not a zip": (".odt", b"\x00\x01 geen OpenDocument", "no zip archive"),
    "odt no content": (".odt", without(GOOD_ODT, "content.xml"), "no content.xml"),
    "odt broken XML": (
        ".odt",
        replaced(GOOD_ODT, "content.xml", b"<office:document-content>"),
        "content.xml is not well-formed XML",
    ),
    "odt encrypted": (
        ".odt",
        make_odt(
            odf_paragraph("x"),
            manifest=(
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                '<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>'
                "</manifest:manifest>"
            ),
        ),
        "encrypted with a password",
    ),
    "odt a spreadsheet": (
        ".odt",
        make_odt("", mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
        "not an OpenDocument text",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_formats_bad_files_are_rejected_with_the_reason(tmp_path: Path, case: str) -> None:
    suffix, data, reason = BAD_FILES[case]
    path = tmp_path / f"stuk{suffix}"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_formats_a_zip_bomb_is_not_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A part that would unpack to more than MAX_PART_BYTES is rejected before it is
    read (here the limit is lowered; a megabyte of XML packs to a few kilobytes)."""
    monkeypatch.setattr(ingest, "MAX_PART_BYTES", 64 * 1024)
    filler = "<w:p/>" if suffix == ".docx" else "<text:p/>"
    data = make_docx(filler * 200_000) if suffix == ".docx" else make_odt(filler * 200_000)
    assert len(data) < 64 * 1024
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(data)
    with pytest.raises(InputError, match="zip bomb"):
        read_document(path)


def test_formats_build_reads_the_good_documents_and_names_the_bad_one(tmp_path: Path) -> None:
    """``kg build`` of a folder with a broken .docx beside a good .txt and a good .docx
    builds the good ones, names the bad one with its reason, and exits 1."""
    inputs = tmp_path / "stukken"
    inputs.mkdir()
    (inputs / "brief.txt").write_text(
        "Den Haag, 14 september 2018\n\nNederland levert 50 militairen aan NMI.\n", "utf-8"
    )
    (inputs / "notitie.docx").write_bytes(
        make_docx(w_paragraph("Den Haag, 1 maart 2019") + w_paragraph("Nederland levert 60."))
    )
    (inputs / "kapot.docx").write_bytes(ole_file("EncryptedPackage"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kg: skip")]
    assert len(skipped) == 1 and "kapot.docx" in skipped[0], result.stderr
    assert "encrypted with a password" in skipped[0]
    done = CliRunner().invoke(
        cli,
        ["query", "SELECT ?n WHERE { ?d kg:fileName ?n } ORDER BY ?n", "--out", str(out),
         "--format", "csv"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout.split() == ["n", "brief.txt", "notitie.docx"]


def test_formats_old_word_documents_are_still_named_as_skipped(tmp_path: Path) -> None:
    """A .doc (Word 97-2003) in a folder is named as skipped, with what to do."""
    (tmp_path / "brief.txt").write_text("Den Haag\n", "utf-8")
    (tmp_path / "oud.doc").write_bytes(ole_file("WordDocument"))
    found, rejected = find_inputs([tmp_path])
    assert [name for name, _ in found] == ["brief.txt"]
    assert [(r.path, r.skipped) for r in rejected] == [(str(tmp_path / "oud.doc"), True)]
    assert rejected[0].reason == (
        "kg does not read a Word 97-2003 document (.doc): save it as .docx "
        "(Save As in Word or LibreOffice)"
    )


# --- the metadata block ----------------------------------------------------------------

# In the shape officielebekendmakingen.nl serves (names, schemes and value forms as its
# metadata documentation gives them); the values are made up.
OP_METADATA = "\n".join(
    [
        meta("OVERHEIDop.externMetadataRecord", "https://example.org/kst-99999-12/metadata.xml"),
        meta("DC.title", "Voorbeelddossier; Voorbeeldbrief"),
        meta("OVERHEIDop.documenttitel", "Voorbeeldbrief"),
        meta("DC.type", "Kamerstuk", "OVERHEIDop.Parlementair"),
        meta("DC.type", "Brief regering", "OVERHEIDop.Parlementair"),
        meta("OVERHEIDop.dossiernummer", "99 999", ""),
        meta("OVERHEIDop.ondernummer", "12"),
        meta("OVERHEIDop.indiener", "A.B. Minister"),
        meta("OVERHEIDop.indiener", "C.D. Staatssecretaris"),
        meta("OVERHEIDop.indiener", "A.B. Minister"),
        meta("DCTERMS.issued", "2018-09-14", "DCTERMS.W3CDTF"),
        meta("OVERHEIDop.datumOndertekening", "2018-09-13"),
        meta("DC.identifier", "kst-99999-12", "OVERHEIDop.ParlID"),
        meta("DC.creator", "Tweede Kamer der Staten-Generaal", "OVERHEID.StatenGeneraal"),
        meta("OVERHEIDop.vergaderjaar", "2018-2019"),
    ]
)
OP_RECORD = SourceRecord(
    source="embedded",
    identifier="kst-99999-12",
    doc_type="Brief regering",
    dossier="99999",
    number="12",
    date="2018-09-13",  # signed: the date of the text's own date line, not the publication
    title="Voorbeeldbrief",
    submitters=("A.B. Minister", "C.D. Staatssecretaris"),
)


def test_formats_embedded_record_of_officielebekendmakingen_xml() -> None:
    """The XML's metadata block gives the record, and no text: the <metadata> element
    makes no paragraph of its own; names kg does not read are ignored."""
    data = op_xml(["Nederland levert 50 militairen aan NMI."], OP_METADATA)
    doc = parse_bytes(data, "application/xml", "kst-99999-12.xml")
    assert doc.record == OP_RECORD
    assert doc.text == "Nederland levert 50 militairen aan NMI.\n"


def test_formats_embedded_record_of_officielebekendmakingen_html() -> None:
    """The same metadata in the <head> of the HTML page; a stated address is kept."""
    page = (
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
        f"<title>kst-99999-12</title>{OP_METADATA}"
        "<link rel='canonical' href='https://zoek.example.org/kst-99999-12.html'></head>"
        "<body><main><p>Nederland levert 50 militairen aan NMI.</p></main></body></html>"
    )
    doc = parse_bytes(page.encode(), "text/html", "kst-99999-12.html")
    assert doc.record == SourceRecord(
        **(asdict(OP_RECORD) | {"url": "https://zoek.example.org/kst-99999-12.html"})
    )
    assert doc.text == "Nederland levert 50 militairen aan NMI.\n"


def test_formats_embedded_record_of_a_government_web_page() -> None:
    """rijksoverheid.nl's OWMS metadata: DCTERMS names, the identifier is the page's
    address (so it is the url too), the issued date-time gives the day."""
    head = "\n".join(
        [
            '<meta name="DCTERMS.title" content="Voorbeeldbericht - Rijksoverheid.nl"/>',
            '<meta name="DCTERMS.language" title="XSD.language" content="nl-NL"/>',
            '<meta name="DCTERMS.identifier" title="XSD.anyURI" '
            'content="https://www.example.org/actueel/nieuws/2019/10/18/voorbeeld"/>',
            '<meta name="DCTERMS.available" title="DCTERMS.Period" content="start=2019-10-18;"/>',
            '<meta name="DCTERMS.issued" title="XSD.dateTime" content="2019-10-18T16:45"/>',
            '<meta name="DCTERMS.type" title="RIJKSOVERHEID.Informatietype" '
            'content="nieuwsbericht"/>',
            '<meta property="og:title" content="Iets anders"/>',
        ]
    )
    root = lxml_html.document_fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert embedded_record(root) == SourceRecord(
        source="embedded",
        identifier="https://www.example.org/actueel/nieuws/2019/10/18/voorbeeld",
        url="https://www.example.org/actueel/nieuws/2019/10/18/voorbeeld",
        doc_type="nieuwsbericht",
        date="2019-10-18",
        title="Voorbeeldbericht - Rijksoverheid.nl",
    )


@pytest.mark.parametrize(
    ("metas", "field", "value"),
    [
        ([("DCTERMS.issued", "2018")], "date", None),  # not a full date
        ([("DCTERMS.issued", "2018-02-30")], "date", None),  # no such day
        ([("DCTERMS.issued", "2018"), ("OVERHEIDop.datumOndertekening", "2018-09-13")],
         "date", "2018-09-13"),
        ([("OVERHEIDop.dossiernummer", "36200 V")], "dossier", "36200-V"),
        ([("OVERHEIDop.dossiernummer", "21501-02;27925")], "dossier", "21501-02"),
        ([("OVERHEIDop.dossiernummer", "geen nummer")], "dossier", None),
        ([("dc.identifier", "kst-1"), ("DC.IDENTIFIER", "kst-2")], "identifier", "kst-1"),
        ([("DC.type", "Kamerstuk"), ("DC.type", "Lijst van vragen en antwoorden")],
         "doc_type", "Lijst van vragen en antwoorden"),
        ([("DC.type", "Kamerstuk")], "doc_type", "Kamerstuk"),
        ([("DC.title", "Dossier; Brief"), ("OVERHEIDop.documenttitel", "Brief")], "title",
         "Brief"),
        ([("DC.identifier", "kst-99999-12")], "url", None),  # never made up
    ],
)  # fmt: skip
def test_formats_embedded_record_values(
    metas: list[tuple[str, str]], field: str, value: str | None
) -> None:
    xml = "<stuk><metadata>" + "".join(meta(n, c) for n, c in metas) + "</metadata></stuk>"
    record = embedded_record(etree.fromstring(xml))
    assert record is not None
    assert getattr(record, field) == value


@pytest.mark.parametrize(
    "markup",
    [
        "<stuk><al>Tekst.</al></stuk>",
        "<stuk><metadata><meta name='OVERHEIDop.externMetadataRecord' content='x'/>"
        "<meta name='DC.creator' content='Tweede Kamer'/><meta name='DC.title' content=''/>"
        "</metadata></stuk>",
        "<html><head><meta name='description' content='x'/><meta property='og:title' "
        "content='x'/><link rel='canonical' href='https://example.org/'/></head></html>",
    ],
)
def test_formats_embedded_record_is_none_without_a_known_name(markup: str) -> None:
    assert embedded_record(etree.fromstring(markup)) is None


def test_formats_embedded_record_reads_the_metadata_xml_form() -> None:
    """metadata.xml writes the same names as <metadata name=... content=...>."""
    xml = (
        "<metadata_gegevens>"
        '<metadata name="DC.identifier" scheme="OVERHEIDop.ParlID" content="kst-99999-12"/>'
        '<metadata name="OVERHEIDop.ondernummer" scheme="" content="12"/>'
        "</metadata_gegevens>"
    )
    record = embedded_record(etree.fromstring(xml))
    assert record == SourceRecord("embedded", identifier="kst-99999-12", number="12")
