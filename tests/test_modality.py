"""Modality: figures stated as so are kept apart from planned, expected, possible,
conditional and negated ones. Sentences written for these tests."""

from __future__ import annotations

import pytest

from kg.extract.modality import modality_of_text, with_tense
from kg.ingest import parse_bytes
from kg.model import Modality
from kg.pipeline import process

LETTER = "Den Haag, 12 maart 2019\n\n"


@pytest.mark.parametrize(
    ("sentence", "figure", "modality"),
    [
        ("Nederland levert sinds 2019 50 militairen aan de coalitie.", "50", Modality.STATED),
        ("Het kabinet overweegt 50 extra militairen te sturen.", "50", Modality.POSSIBLE),
        ("Nederland zal mogelijk niet alle 20 adviseurs kunnen leveren.", "20", Modality.NEGATED),
        (
            "Een uitbreiding tot 4000 mensen wordt niet op korte termijn verwacht.",
            "4000",
            Modality.NEGATED,
        ),
        ("Naar verwachting groeit de missie tot 570 personen.", "570", Modality.EXPECTED),
        (
            "Indien de NAVO daarom vraagt, levert Nederland 25 stafofficieren.",
            "25",
            Modality.CONDITIONAL,
        ),
        ("Nederland zal 120 militairen leveren.", "120", Modality.PLANNED),
        ("Het kabinet is voornemens 3 experts uit te zenden.", "3", Modality.PLANNED),
        # a negation in another clause states the figure
        ("Nederland levert 50 militairen, maar geen gevechtstroepen.", "50", Modality.STATED),
        # a cue that is no cue in its phrase
        ("De 30 militairen keren zo snel mogelijk terug.", "30", Modality.STATED),
        ("Het gaat om 150 militairen.", "150", Modality.STATED),
        # a cue after the figure counts in its own clause only
        ("Deze missie zal 600 personen tellen en kan worden aangepast.", "600", Modality.PLANNED),
        ("Om in deze zorg te kunnen voorzien, zijn twee artsen ingezet.", "twee", Modality.STATED),
    ],
)
def test_modality_of_sentences(sentence: str, figure: str, modality: Modality) -> None:
    assert modality_of_text(sentence, figure) == modality


def test_modality_a_time_after_the_letter_is_planned() -> None:
    assert with_tense(Modality.STATED, "2024-05-01", "2023-09-29") == Modality.PLANNED
    assert with_tense(Modality.POSSIBLE, "2024-05-01", "2023-09-29") == Modality.POSSIBLE
    assert with_tense(Modality.STATED, None, "2023-09-29") == Modality.STATED


def test_modality_of_a_change_start_is_stated() -> None:
    text = LETTER + "Het plan voorziet in de mogelijkheid van groei van 500 naar 4000 militairen."
    facts = process(parse_bytes(text.encode(), "text/plain", "t.txt")).personnel
    assert [(f.value or f.maximum, f.modality) for f in facts] == [
        (500, Modality.STATED),
        (4000, Modality.POSSIBLE),
    ]


def test_modality_reaches_the_graph_and_the_query() -> None:
    text = (
        LETTER + "Het kabinet overweegt 50 extra militairen naar de NAVO-missie in Irak te sturen."
    )
    result = process(parse_bytes(text.encode(), "text/plain", "t.txt"))
    (fact,) = result.personnel
    assert fact.modality == Modality.POSSIBLE and fact.mission == "NMI"


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Op 12 mei 2018 vonden de verkiezingen plaats.", Modality.STATED),
        ("Het kabinet overweegt de missie in 2020 te verlengen.", Modality.POSSIBLE),
        ("De F-16's keren op 1 juli 2019 terug in Jordanië.", Modality.PLANNED),  # after the letter
    ],
)
def test_modality_of_events(sentence: str, modality: Modality) -> None:
    text = LETTER + sentence
    (event,) = process(parse_bytes(text.encode(), "text/plain", "t.txt")).events
    assert event.modality == modality
