"""Reading input files into SourceDoc: text as written, markup as paragraphs, PDF
pages, and a clear InputError naming the file for everything that cannot be read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import find_inputs, looks_binary, parse_bytes, read_document

MakePdf = Callable[[Sequence[str]], bytes]

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def paragraphs(text: str) -> list[str]:
    return text.rstrip("\n").split("\n\n")


# --- plain text -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Den Haag, 14 september 2018\n\nNederland levert 50 militairen aan de coalitie.\n",
        "Tweede Kamer der Staten-Generaal\r\nVergaderjaar 2019–2020\r\n\r\n27 925 Nr. 123\r\n",
        "De kosten bedragen € 20,1 miljoen voor de geïntegreerde aanpak (één jaar).",
        "„Mosul” is bevrijd; de financiële bijdrage — ca. € 5 mln — loopt door.\n\f2\n",
    ],
)
def test_ingest_txt_utf8_is_read_exactly(tmp_path: Path, text: str) -> None:
    data = text.encode("utf-8")
    path = write(tmp_path, "brief.txt", data)
    doc = read_document(path)
    assert doc.text == text  # every character, so every offset, as in the file
    assert doc.name == "brief.txt"
    assert doc.path == path
    assert doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.warnings == ()


def test_ingest_txt_keeps_crlf_and_offsets(tmp_path: Path) -> None:
    text = (
        "Den Haag, 14 september 2018\r\n\r\n"
        "De minister van Defensie,\r\nA.Th.B. Bijleveld-Schouten\r\n"
    )
    doc = read_document(write(tmp_path, "a.txt", text.encode()))
    start = doc.text.index("Bijleveld")
    assert start == text.index("Bijleveld")
    assert doc.text.count("\r\n") == 4


def test_ingest_txt_utf8_bom_is_dropped(tmp_path: Path) -> None:
    text = "Geachte voorzitter,\n\nHierbij ontvangt u de voortgangsrapportage.\n"
    doc = read_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode()))
    assert doc.text == text
    assert not doc.text.startswith("\ufeff")
    assert doc.warnings == ()


def test_ingest_txt_cp1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "De bijdrage bedraagt € 20,1 miljoen voor de geïntegreerde missie in Irak.\r\n"
    data = text.encode("cp1252")
    path = write(tmp_path, "windows.txt", data)
    doc = read_document(path)
    assert doc.text == text
    assert len(doc.warnings) == 1
    warning = doc.warnings[0]
    assert str(path) in warning
    assert "Windows-1252" in warning
    euro = data.index("€".encode("cp1252"))
    assert f"byte {euro}" in warning  # where the first non-UTF-8 byte is


def test_ingest_txt_latin1_only_bytes_are_decoded_with_a_warning(tmp_path: Path) -> None:
    # 0x81 and 0x8d have no character in Windows-1252, so only Latin-1 reads the file.
    data = "Coördinatie met de geïntegreerde missie".encode("latin-1") + b" \x81\x8d.\n"
    path = write(tmp_path, "latin.txt", data)
    doc = read_document(path)
    assert doc.text == data.decode("latin-1")
    assert doc.text.startswith("Coördinatie met de geïntegreerde missie")
    assert len(doc.warnings) == 1
    assert str(path) in doc.warnings[0]
    assert "Latin-1" in doc.warnings[0]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1))
def test_ingest_txt_utf8_round_trips_or_is_rejected_as_empty(text: str) -> None:
    text = text.lstrip("\ufeff")
    try:
        doc = parse_bytes(text.encode("utf-8"), "text/plain", "x.txt")
    except InputError as err:
        assert not text.strip(), err  # only a file without text may be rejected
    else:
        assert doc.text == text


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=400),
    media_type=st.sampled_from(["text/plain", "text/html", "application/xml", "application/pdf"]),
)
def test_ingest_any_bytes_give_a_document_or_an_input_error(data: bytes, media_type: str) -> None:
    try:
        doc = parse_bytes(data, media_type, "x")
    except InputError as err:
        assert err.path == "x" and err.reason
    else:
        assert doc.text.strip()


# --- HTML and XML -----------------------------------------------------------------

OB_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Kamerstuk 27925, nr. 123 | Overheid.nl &gt; Officiële bekendmakingen</title>
  <script>var tracking = "Dit mag niet in de tekst";</script>
  <style>body { font-family: "RijksoverheidSans"; } .verborgen { display: none; }</style>
</head>
<body>
  <nav><a href="/">Home</a> &gt; <a href="/zoeken">Zoeken</a></nav>
  <h1>Bestrijding internationaal terrorisme</h1>
  <p>Hierbij informeren wij uw Kamer over de
     Nederlandse bijdrage aan de <a href="https://example.org/ais">anti-ISIS</a>-coalitie.</p>
  <p>De kosten bedragen <b>€ 20,1 miljoen</b> in <i>2019</i>.</p>
  <ul>
    <li>Ca. 150 militairen in Irak;</li>
    <li>een <abbr title="Counter-IED">C-IED</abbr> trainingsteam.</li>
  </ul>
  <script>document.write("ook dit niet");</script>
  <p>De minister van Defensie,<br>A.Th.B. Bijleveld-Schouten</p>
  <div class="voetnoot"><sup>1</sup> Kamerstuk 27 925, nr. 644.</div>
</body>
</html>
"""

