"""Tests for kg.segment: Dutch sentence boundaries in parliamentary text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.segment import abbreviations, sentences


def split(text: str) -> list[str]:
    return [text[start:end] for start, end in sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Op 27 oktober jl. heeft de minister de Kamer over de verlenging geïnformeerd.",
        "Op 18 juli jl. een van de laatste ISIS-deelgebieden in Syrië heroverd.",
        "De brief d.d. 13 december 2022 gaat in op de NAVO-missie in Irak.",
        "Nederland levert o.a. Bagdad en Erbil stafofficieren en trainers.",
        "Landen als o.a. Australië en Finland leveren personeel aan NMI.",
        "Zie Kamerstuk 27 925, nr. 919 voor de uitgangspunten van de inzet.",
        "Zie Kamerstukken 27 925, nrs. 919 en 943 over de inzet in Irak.",
        "Er zijn ca. 150 militairen ingezet in Irak en Jordanië.",
        "De inzet loopt van 1 januari t/m 31 december 2023.",
        "De inzet loopt van 1 januari t/m. 31 december 2023 in Irak.",
        "Zie blz. 12 van de voortgangsrapportage over 2022.",
        "Partners als bijv. Finland en Zweden leveren adviseurs.",
        "De brief m.b.t. Irak en Syrië volgt in het najaar.",
        "De inzet is i.v.m. ISIS en de veiligheidssituatie verlengd.",
        "De minister van Buitenlandse Zaken, S.A. Blok, ondertekent de brief.",
        "De minister van Defensie, A.Th.B. Bijleveld-Schouten, ondertekent de brief.",
        "De minister van Defensie, drs K.H. Ollongren, ondertekent de brief.",
        "De minister van Defensie, drs. K.H. Ollongren, ondertekent de brief.",
        "De brief is ondertekend door mr. W.B. Hoekstra in Den Haag.",
        "De stabilisatie-gerelateerde inzet bedraagt circa 18 mln. euro per jaar.",
        "Nederland draagt €1,8 miljoen bij aan het UNDP Funding Facility for Stabilization.",
        "In de kampen verblijven ongeveer 239.000 ontheemden uit Ninewa.",
        "De Wereldbank schat de kosten op USD 88,2 miljard in 2018.",
        "Het gesprek vond plaats i.s.m. VN-organisaties in Bagdad.",
        "Dit gebeurt t.b.v. Iraakse en Koerdische eenheden in Erbil.",
        "De missie staat o.l.v. Denemarken sinds november 2020.",
        "De brief is verstuurd n.a.v. Kamervragen van het lid Sjoerdsma.",
        "2. Toekomst van de NAVO-missie en Operation Inherent Resolve",
        "(3. Stafofficieren in het hoofdkwartier in Bagdad)",
    ],
)
def test_segment_no_break_at_abbreviations_initials_and_numbers(text: str) -> None:
    assert split(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Het kabinet verlengt de inzet. De minister informeert de Kamer.",
            ["Het kabinet verlengt de inzet.", "De minister informeert de Kamer."],
        ),
        (
            "Is er een exit-strategie? Het kabinet gaat ervan uit dat die er is.",
            ["Is er een exit-strategie?", "Het kabinet gaat ervan uit dat die er is."],
        ),
        (
            "Hoeveel militairen zijn er? Welke taken hebben zij?",
            ["Hoeveel militairen zijn er?", "Welke taken hebben zij?"],
        ),
        (
            "ISIS is territoriaal verslagen! De strijd is echter niet voorbij.",
            ["ISIS is territoriaal verslagen!", "De strijd is echter niet voorbij."],
        ),
        (
            "De minister sprak van een “succesvolle missie.” Daarna volgde het debat.",
            ["De minister sprak van een “succesvolle missie.”", "Daarna volgde het debat."],
        ),
        (
            "De minister zei: 'Dit is een goede stap.' De Kamer stemde in.",
            ["De minister zei: 'Dit is een goede stap.'", "De Kamer stemde in."],
        ),
        (
            "De inzet wordt verlengd (zie de bijlage.) Het kabinet besluit daartoe.",
            ["De inzet wordt verlengd (zie de bijlage.)", "Het kabinet besluit daartoe."],
        ),
        (
            "Dat staat in de brief (Kamerstuk 27 925, nr. 919). De Kamer nam er kennis van.",
            ["Dat staat in de brief (Kamerstuk 27 925, nr. 919).", "De Kamer nam er kennis van."],
        ),
        (
            "De missie begon in 2014. 2015 was het eerste volle jaar van de inzet.",
            ["De missie begon in 2014.", "2015 was het eerste volle jaar van de inzet."],
        ),
        (
            "Er is ingezet op drie terreinen. 150 militairen zijn in Irak gestationeerd.",
            ["Er is ingezet op drie terreinen.", "150 militairen zijn in Irak gestationeerd."],
        ),
        (
            "Op 27 oktober jl. De minister heeft de Kamer geïnformeerd.",
            ["Op 27 oktober jl.", "De minister heeft de Kamer geïnformeerd."],
        ),
        (
            "Dat meldt de VN. De minister neemt dat over.",
            ["Dat meldt de VN.", "De minister neemt dat over."],
        ),
        (
            "Zie Kamerstuk 27 925, nr. 919. De minister verwijst daarnaar.",
            ["Zie Kamerstuk 27 925, nr. 919.", "De minister verwijst daarnaar."],
        ),
        (
            "De brief dateert van 2023. S.A. Blok ondertekende haar.",
            ["De brief dateert van 2023.", "S.A. Blok ondertekende haar."],
        ),
        (
            "Nederland draagt €1,8 miljoen bij. Dat is meer dan in 2021.",
            ["Nederland draagt €1,8 miljoen bij.", "Dat is meer dan in 2021."],
        ),
        (
            "Er zijn twee aandachtspunten. 1. Draagvlak in Irak. 2. De toekomst van OIR.",
            ["Er zijn twee aandachtspunten.", "1. Draagvlak in Irak.", "2. De toekomst van OIR."],
        ),
        (
            "Australië, Finland e.a. Zij leveren trainers.",
            ["Australië, Finland e.a.", "Zij leveren trainers."],
        ),
    ],
)
def test_segment_breaks_at_sentence_ends(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_segment_break_before_bullet() -> None:
    text = "De bijdrage bestaat uit twee delen. • Stafofficieren in Bagdad."
    assert split(text) == ["De bijdrage bestaat uit twee delen.", "• Stafofficieren in Bagdad."]


def test_segment_spans_trim_white_space() -> None:
    text = "  Het kabinet besluit.   De Kamer stemt in.  "
    assert sentences(text) == [(2, 22), (25, 43)]


def test_segment_works_on_a_window_of_the_text() -> None:
    text = "Kop. Het kabinet besluit. De Kamer stemt in. Staart."
    start = text.index("Het")
    end = text.index(" Staart")
    assert [text[s:e] for s, e in sentences(text, start, end)] == [
        "Het kabinet besluit.",
        "De Kamer stemt in.",
    ]


def test_segment_empty_and_blank_text_has_no_sentences() -> None:
    assert sentences("") == []
    assert sentences("   \n ") == []


def test_segment_abbreviation_data_is_lower_case_and_disjoint() -> None:
    never, may_end = abbreviations()
    assert {"jl.", "d.d.", "o.a.", "nr.", "ca.", "blz.", "bijv.", "m.b.t.", "i.v.m."} <= (
        never | may_end
    )
    assert "jl." in may_end
    assert not never & may_end
    assert all(entry == entry.lower() and entry.endswith(".") for entry in never | may_end)


SEGMENT_WORDS = [
    "De", "minister", "jl.", "d.d.", "13", "nr.", "919.", "Irak.", "?", "!", "S.A.", "Blok",
    "€1,8", "239.000", "(zie", "bijlage.)", "“missie.”", "2015", "•", "e.a.", "de", "in",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SEGMENT_WORDS), max_size=30).map(" ".join))
def test_segment_sentences_cover_the_text_in_order(text: str) -> None:
    spans = sentences(text)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert not text[previous:start].strip()
        previous = end
    assert not text[previous:].strip()
