"""Bad input never costs the good documents: ``kg build`` of a folder of good seeds
and bad files builds every good document, names each bad file on stderr with its
reason, shows no traceback and exits 1. Files that look bad but are documents
(Windows-1252, UTF-16, a 3 MB line, deep markup, a web page, a PDF locked only
against changes) are read, and only their text is.

One build reads all the files (the seeds are the slow part); each test asserts one
file's outcome. Builds of their own only where the case is the whole run: a path
that does not exist, a folder with nothing readable.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
# the two shortest seeds: good documents, and quick to read
GOOD_SEEDS = sorted(sorted(SEEDS_DIR.glob("*.txt"), key=lambda p: p.stat().st_size)[:2])
MakePdf = Callable[[Sequence[str]], bytes]

# Words that stand only in a web page's furniture: none of them may reach the graph.
FURNITURE = {
    "script": "Trackerscriptwoord",
    "style": "Stijlbladwoord",
    "nav": "Menubalkwoord",
    "header": "Sitekopwoord",
    "footer": "Sitevoetwoord",
    "aside": "Zijbalkwoord",
    "noscript": "Noscriptwoord",
    "role": "Kruimelpadwoord",
}
WEB_PAGE = f"""<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Nieuwsbericht | {FURNITURE["header"]}</title>
  <style>body {{ font-family: "{FURNITURE["style"]}"; }}</style>
  <script>var t = "{FURNITURE["script"]}";</script>
</head>
<body>
  <header><a href="/">{FURNITURE["header"]}</a> <form><input value="Zoeken"></form></header>
  <nav><ul><li><a href="/">{FURNITURE["nav"]}</a></li><li>Onderwerpen</li></ul></nav>
  <div role="navigation">{FURNITURE["role"]} &gt; Nieuws</div>
  <main>
    <article>
      <header><h1>Kabinet verlengt bijdrage aan trainingsmissie</h1>
        <p>Nieuwsbericht | 15-03-2023</p></header>
      <p>Nederland levert in 2023 ongeveer 25 militairen aan de NAVO-missie in Irak.</p>
      <script>document.write("{FURNITURE["script"]}");</script>
      <p>Het kabinet trekt daarvoor 12 miljoen euro uit.</p>
      <noscript>{FURNITURE["noscript"]}</noscript>
    </article>
  </main>
  <aside><h2>{FURNITURE["aside"]}</h2><p>Lees ook</p></aside>
  <footer><p>{FURNITURE["footer"]}</p><p>Contact</p></footer>