OB_PARAGRAPHS = [
    "Bestrijding internationaal terrorisme",
    "Hierbij informeren wij uw Kamer over de Nederlandse bijdrage aan de anti-ISIS-coalitie.",
    "De kosten bedragen € 20,1 miljoen in 2019.",
    "Ca. 150 militairen in Irak;",
    "een C-IED trainingsteam.",
    "De minister van Defensie, A.Th.B. Bijleveld-Schouten",
    "1 Kamerstuk 27 925, nr. 644.",
]


def test_ingest_html_blocks_become_paragraphs(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kst-27925-123.html", OB_PAGE.encode("utf-8")))
    assert doc.media_type == "text/html"
    assert paragraphs(doc.text) == OB_PARAGRAPHS
    assert doc.warnings == ()


def test_ingest_html_drops_head_script_style_and_nav(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.htm", OB_PAGE.encode("utf-8")))
    for left_out in ("tracking", "ook dit niet", "font-family", "Zoeken", "Overheid.nl"):
        assert left_out not in doc.text


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Nederland <b>levert</b> 50 militairen.</p>", "Nederland levert 50 militairen."),
        ("<p>de <a href='#n1'>anti-ISIS</a>-coalitie</p>", "de anti-ISIS-coalitie"),
        ("<p>€ <b>20</b>,1 miljoen</p>", "€ 20,1 miljoen"),
        ("<p>Erbil<sup>1</sup> en Bagdad</p>", "Erbil1 en Bagdad"),
        ("<p>regel een<br>regel twee</p>", "regel een regel twee"),
        ("<p>  veel   \n  witruimte\t hier </p>", "veel witruimte hier"),
    ],
)
def test_ingest_html_inline_markup_joins_into_the_paragraph(markup: str, expected: str) -> None:
    doc = parse_bytes(f"<html><body>{markup}</body></html>".encode(), "text/html", "x.html")
    assert doc.text == expected + "\n"


def test_ingest_html_in_windows_1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    page = "<html><body><p>Bijdrage van € 20,1 miljoen, geïntegreerd.</p></body></html>"
    path = write(tmp_path, "oud.html", page.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Bijdrage van € 20,1 miljoen, geïntegreerd.\n"
    assert len(doc.warnings) == 1
    assert str(path) in doc.warnings[0]


XHTML = """<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="nl">
<head><title>Brief</title><style>p {{ margin: 0 }}</style></head>
<body><h2>Verlenging</h2><p>Eén jaar, € 45 miljoen, geïntegreerde inzet.</p></body>
</html>
"""


@pytest.mark.parametrize("suffix", [".xhtml", ".html", ".xml"])
@pytest.mark.parametrize("encoding", ["UTF-8", "windows-1252"])
def test_ingest_xhtml_with_an_xml_declaration_is_read(
    tmp_path: Path, suffix: str, encoding: str
) -> None:
    data = XHTML.format(encoding=encoding).encode(encoding)
    doc = read_document(write(tmp_path, "brief" + suffix, data))
    assert paragraphs(doc.text) == ["Verlenging", "Eén jaar, € 45 miljoen, geïntegreerde inzet."]


KAMERSTUK_XML = """<?xml version="1.0" encoding="UTF-8"?>
<kamerstuk>
  <dossier><dossiernummer>27925</dossiernummer></dossier>
  <kop>
    <titel>Bestrijding internationaal terrorisme</titel>
    <subtitel>BRIEF VAN DE MINISTER VAN DEFENSIE</subtitel>
  </kop>
  <al>Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</al>
  <al>Den Haag, 14 september 2018</al>
  <al>Nederland levert <nadruk type="vet">50 militairen</nadruk> aan de anti-ISIS-coalitie.</al>
  <tussenkop>Financiën</tussenkop>
  <al>De kosten bedragen € 20,1 miljoen.</al>
</kamerstuk>
"""


def test_ingest_xml_blocks_become_paragraphs(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "kst-27925-1.xml", KAMERSTUK_XML.encode()))
    assert doc.media_type == "application/xml"
    assert paragraphs(doc.text) == [
        "27925",
        "Bestrijding internationaal terrorisme",
        "BRIEF VAN DE MINISTER VAN DEFENSIE",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Den Haag, 14 september 2018",
        "Nederland levert 50 militairen aan de anti-ISIS-coalitie.",
        "Financiën",
        "De kosten bedragen € 20,1 miljoen.",
    ]


