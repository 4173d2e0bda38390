"""Tests for kg.normalize: PDF text clean-up with an offset map to the original."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import parse_bytes
from kg.model import Block, BlockKind, NormDoc, SourceDoc
from kg.normalize import normalize

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def norm_of(text: str) -> NormDoc:
    return normalize(parse_bytes(text.encode(), "text/plain", "x.txt"))


def block_texts(norm: NormDoc, kind: BlockKind | None = None) -> list[str]:
    return [norm.text[b.start : b.end] for b in norm.blocks if kind is None or b.kind == kind]


def sentence_texts(norm: NormDoc) -> list[str]:
    return [norm.text[s:e] for s, e in norm.sentences]


def block_at(norm: NormDoc, original: int) -> Block:
    """The block holding the normalized character that came from ``original``."""
    for block in norm.blocks:
        if any(norm.offsets[i] == original for i in range(block.start, block.end)):
            return block
    raise AssertionError(f"original offset {original} is in no block")


def assert_offsets_hold(norm: NormDoc) -> None:
    """The invariant every later stage relies on to quote the original."""
    source = norm.source.text
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] <= len(source)
    for i, char in enumerate(norm.text):
        pos = norm.offsets[i]
        assert 0 <= pos < len(source), (i, pos)
        original = source[pos]
        assert char == original or (char.isspace() and original.isspace()), (i, char, original)
    spans = [(b.start, b.end) for b in norm.blocks] + list(norm.sentences)
    for start, end in spans:
        assert 0 <= start < end <= len(norm.text)
        span = norm.span(start, end)
        assert span.text == source[span.start : span.end]
        assert span.text[0] == norm.text[start]
        assert span.text[-1] == norm.text[end - 1]
        # The normalized characters stand in the original span, in order.
        rest = iter(span.text)
        for char in norm.text[start:end]:
            if not char.isspace():
                assert char in rest, (norm.text[start:end], span.text)
    # Blocks follow each other; only white space stands between them.
    previous_end = 0
    for block in norm.blocks:
        assert block.start >= previous_end
        assert not norm.text[previous_end : block.start].strip()
        previous_end = block.end
    assert not norm.text[previous_end:].strip()


# -- 1. the offset property ------------------------------------------------------

WORDS = [
    "de", "het", "een", "en", "van", "in", "Irak", "Syrië", "NAVO-missie", "ISIS",
    "Nederland", "militairen", "bijdrage", "geïntegreerde", "veiligheidsinzet", "Erbil",
    "Bagdad", "minister", "Kamer", "2019", "27 925,", "nr.", "919.", "USD", "88,2",
    "miljard", "Irak1", "Syrië2,", "(zie", "bijlage)", "“coalitie”", "jl.", "d.d.", "o.a.",
    "geïnte-", "greerde", "NAVO-", "veiligheids-", "stabilisatie-", "artikel", "100-",
    "brief.", "?", "•", "–", "ﬁ", "ü",
]  # fmt: skip
SPECIAL_LINES = [
    "3",
    "- 12 -",
    "Pagina 4",
    "Tweede Kamer, vergaderjaar 2022–2023, 27 925, nr. 919 3",
    "Eerste Kamer, vergaderjaar 2018–2019, 27 925, U 10",
    "1 Tweede Kamerstuk 27 925, nr. 943.",
    "2 Zie ook de brief van 28 oktober 2022.",
    "Antwoord",
    "Essentie",
    "",
    "   ",
]
word_lines = st.builds(
    lambda lead, words, tail: lead + " ".join(words) + tail,
    st.sampled_from(["", "", " ", "  ", "\t", " \t"]),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    st.sampled_from(["", "", "", " ", "-", ".", "\t"]),
)
lines = st.one_of(word_lines, st.sampled_from(SPECIAL_LINES), st.sampled_from([" 1 Zie noot."]))
pdf_texts = st.builds(
    lambda parts: "".join(line + sep for line, sep in parts),
    st.lists(
        st.tuples(lines, st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\f", "\n\f"])),
        min_size=1,
        max_size=40,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pdf_texts)
def test_normalize_offsets_map_back_to_original(text: str) -> None:
    # Built directly: parse_bytes rightly refuses blank text, normalize must not.
    source = SourceDoc("x.txt", Path("x.txt"), text, "text/plain", "0" * 64)
    assert_offsets_hold(normalize(source))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_normalize_never_raises_on_any_text(text: str) -> None:
    source = SourceDoc("x.txt", Path("x.txt"), text, "text/plain", "0" * 64)
    assert_offsets_hold(normalize(source))


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_normalize_offsets_hold_on_seeds(path: Path) -> None:
    norm = normalize(parse_bytes(path.read_bytes(), "text/plain", path.name))
    assert norm.sentences
    assert_offsets_hold(norm)


def test_normalize_seed_files_are_found() -> None:
    assert len(SEEDS) >= 5  # the parametrized seed tests would pass vacuously without them


# -- 2. hyphenation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Deze bijdragen maken deel uit van de geïnte-\ngreerde inzet in Irak.",
         "de geïntegreerde inzet"),
        ("Nederland draagt bij aan de nieuwe NAVO-\nmissie in Irak.", "de nieuwe NAVO-missie in"),
        ("De trainers werken in Noord-\nIrak met de Peshmerga.", "in Noord-Irak met"),
        ("Zoals gemeld in de artikel 100-\nbrief van 28 oktober 2022.", "de artikel 100-brief van"),
        ("Het doel is de situatie te de-\nescaleren en burgers te beschermen.",
         "te de-escaleren en"),
        ("Nederland levert stabilisatie-\nen ontwikkelingshulp aan Irak.",
         "stabilisatie- en ontwikkelingshulp"),
        ("De beschrijving van de brede veiligheids-\ninzet in Irak volgt.",
         "de brede veiligheidsinzet in"),
        ("De inzet van ISIS-\nstrijders in Syrië neemt af.", "van ISIS-strijders in"),
        ("Ondanks de COVID-\n19-uitbraak ging het werk door.", "de COVID-19-uitbraak ging"),
        ("Nederland steunt de anti-\nISIS-coalitie sinds 2014.", "de anti-ISIS-coalitie sinds"),
        ("De geïnte-\r\ngreerde inzet wordt voortgezet.", "De geïntegreerde inzet"),
        ("De NAVO-\n\nmissie in Irak wordt voortgezet.", "De NAVO-missie in Irak"),
    ],
)  # fmt: skip
def test_normalize_joins_words_broken_over_lines(raw: str, expected: str) -> None:
    norm = norm_of(raw)
    assert expected in norm.text
    assert "\n" not in norm.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Written with a hyphen elsewhere: the hyphen at the line end is real.
        ("Een aantal oud-\nstrijders keerde terug. Ook andere oud-strijders werden opgevangen.",
         "Een aantal oud-strijders keerde"),
        # Without that evidence the same break is an ordinary compound.
        ("Een aantal oud-\nstrijders keerde terug naar Irak.", "Een aantal oudstrijders keerde"),
        # Written joined elsewhere: the hyphen was only the line break.
        ("BRIEF VAN DE MINISTER VAN DEFEN-\nSIE\n\nDe minister van Defensie schrijft de Kamer.",
         "MINISTER VAN DEFENSIE"),
    ],
)  # fmt: skip
def test_normalize_hyphen_follows_how_the_document_writes_the_word(raw: str, expected: str) -> None:
    assert expected in norm_of(raw).text


def test_normalize_kept_hyphen_points_at_the_original_hyphen() -> None:
    raw = "De nieuwe NAVO-\nmissie start in oktober."
    norm = norm_of(raw)
    at = norm.text.index("NAVO-missie") + len("NAVO")
    assert raw[norm.offsets[at]] == "-"
    assert norm.span(at - 4, at + 7).text == "NAVO-\nmissie"


# -- 3. page furniture -------------------------------------------------------------

PARAGRAPH_OVER_PAGES = (
    "Het kabinet heeft besloten de Nederlandse bijdrage aan de strijd tegen ISIS\n"
    "te verlengen tot en met 31 december 2019. Daarbij gaat het om de inzet van\n"
    "{furniture}\n"
    "stafofficieren en trainers in Bagdad en Erbil.\n"
    "\n"
    "Daarnaast draagt Nederland bij aan de NAVO-missie in Irak.\n"
)


@pytest.mark.parametrize(
    ("furniture", "reason"),
    [
        ("3", "page-number"),
        ("\n12\n", "page-number"),
        ("- 4 -", "page-number"),
        ("Pagina 5", "page-number"),
        ("\fTweede Kamer, vergaderjaar 2022–2023, 27 925, nr. 919 3\n", "running-header"),
        ("Tweede Kamer, vergaderjaar 2022–2023, 27 925, nr. 919 3", "running-header"),
        ("Eerste Kamer, vergaderjaar 2018–2019, 27 925, U 10", "running-header"),
    ],
)
def test_normalize_drops_page_furniture_inside_a_paragraph(furniture: str, reason: str) -> None:
    raw = PARAGRAPH_OVER_PAGES.format(furniture=furniture)
    norm = norm_of(raw)
    assert block_texts(norm) == [
        "Het kabinet heeft besloten de Nederlandse bijdrage aan de strijd tegen ISIS te "
        "verlengen tot en met 31 december 2019. Daarbij gaat het om de inzet van "
        "stafofficieren en trainers in Bagdad en Erbil.",
        "Daarnaast draagt Nederland bij aan de NAVO-missie in Irak.",
    ]
    assert [raw[r.start : r.end] for r in norm.removals] == [furniture.strip()]
    assert [r.reason for r in norm.removals] == [reason]


def test_normalize_sentence_cut_by_a_page_number_continues_with_a_capital() -> None:
    raw = (
        "De Iraakse regering heeft de coalitie gevraagd in Irak te blijven. De huidige\n"
        "\n"
        "3\n"
        " Iraakse regering heeft geen officieel standpunt ingenomen over de motie.\n"
    )
    norm = norm_of(raw)
    assert sentence_texts(norm) == [
        "De Iraakse regering heeft de coalitie gevraagd in Irak te blijven.",
        "De huidige Iraakse regering heeft geen officieel standpunt ingenomen over de motie.",
    ]
    assert len(norm.blocks) == 1


def test_normalize_page_number_after_a_full_sentence_keeps_the_paragraph_break() -> None:
    raw = (
        "Het kabinet verlengt de bijdrage aan de anti-ISIS-coalitie tot eind 2023.\n"
        "\n"
        "4\n"
        "\n"
        "De Kamer wordt over de voortgang van de missie in Irak geïnformeerd.\n"
    )
    assert len(norm_of(raw).blocks) == 2


def test_normalize_keeps_a_year_on_a_line_of_its_own() -> None:
    norm = norm_of("De inzet in Irak loopt door tot en met\n2019\nen wordt daarna geëvalueerd.\n")
    assert norm.text == "De inzet in Irak loopt door tot en met 2019 en wordt daarna geëvalueerd."
    assert norm.removals == ()


def test_normalize_keeps_numbers_that_are_part_of_a_line() -> None:
    norm = norm_of("In 2023 worden circa\n150 militairen ingezet in Irak en Jordanië.\n")
    assert norm.text == "In 2023 worden circa 150 militairen ingezet in Irak en Jordanië."
    assert norm.removals == ()


# -- 4. footnotes ------------------------------------------------------------------

FOOTNOTE_PAGE = (
    "Nederland levert sinds 2014 een bijdrage aan de strijd tegen ISIS in Irak1 en\n"
    "Syrië. Deze bijdrage is in de afgelopen jaren steeds met een jaar verlengd en\n"
    "\n"
    "1 Tweede Kamerstuk 27 925, nr. 943.\n"
    "{page_break}"
    "wordt in 2023 voortgezet met stafofficieren in Bagdad.\n"
    "\n"
    "De Kamer wordt jaarlijks over de voortgang geïnformeerd.\n"
)


@pytest.mark.parametrize("page_break", [" ", "\f", "\n\f"], ids=["indent", "formfeed", "blank+ff"])
def test_normalize_moves_footnote_out_of_the_paragraph(page_break: str) -> None:
    raw = FOOTNOTE_PAGE.format(page_break=page_break)
    norm = norm_of(raw)
    assert [(b.kind, norm.text[b.start : b.end], b.number) for b in norm.blocks] == [
        (
            BlockKind.PARAGRAPH,
            "Nederland levert sinds 2014 een bijdrage aan de strijd tegen ISIS in Irak en "
            "Syrië. Deze bijdrage is in de afgelopen jaren steeds met een jaar verlengd en "
            "wordt in 2023 voortgezet met stafofficieren in Bagdad.",
            None,
        ),
        (BlockKind.PARAGRAPH, "De Kamer wordt jaarlijks over de voortgang geïnformeerd.", None),
        (BlockKind.FOOTNOTE, "1 Tweede Kamerstuk 27 925, nr. 943.", 1),
    ]
    assert not any("Kamerstuk" in sentence for sentence in sentence_texts(norm))
    marker = [r for r in norm.removals if r.reason == "footnote-marker"]
    assert [(raw[r.start - 4 : r.start], raw[r.start : r.end]) for r in marker] == [("Irak", "1")]


def test_normalize_numbers_several_footnotes_on_one_page() -> None:
    raw = (
        "De coalitie2 is in 2014 opgericht. Nederland neemt deel aan de NAVO-missie3 in\n"
        "Bagdad en aan Operation Inherent Resolve.\n"
        "\n"
        "2 Kamerstuk 27 925, nr. 506.\n"
        "3 NATO Mission Iraq (NMI).\n"
        "\f"
        "De Kamer is hierover geïnformeerd.\n"
    )
    # the first note of a document may be number 2 when note 1 fell on a lost page
    norm = norm_of(raw)
    notes = [(b.number, norm.text[b.start : b.end]) for b in norm.blocks if b.kind == "footnote"]
    assert notes == [(2, "2 Kamerstuk 27 925, nr. 506."), (3, "3 NATO Mission Iraq (NMI).")]
    assert "De coalitie is in 2014 opgericht." in norm.text
    assert "de NAVO-missie in Bagdad" in norm.text


@pytest.mark.parametrize(
    "before",
    [
        "De Wereldbank schat de wederopbouwkosten in Irak op USD 88,2 miljard.",
        "De stabilisatie-gerelateerde inzet bedroeg circa 18 mln. euro in 2022.",
        "In 2022 is EUR 2,5 miljoen aan de FFS bijgedragen.",
    ],
)
def test_normalize_numbered_question_is_not_a_footnote(before: str) -> None:
    raw = (
        f"{before}\n"
        "\n"
        "2 Hoeveel militairen worden in 2023 ingezet in de NAVO-missie?\n"
        "\f"
        "Antwoord\n"
        "In 2023 worden circa 150 militairen ingezet.\n"
    )
    norm = norm_of(raw)
    assert not any(b.kind == BlockKind.FOOTNOTE for b in norm.blocks)
    assert "2 Hoeveel militairen worden in 2023 ingezet in de NAVO-missie?" in sentence_texts(norm)
    assert before in norm.text
    assert not [r for r in norm.removals if r.reason == "footnote-marker"]


# -- 5. repeated blocks -------------------------------------------------------------

ANSWER_1 = (
    "Ja, Australië, Finland en Zweden leveren respectievelijk twee, vier en één persoon\n"
    "aan de NAVO-missie in Irak."
)
ANSWER_2 = (
    "Voor de Nederlandse Ground Movement Teams gelden Nederlandse richtlijnen voor de\n"
    "medische afvoerketen, onder zorg van een Nederlandse militaire verpleegkundige."
)
QUESTIONS = (
    "1 Leveren andere landen ook personeel aan de NAVO-missie?\n\nAntwoord\n"
    f"{ANSWER_1}\n\n"
    "2 Welke richtlijnen gelden voor de medische afvoer?\n\nAntwoord\n"
    f"{ANSWER_2}\n\n"
    "3 Hoe lang blijft de missie in Irak?\n\nAntwoord\nZie het antwoord op vraag 1.\n"
)


def test_normalize_marks_repeated_answers_at_the_end() -> None:
    tail = "\t" + ANSWER_1.replace("\n", " ") + "\n\tAntwoord\n\t" + ANSWER_2.replace("\n", " ")
    norm = norm_of(QUESTIONS + tail + "\n")
    kinds = [(b.kind, norm.text[b.start : b.end]) for b in norm.blocks]
    assert kinds[-3:] == [
        (BlockKind.REPEAT, ANSWER_1.replace("\n", " ")),
        (BlockKind.REPEAT, "Antwoord"),
        (BlockKind.REPEAT, ANSWER_2.replace("\n", " ")),
    ]
    assert all(kind != BlockKind.REPEAT for kind, _ in kinds[:-3])
    sentences = sentence_texts(norm)
    assert sum("Australië, Finland en Zweden" in s for s in sentences) == 1
    assert sum("verpleegkundige" in s for s in sentences) == 1
    assert sentences[-1] == "Zie het antwoord op vraag 1."


def test_normalize_does_not_mark_repeated_short_phrases_or_headings() -> None:
    heading = "Nederlandse bijdrage aan de internationale anti-ISIS-coalitie in Irak en Syrië"
    raw = (
        f"{heading}\n\n"
        "Het kabinet verlengt de bijdrage aan de coalitie tot en met 31 december 2023.\n\n"
        "Zie het antwoord op vraag 3.\n\n"
        f"{heading}\n\n"
        "De inzet in Jordanië wordt in 2024 afgebouwd, zoals eerder aan de Kamer gemeld.\n\n"
        "Zie het antwoord op vraag 3.\n"
    )
    norm = norm_of(raw)
    assert not any(b.kind == BlockKind.REPEAT for b in norm.blocks)
    assert block_texts(norm, BlockKind.HEADING) == [heading, heading]
    assert sentence_texts(norm).count("Zie het antwoord op vraag 3.") == 2


def test_normalize_marks_the_repeated_tail_of_seed_002() -> None:
    path = next(p for p in SEEDS if p.name.startswith("002_"))
    norm = normalize(parse_bytes(path.read_bytes(), "text/plain", path.name))
    source = norm.source.text
    tab_lines = [i + 1 for i, char in enumerate(source) if char == "\t" and source[i - 1] == "\n"]
    assert len(tab_lines) >= 3
    for start in tab_lines:
        assert block_at(norm, start).kind == BlockKind.REPEAT, source[start : start + 60]
    last = norm.sentences[-1]
    assert norm.text[last[0] : last[1]] == "Zie de antwoorden op vragen 3 en 25."
    # the repeated answers stood earlier in the document as running text
    assert any(b.kind == BlockKind.PARAGRAPH for b in norm.blocks[:-4])


# -- 6. headings and paragraphs -------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["no-blank", "blank"])
def test_normalize_short_line_before_text_is_a_heading(gap: str) -> None:
    raw = (
        "Den Haag, 14 september 2018\n\n"
        f"Essentie{gap}"
        "In het kader van de bevordering van de internationale rechtsorde levert\n"
        "Nederland sinds 2014 een bijdrage aan de strijd tegen ISIS in Irak en Syrië.\n"
    )
    norm = norm_of(raw)
    assert [(b.kind, norm.text[b.start : b.end]) for b in norm.blocks][1:] == [
        (BlockKind.HEADING, "Essentie"),
        (
            BlockKind.PARAGRAPH,
            "In het kader van de bevordering van de internationale rechtsorde levert "
            "Nederland sinds 2014 een bijdrage aan de strijd tegen ISIS in Irak en Syrië.",
        ),
    ]


def test_normalize_heading_before_a_numbered_item() -> None:
    raw = (
        "De verslechterde veiligheidssituatie heeft de discussie in Irak over de\n"
        "buitenlandse troepenpresentie weer doen oplaaien, aldus het kabinet.\n"
        "\n"
        "Aandachtspunten\n"
        "1. Draagvlak voor de buitenlandse troepen\n"
        "De internationale troepen in Irak opereren op uitnodiging van de Iraakse\n"
        "regering. Pro-Iraanse facties zijn tegenstander van hun aanwezigheid.\n"
    )
    norm = norm_of(raw)
    assert [(b.kind, norm.text[b.start : b.end]) for b in norm.blocks][1:3] == [
        (BlockKind.HEADING, "Aandachtspunten"),
        (BlockKind.PARAGRAPH, "1. Draagvlak voor de buitenlandse troepen"),
    ]
    assert "1. Draagvlak voor de buitenlandse troepen" in sentence_texts(norm)


def test_normalize_answer_label_between_question_and_answer_stands_alone() -> None:
    raw = (
        "59 Klopt het dat in het kamp Al-Hol sprake is van arbitraire detentie van\n"
        "meer dan 50.000 mensen?\n"
        "Antwoord\n"
        "Het kabinet beschikt niet over die informatie en kan de situatie als gemeld\n"
        "dan ook niet bevestigen of beoordelen.\n"
    )
    norm = norm_of(raw)
    assert [(b.kind, norm.text[b.start : b.end]) for b in norm.blocks] == [
        (
            BlockKind.PARAGRAPH,
            "59 Klopt het dat in het kamp Al-Hol sprake is van arbitraire detentie van "
            "meer dan 50.000 mensen?",
        ),
        (BlockKind.HEADING, "Antwoord"),
        (
            BlockKind.PARAGRAPH,
            "Het kabinet beschikt niet over die informatie en kan de situatie als gemeld "
            "dan ook niet bevestigen of beoordelen.",
        ),
    ]


def test_normalize_double_spaced_text_still_forms_paragraphs() -> None:
    raw = (
        "Het kabinet heeft besloten de Nederlandse bijdrage aan de strijd tegen ISIS\n\n"
        "te verlengen tot en met 31 december 2019.\n\n"
        "Daarbij gaat het om de inzet van stafofficieren en\n\n"
        "trainers in Bagdad en Erbil.\n\n"
        "\n\n"
        "De NAVO-missie in Irak, die in oktober van start gaat,\n\n"
        "richt zich op de Iraakse militaire opleidingsinstituten.\n\n"
    )
    norm = norm_of(raw)
    assert block_texts(norm) == [
        "Het kabinet heeft besloten de Nederlandse bijdrage aan de strijd tegen ISIS te "
        "verlengen tot en met 31 december 2019. Daarbij gaat het om de inzet van "
        "stafofficieren en trainers in Bagdad en Erbil.",
        "De NAVO-missie in Irak, die in oktober van start gaat, richt zich op de Iraakse "
        "militaire opleidingsinstituten.",
    ]


def test_normalize_single_spaced_blank_line_separates_paragraphs() -> None:
    raw = (
        "Het kabinet heeft besloten de Nederlandse bijdrage aan de strijd tegen ISIS\n"
        "te verlengen tot en met 31 december 2019.\n"
        "\n"
        "Daarbij gaat het om de inzet van stafofficieren en trainers in Bagdad.\n"
    )
    assert len(norm_of(raw).blocks) == 2


@pytest.mark.parametrize(("colon", "semicolon"), [(":", ";"), ("", "")], ids=["punct", "bare"])
def test_normalize_bullets_start_new_paragraphs(colon: str, semicolon: str) -> None:
    raw = (
        f"De Nederlandse bijdrage in 2023 bestaat uit{colon}\n"
        f"• stafofficieren in het hoofdkwartier van de coalitie in Bagdad{semicolon}\n"
        "• trainers voor de Koerdische\n"
        f"strijdkrachten in Erbil{semicolon}\n"
        "• een beveiligingsteam voor de NAVO-missie.\n"
    )
    assert block_texts(norm_of(raw)) == [
        f"De Nederlandse bijdrage in 2023 bestaat uit{colon}",
        f"• stafofficieren in het hoofdkwartier van de coalitie in Bagdad{semicolon}",
        f"• trainers voor de Koerdische strijdkrachten in Erbil{semicolon}",
        "• een beveiligingsteam voor de NAVO-missie.",
    ]


def test_normalize_sentences_run_over_line_breaks_and_cr_lf() -> None:
    raw = (
        "Op 18 juli jl. werd een van de laatste\r\n"
        "ISIS-deelgebieden in Syrië heroverd. De operatie\r\n"
        "is in september gestart.\r\n"
    )
    norm = norm_of(raw)
    assert sentence_texts(norm) == [
        "Op 18 juli jl. werd een van de laatste ISIS-deelgebieden in Syrië heroverd.",
        "De operatie is in september gestart.",
    ]
    first = norm.span(*norm.sentences[0])
    assert first.text == raw[: raw.index("heroverd.") + len("heroverd.")]