</body>
</html>
"""
ARTICLE_SENTENCES = [
    "Nederland levert in 2023 ongeveer 25 militairen aan de NAVO-missie in Irak.",
    "Het kabinet trekt daarvoor 12 miljoen euro uit.",
]
CP1252_TEXT = (
    "Den Haag, 14 september 2018\r\n\r\n"
    "De bijdrage bedraagt € 20,1 miljoen voor de geïntegreerde missie in Irak.\r\n"
)
UTF16_TEXT = "Den Haag, 15 mei 2024\r\n\r\nNederland levert één militair adviseur aan NMI.\r\n"
LONG_LINE_END = "Tot slot levert Nederland 7 stafofficieren aan NMI in Bagdad."
DEEP_TEXT = "Diep in de pagina staat dat Nederland 40 instructeurs levert."


def nested_html(depth: int, text: str) -> bytes:
    return (f"<html><body>{'<div>' * depth}<p>{text}</p>{'</div>' * depth}</body></html>").encode()


def scan_pdf() -> bytes:
    """A PDF whose one page is an image of text, with no text layer: a scan."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    for row in range(5):  # lines of "text", as a scanner sees them
        draw.rectangle((40, 30 + 30 * row, 560 - 40 * row, 42 + 30 * row), fill=0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def locked_pdf(text: str, user_password: str | None) -> bytes:
    """A PDF encrypted with an owner password, and a user password if given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.set_encryption(owner_password="eigenaar", user_password=user_password)
    return bytes(pdf.output())


@dataclass(frozen=True)
class Run:
    """A ``kg build`` and what it left."""

    inputs: Path
    out: Path
    result: Result

    def skipped(self, name: str) -> str:
        """The one line of stderr that names ``name`` as skipped."""
        lines = [
            line
            for line in self.result.stderr.splitlines()
            if line.startswith("kg: skipped ") and name in line
        ]
        assert len(lines) == 1, (name, self.result.stderr)
        return lines[0]

    def messages(self, name: str) -> list[str]:
        """The lines of stderr that say something of ``name`` (not the progress lines)."""
        return [
            line
            for line in self.result.stderr.splitlines()
            if line.startswith("kg: ") and re.search(rf"/{re.escape(name)}\b", line)
        ]

    def query(self, sparql: str) -> list[dict[str, str]]:
        done = CliRunner().invoke(cli, ["query", sparql, "--out", str(self.out), "--format", "csv"])
        assert done.exit_code == 0, done.output
        return list(csv.DictReader(io.StringIO(done.stdout)))

    def documents(self) -> list[str]:
        """The file names of the documents in the build, as the store holds them."""
        rows = self.query("SELECT ?name WHERE { ?doc kg:fileName ?name } ORDER BY ?name")
        return [row["name"] for row in rows]

    def sentences(self, name: str) -> list[str]:
        rows = self.query(
            "SELECT ?quote WHERE { ?s a kg:Sentence ; nif:anchorOf ?quote ; "
            f'kg:inDocument/kg:fileName "{name}" }}'
        )
        return [row["quote"] for row in rows]


def build(inputs: Sequence[Path], out: Path) -> Result:
    return CliRunner().invoke(cli, ["build", *map(str, inputs), "--out", str(out)])


def assert_no_traceback(result: Result) -> None:
    """The build ended on purpose: exit status 1, no exception escaped, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "internal error" not in result.output


# The bad files of the shared build, and the reason each is skipped for.
RANDOM = random.Random(20240501).randbytes(4096)
REJECTED = {
    "ruis.txt": "binary data",
    "ruis.html": "binary data",
    "ruis.xml": "binary data",
    "ruis.pdf": "not a PDF file",
    "leeg.txt": "empty file",
    "afgebroken.pdf": "truncated",
    "versleuteld.pdf": "encrypted with a password",
    "scan.pdf": "run OCR",
    "te-diep.html": "too deeply nested",
}
# Documents of types kg does not read: named as skipped, with the type. Other files
# (notes, data) are passed over in silence, as in any folder of documents.
UNREAD = {"notitie.rtf": "a Rich Text document (.rtf)", "notitie.odp": "a presentation (.odp)"}
PASSED_OVER = ["LEESMIJ.md", "gegevens.json"]
# The files that look odd but are documents: read, and in the graph.
READ = [
    "windows-1252.txt",
    "utf16.txt",
    "utf16.html",
    "lange-regel.txt",
    "diep.html",
    "webpagina.html",
    "alleen-eigenaar.pdf",
    "onzin.txt",
]
# A letter of absurd figures and impossible dates among sound ones (onzin.txt).
ABSURD_TEXT = (
    "Den Haag, 3 mei 2019\n\n"
    "Op 45 maart 2019 vertrokken 1.000.000.000.000.000 militairen naar Irak voor OIR.\n\n"
    "Op 31 februari 2019 kostte de inzet EUR 9.999.999 miljard.\n\n"
    "Op 12 maart 2019 vertrokken 150 militairen naar Irak voor OIR.\n"
)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, make_pdf: MakePdf) -> Run:
    """One build of two seeds, the bad files of REJECTED, the odd but good files of
    READ, and a path that does not exist."""
    inputs = tmp_path_factory.mktemp("mixed") / "stukken"
    inputs.mkdir()
    for seed in GOOD_SEEDS:
        shutil.copy(seed, inputs / seed.name)
    files = {
        "ruis.txt": RANDOM,
        "ruis.html": RANDOM,
        "ruis.xml": RANDOM,
        "ruis.pdf": RANDOM,
        "leeg.txt": b"",
        "afgebroken.pdf": make_pdf(["Den Haag, 1 maart 2019", "Nederland levert 50."])[:900],
        "versleuteld.pdf": locked_pdf("Nederland levert 30 militairen aan OIR.", "lezer"),
        "scan.pdf": scan_pdf(),
        "te-diep.html": nested_html(10_000, DEEP_TEXT),
        "windows-1252.txt": CP1252_TEXT.encode("cp1252"),
        "utf16.txt": UTF16_TEXT.encode("utf-16"),
        "utf16.html": f"<html><body><p>{UTF16_TEXT}</p></body></html>".encode("utf-16"),
        "lange-regel.txt": (
            "Dit is een regel zonder einde " * (3_000_000 // 30) + LONG_LINE_END
        ).encode(),
        "diep.html": nested_html(1_500, DEEP_TEXT),
        "webpagina.html": WEB_PAGE.encode(),
        "alleen-eigenaar.pdf": locked_pdf("Nederland levert 30 militairen aan OIR.", None),
        "onzin.txt": ABSURD_TEXT.encode(),
    }
    assert set(files) == set(REJECTED) | set(READ)
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    for name in [*UNREAD, *PASSED_OVER]:
        (inputs / name).write_bytes(b"PK\x03\x04 not read")
    out = tmp_path_factory.mktemp("mixed-build") / "out"
    missing = inputs.parent / "bestaat-niet"
    return Run(inputs, out, build([inputs, missing], out))


def test_bad_input_build_exits_1_without_a_traceback(mixed: Run) -> None:
    """A build with bad files among good ones ends with exit status 1 on purpose,
    names each bad file once and shows no traceback."""
    assert_no_traceback(mixed.result)
    skipped = [line for line in mixed.result.stderr.splitlines() if line.startswith("kg: skip")]
    assert len(skipped) == len(REJECTED) + len(UNREAD) + 1  # and the missing path
    assert f"{len(GOOD_SEEDS) + len(READ)} document(s)" in mixed.result.stderr


def test_bad_input_documents_of_types_kg_does_not_read_are_named_as_skipped(mixed: Run) -> None:
    """An .rtf or .odp beside the documents is named with its type and counted apart
    from the bad files in the summary (and the exit status is 1); a folder's other
    files are not documents and are passed over."""
    for name, kind in UNREAD.items():
        assert f"kg does not read {kind}: use " in mixed.skipped(name)
    for name in PASSED_OVER:
        assert mixed.messages(name) == []
    summary = mixed.result.stderr.splitlines()[-1]
    assert summary.endswith(
        f"; {len(REJECTED) + 1} rejected, {len(UNREAD)} skipped (of types kg does not read)."
    )


def test_bad_input_all_good_documents_are_in_the_graph(mixed: Run) -> None:
    """Every good document is in the store, the seeds and the odd but readable files,
    and no bad file is."""
    expected = sorted([seed.name for seed in GOOD_SEEDS] + READ)
    assert mixed.documents() == expected
    trig = (mixed.out / "graph.trig").read_text("utf-8")
    for name in REJECTED:
        assert name not in trig


@pytest.mark.parametrize("name", ["ruis.txt", "ruis.html", "ruis.xml", "ruis.pdf"])
def test_bad_input_random_bytes_are_named_as_not_a_document(mixed: Run, name: str) -> None:
    """4 KB of random bytes under any document suffix are rejected as what they are
    not (binary data, not a PDF), not taken for text."""
    line = mixed.skipped(name)
    assert str(mixed.inputs / name) in line
    assert REJECTED[name] in line


def test_bad_input_empty_file_is_named_empty(mixed: Run) -> None:
    """A file of zero bytes is skipped as an empty file."""
    assert mixed.skipped("leeg.txt").endswith(": empty file")


def test_bad_input_truncated_pdf_is_named_truncated(mixed: Run) -> None:
    """A PDF cut off after 900 bytes is skipped as broken and truncated."""
    line = mixed.skipped("afgebroken.pdf")
    assert "broken PDF" in line and "truncated" in line


def test_bad_input_pdf_with_a_password_is_named_encrypted(mixed: Run) -> None:
    """A PDF that asks for a password to open is skipped with the advice to decrypt it."""
    line = mixed.skipped("versleuteld.pdf")
    assert "encrypted with a password" in line and "decrypt it first" in line


def test_bad_input_pdf_locked_only_against_changes_is_read(mixed: Run) -> None:
    """A PDF with only an owner password opens without one, as in any PDF viewer: it
    is read, not skipped as encrypted."""
    assert mixed.messages("alleen-eigenaar.pdf") == []
    assert any("30 militairen" in s for s in mixed.sentences("alleen-eigenaar.pdf"))


def test_bad_input_pdf_without_a_text_layer_says_it_needs_ocr(mixed: Run) -> None:
    """A scanned page (an image, no text layer) is skipped with the advice to run OCR."""
    line = mixed.skipped("scan.pdf")
    assert "no text layer" in line and "OCR" in line


def test_bad_input_windows_1252_is_read_with_a_warning(mixed: Run) -> None:
    """A Windows-1252 text is decoded as such, with one warning that names it, and its
    euro sign and diaeresis reach the graph intact."""
    warnings = [
        line
        for line in mixed.result.stderr.splitlines()
        if line.startswith("kg: warning:") and "windows-1252.txt" in line
    ]
    assert len(warnings) == 1 and "Windows-1252" in warnings[0]
    assert any(
        "€ 20,1 miljoen voor de geïntegreerde" in s for s in mixed.sentences("windows-1252.txt")
    )


def test_bad_input_no_absurd_figure_or_impossible_date_reaches_the_graph(mixed: Run) -> None:
    """Of a letter with absurd figures and impossible dates only the sound figure and date
    are in the graph; each of the others is a warning that names the file."""
    doc = 'kg:inDocument/kg:fileName "onzin.txt"'
    people = mixed.query(f"SELECT ?v WHERE {{ ?f a kg:PersonnelFact ; kg:value ?v ; {doc} }}")
    money = mixed.query(f"SELECT ?v WHERE {{ ?f a kg:BudgetFact ; schema:value ?v ; {doc} }}")
    times = mixed.query(
        f"SELECT ?t WHERE {{ ?e a kg:Event ; kg:time/kg:timeValue ?t ; {doc} }} ORDER BY ?t"
    )
    assert [row["v"] for row in people] == ["150"] and money == []
    assert [row["t"] for row in times] == ["2019-03-12"]
    lines = mixed.result.stderr.splitlines()
    warnings = [line for line in lines if line.startswith("kg: warning: onzin.txt: ")]
    assert len(warnings) == 4, warnings
    assert sum("is not a date" in line for line in warnings) == 2
    assert sum("more than is plausible" in line for line in warnings) == 2


@pytest.mark.parametrize("name", ["utf16.txt", "utf16.html"])
def test_bad_input_utf16_with_a_byte_order_mark_is_read(mixed: Run, name: str) -> None:
    """UTF-16 with a byte order mark (whose NUL bytes look binary) is read as text,
    as plain text and as HTML, without a warning."""
    assert mixed.messages(name) == []
    assert any("één militair adviseur" in s for s in mixed.sentences(name))


def test_bad_input_3_mb_single_line_is_read_to_its_end(mixed: Run) -> None:
    """A 3 MB file without a line break is read whole: the figure at its very end is
    in the graph, quoted from the right characters."""
    assert mixed.messages("lange-regel.txt") == []
    rows = mixed.query(
        "SELECT ?value ?start WHERE { ?f a kg:PersonnelFact ; kg:value ?value ; "
        'nif:beginIndex ?start ; kg:inDocument/kg:fileName "lange-regel.txt" }'
    )
    text = (mixed.inputs / "lange-regel.txt").read_text("utf-8")
    assert [row["value"] for row in rows] == ["7"]
    assert text[int(rows[0]["start"]) :].startswith("7 stafofficieren")


def test_bad_input_html_nested_deeper_than_python_recursion_is_read(mixed: Run) -> None:
    """1,500 nested divs (deeper than Python's recursion limit) are read: the text at
    the bottom is in the graph."""
    assert mixed.messages("diep.html") == []
    assert DEEP_TEXT in mixed.sentences("diep.html")


def test_bad_input_html_nested_10000_deep_is_named_not_cut_short(mixed: Run) -> None:
    """10,000 nested divs, deeper than the HTML parser reads, are skipped as too deeply
    nested: no RecursionError, and no document made of the part before the limit."""
    line = mixed.skipped("te-diep.html")
    assert "too deeply nested" in line
    assert "RecursionError" not in mixed.result.output


def test_bad_input_web_page_gives_only_its_article_text(mixed: Run) -> None:
    """Of a web page only the article is read: its title and sentences are in the
    graph, and no word of the scripts, styles, navigation, header, footer or sidebar
    is anywhere in it."""
    sentences = mixed.sentences("webpagina.html")
    for sentence in ARTICLE_SENTENCES:
        assert sentence in sentences
    assert any("Kabinet verlengt bijdrage" in s for s in sentences)
    trig = (mixed.out / "graph.trig").read_text("utf-8")
    for part, word in FURNITURE.items():
        assert word not in trig, part


def test_bad_input_missing_path_is_named_beside_good_documents(mixed: Run) -> None:
    """A path that does not exist, given beside a folder of good documents, is named
    and the documents are built."""
    assert mixed.skipped("bestaat-niet").endswith(": no such file or folder")


# --- builds that are the case themselves ----------------------------------------------


def test_bad_input_missing_path_alone_creates_no_build_folder(tmp_path: Path) -> None:
    """A build of only a path that does not exist names it, says nothing was built,
    and creates no build folder that would later pass for a build."""
    out = tmp_path / "out"
    result = build([tmp_path / "bestaat-niet"], out)
    assert_no_traceback(result)
    assert f"kg: skipped {tmp_path / 'bestaat-niet'}: no such file or folder" in result.stderr
    assert "nothing built" in result.stderr
    assert not out.exists()


def test_bad_input_nothing_readable_creates_no_build_folder(tmp_path: Path) -> None:
    """A folder of only unreadable files names each with its reason and creates no
    build folder."""
    inputs = tmp_path / "stukken"
    inputs.mkdir()
    (inputs / "leeg.txt").write_bytes(b"")
    (inputs / "ruis.pdf").write_bytes(RANDOM)
    (inputs / "te-diep.html").write_bytes(nested_html(10_000, DEEP_TEXT))
    out = tmp_path / "out"
    result = build([inputs], out)
    assert_no_traceback(result)
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg: skipped")]
    assert len(lines) == 3
    assert any("leeg.txt: empty file" in line for line in lines)
    assert any("ruis.pdf: not a PDF file" in line for line in lines)
    assert any("te-diep.html" in line and "too deeply nested" in line for line in lines)
    assert "nothing built" in result.stderr
    assert not (out / "store").exists() and not (out / "graph.trig").exists()
    query = CliRunner().invoke(cli, ["query", "documents", "--out", str(out)])
    assert query.exit_code == 2 and "no kg build here" in query.stderr


def test_bad_input_nothing_readable_leaves_no_folder_behind(tmp_path: Path) -> None:
    """With no readable input, the build folder is "left as it was", as the message says:
    a folder that did not exist still does not."""
    inputs = tmp_path / "stukken"
    inputs.mkdir()
    (inputs / "leeg.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = build([inputs], out)
    assert_no_traceback(result)
    assert not out.exists()