@pytest.mark.parametrize(
    "markup",
    [
        "<kamerstuk><al>Den Haag, 14 september 2018</kamerstuk>",
        "<kamerstuk><al>Nederland & de coalitie</al></kamerstuk>",
        "<kamerstuk><al>Eén</al></kamerstuk><kamerstuk/>",
    ],
)
def test_ingest_xml_malformed_is_rejected(tmp_path: Path, markup: str) -> None:
    path = write(tmp_path, "kapot.xml", markup.encode())
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert "not well-formed" in info.value.reason
    assert str(path) in str(info.value)


# --- PDF ------------------------------------------------------------------------

PAGE_1 = "Den Haag, 14 september 2018\nNederland levert 50 militairen aan de coalitie."
PAGE_2 = "De kosten bedragen EUR 20,1 miljoen voor de ge\xefntegreerde missie."


def test_ingest_pdf_pages_are_separated_by_a_form_feed(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = write(tmp_path, "brief.pdf", make_pdf([PAGE_1, PAGE_2]))
    doc = read_document(path)
    assert doc.media_type == "application/pdf"
    assert doc.text.count("\f") == 1
    first, second = doc.text.split("\f")
    assert "Den Haag, 14 september 2018" in first
    assert "Nederland levert 50 militairen aan de coalitie." in first
    assert "EUR 20,1 miljoen" in second
    assert "geïntegreerde missie" in second
    assert "militairen" not in second


def test_ingest_pdf_truncated_is_rejected(tmp_path: Path, make_pdf: MakePdf) -> None:
    data = make_pdf([PAGE_1, PAGE_2])
    path = write(tmp_path, "afgebroken.pdf", data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert "broken" in info.value.reason
    assert "truncated" in info.value.reason


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"/FlateDecode", b"/FlateDecodX"),  # pypdf: NotImplementedError
        (b"/FlateDecode", b"/Fl"),  # pypdf: DeprecationError, not a PyPdfError
    ],
)
def test_ingest_pdf_damaged_inside_is_rejected_as_broken(
    tmp_path: Path, make_pdf: MakePdf, old: bytes, new: bytes
) -> None:
    data = make_pdf([PAGE_1, PAGE_2])
    assert old in data
    path = write(tmp_path, "beschadigd.pdf", data.replace(old, new))
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.reason.startswith("broken PDF")


def test_ingest_pdf_suffix_on_a_text_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "brief.pdf", b"Den Haag, 14 september 2018\n")
    with pytest.raises(InputError, match="not a PDF"):
        read_document(path)


def test_ingest_pdf_without_text_layer_is_rejected(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = write(tmp_path, "scan.pdf", make_pdf([""]))
    with pytest.raises(InputError, match="no text layer"):
        read_document(path)


# --- files that are not documents -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.txt", b"", "empty file"),
        ("spaties.txt", b"  \r\n\t\n   \n", "empty file"),
        ("leeg.pdf", b"", "empty file"),
        ("leeg.html", b"\n", "empty file"),
        ("plaatje.txt", PNG_HEADER + b"\x00" * 64, "binary data"),
        ("plaatje.html", PNG_HEADER + b"\x00" * 64, "binary data"),
        ("plaatje.xml", PNG_HEADER + b"\x00" * 64, "binary data"),
        ("alleen-script.html", b"<html><script>x = 1;</script></html>", "no text"),
        ("alleen-tags.xml", b"<kamerstuk><al/><al> </al></kamerstuk>", "no text"),
    ],
)
def test_ingest_bad_file_raises_input_error_naming_it(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason
    assert str(info.value) == f"{path}: {info.value.reason}"


def test_ingest_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_document(tmp_path / "bestaat-niet.txt")


def test_ingest_unsupported_suffix_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "brief.rtf", b"{\\rtf1 Den Haag}")
    with pytest.raises(InputError, match="unsupported file type"):
        read_document(path)


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"Den Haag, 14 september 2018\r\n\f", False),
        ("Coördinatie € 20,1 miljoen".encode("cp1252"), False),
        (PNG_HEADER, True),
        (b"\x1b\x01\x02\x03\x04\x05 tekst", True),  # mostly control characters
    ],
)
def test_ingest_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


# --- finding the inputs -----------------------------------------------------------


def test_ingest_find_inputs_walks_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "stukken"
    for name in (
        "b-brief.txt",
        "A-BRIEF.TXT",
        "kamer/2019/verslag.html",
        "kamer/2019/bijlage.pdf",
        "kamer/kst.xml",
        "kamer/notitie.rtf",
        "README.md",
        ".verborgen.txt",
        ".git/HEAD.txt",
        "kamer/.cache/oud.txt",
    ):
        write(root, name, b"Den Haag, 14 september 2018\n")
    found, rejected = find_inputs([root])
    assert [name for name, _ in found] == [
        "A-BRIEF.TXT",
        "b-brief.txt",
        "kamer/2019/bijlage.pdf",
        "kamer/2019/verslag.html",
        "kamer/kst.xml",
    ]
    assert all(path == root / name for name, path in found)
    # a document kg does not read is named as skipped; README.md and hidden files are not
    assert [(r.path, r.skipped) for r in rejected] == [(str(root / "kamer/notitie.rtf"), True)]
    assert "kg does not read a Rich Text document (.rtf)" in rejected[0].reason


def test_ingest_find_inputs_names_a_file_by_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "map/brief.txt", b"Den Haag\n")
    assert find_inputs([path]) == ([("brief.txt", path)], [])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bestaat-niet", "no such file or folder"),
        ("notitie.rtf", "kg does not read a Rich Text document (.rtf): use .docx, .htm"),
    ],
)
def test_ingest_find_inputs_rejects_what_it_cannot_use(
    tmp_path: Path, name: str, reason: str
) -> None:
    (tmp_path / "notitie.rtf").write_bytes(b"{\\rtf1 Den Haag}")
    found, rejected = find_inputs([tmp_path / name])
    assert found == []
    assert [r.path for r in rejected] == [str(tmp_path / name)]
    assert reason in rejected[0].reason


def test_ingest_find_inputs_rejects_a_second_file_with_the_same_name(tmp_path: Path) -> None:
    first = write(tmp_path, "2019/brief.txt", b"Den Haag, 1 maart 2019\n")
    second = write(tmp_path, "2020/brief.txt", b"Den Haag, 1 maart 2020\n")
    found, rejected = find_inputs([tmp_path / "2019", tmp_path / "2020"])
    assert found == [("brief.txt", first)]
    assert [r.path for r in rejected] == [str(second)]
    assert "brief.txt" in rejected[0].reason


def test_ingest_find_inputs_takes_a_file_named_twice_once(tmp_path: Path) -> None:
    path = write(tmp_path, "brief.txt", b"Den Haag\n")
    assert find_inputs([tmp_path, path]) == ([("brief.txt", path)], [])


def test_ingest_utf16_with_byte_order_mark_is_read() -> None:
    text = "Den Haag, 15 mei 2024\r\nNederland levert één militair adviseur."
    doc = parse_bytes(text.encode("utf-16"), "text/plain", "utf16.txt")
    assert doc.text == text
    assert doc.warnings == ()


def test_ingest_folder_without_documents_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "plaatje.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    found, rejected = find_inputs([tmp_path])
    assert found == []
    assert [r.path for r in rejected] == [str(tmp_path)]
    assert "no documents" in rejected[0].reason
