"""Document metadata: checked against values read by hand from each seed, and on
headers written the way other Kamerstukken write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.metadata import extract_metadata
from kg.ingest import parse_bytes, read_document
from kg.model import DocMeta
from kg.normalize import normalize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Read by hand from each document (type, date line or its absence, chamber,
# dossier and number, signatories with their offices).
EXPECTED = {
    "000_aecc147fb1b91a27.txt": {
        "type": "lijst-van-vragen-en-antwoorden",
        "date": None,  # "Vastgesteld (wordt door griffie ingevuld ...)": inferred
        "date_year": "2021",
        "chamber": "Tweede Kamer",
        "chamber_inferred": True,
        "dossier": None,
        "number": None,
        "zaken": ["2021Z08317"],
        "committee": "vaste commissie voor Defensie",
        "signatories": [
            ("Aukje de Vries", "Voorzitter van de commissie"),
            ("Mittendorff", "Adjunct-griffier van de commissie"),
        ],
        "questions": 67,
    },
    "001_1044ea1259fcd4ce.txt": {
        "type": "artikel-100-brief",
        "date": "2018-09-14",
        "chamber": "Eerste Kamer",
        "chamber_inferred": False,
        "dossier": "27 925",
        "number": "U",
        "zaken": [],
        "committee": None,
        "signatories": [
            ("S.A. Blok", "Minister van Buitenlandse Zaken"),
            ("A.Th.B. Bijleveld-Schouten", "Minister van Defensie"),
            ("S.A.M. Kaag", "Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking"),
            ("F.B.J. Grapperhaus", "Minister van Justitie en Veiligheid"),
        ],
        "questions": 0,
    },
    "002_e50b7459da8d0f59.txt": {
        "type": "lijst-van-vragen-en-antwoorden",
        "date": None,
        "date_year": "2022",
        "chamber": "Tweede Kamer",
        "chamber_inferred": True,
        "dossier": "27 925",
        "number": None,
        "about": "27 925, nr. 919",
        "zaken": ["2022Z25029"],
        "committee": "vaste commissie voor Buitenlandse Zaken",
        "signatories": [
            ("Heerema", "Voorzitter van de commissie"),
            ("Westerhoff", "Griffier van de commissie"),
        ],
        "questions": 63,
    },
    "003_7ba65e5599d72e72.txt": {
        "type": "voortgangsrapportage",
        "date": "2024-05-15",
        "chamber": "Eerste Kamer",
        "chamber_inferred": False,
        "dossier": "27 925",
        "number": "AP",
        "zaken": [],
        "committee": None,
        "signatories": [
            ("Hanke Bruins Slot", "Minister van Buitenlandse Zaken"),
            ("drs K.H. Ollongren", "Minister van Defensie"),
            (
                "Liesje Schreinemacher",
                "Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking",
            ),
        ],
        "questions": 0,
    },
    "004_ca5156e8505345f5.txt": {
        "type": "verslag-schriftelijk-overleg",
        "date": None,  # the "Den Haag" line dates the committee's letter, not the report
        "date_year": "2020",
        "chamber": "Eerste Kamer",
        "chamber_inferred": False,
        "dossier": "27 925",
        "number": "AA",
        "zaken": ["2020Z05114", "2020Z05564"],
        "committee": (
            "vaste commissie voor Buitenlandse Zaken, Defensie en Ontwikkelingssamenwerking"
        ),
        "signatories": [
            (
                "Van Luijk",
                "Griffier van de vaste commissie voor Buitenlandse Zaken, Defensie en "
                "Ontwikkelingssamenwerking",
            ),
            (
                "Van Apeldoorn",
                "Voorzitter van de vaste commissie voor Buitenlandse Zaken, Defensie en "
                "Ontwikkelingssamenwerking",
            ),
        ],
        "questions": 0,
    },
}


def meta_of(text: str) -> DocMeta:
    return extract_metadata(normalize(parse_bytes(text.encode(), "text/plain", "t.txt")))


@pytest.fixture(scope="module")
def seed_meta() -> dict[str, tuple[str, DocMeta]]:
    out = {}
    for name in EXPECTED:
        source = read_document(SEEDS / name)
        out[name] = (source.text, extract_metadata(normalize(source)))
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_seed_values(name: str, seed_meta: dict[str, tuple[str, DocMeta]]) -> None:
    expected = EXPECTED[name]
    _, meta = seed_meta[name]
    assert meta.doc_type.value == expected["type"]
    assert meta.chamber is not None
    assert meta.chamber.value == expected["chamber"]
    assert meta.chamber.inferred is expected["chamber_inferred"]
    assert (meta.dossier.value if meta.dossier else None) == expected["dossier"]
    assert (meta.number.value if meta.number else None) == expected["number"]
    assert [z.value for z in meta.zaken] == expected["zaken"]
    assert (meta.committee.value if meta.committee else None) == expected["committee"]
    assert [(s.name, s.office) for s in meta.signatories] == expected["signatories"]
    assert len(meta.questions) == expected["questions"]
    if "about" in expected:
        assert meta.about is not None and meta.about.value == expected["about"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_seed_date_stated_or_inferred_with_reason(
    name: str, seed_meta: dict[str, tuple[str, DocMeta]]
) -> None:
    expected = EXPECTED[name]
    _, meta = seed_meta[name]
    assert meta.date is not None
    if expected["date"] is not None:
        assert (meta.date.iso, meta.date.precision, meta.date.inferred) == (
            expected["date"],
            "day",
            False,
        )
        assert meta.date.evidence is not None and "Den Haag" in meta.date.evidence.text
    else:
        assert meta.date.inferred
        assert meta.date.iso.startswith(expected["date_year"])
        assert meta.date.reason  # says why and from what
        assert meta.date.evidence is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_evidence_is_the_original_text(
    name: str, seed_meta: dict[str, tuple[str, DocMeta]]
) -> None:
    text, meta = seed_meta[name]
    values = [meta.doc_type, meta.chamber, meta.dossier, meta.number, meta.title, meta.committee]
    spans = [v.evidence for v in values if v is not None and v.evidence is not None]
    spans += [s.evidence for s in meta.signatories]
    spans += [q.question for q in meta.questions] + [q.answer for q in meta.questions if q.answer]
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.text
    for signatory in meta.signatories:
        assert signatory.name in signatory.evidence.text


def test_metadata_questions_pair_numbers_with_answers(
    seed_meta: dict[str, tuple[str, DocMeta]],
) -> None:
    _, meta = seed_meta["002_e50b7459da8d0f59.txt"]
    assert [q.number for q in meta.questions] == list(range(1, 64))
    first = meta.questions[0]
    assert first.question.text.startswith("1 Is er een exit-strategie")
    assert first.answer is not None
    assert first.answer.text.startswith("Het kabinet gaat ervan uit")  # "Antwoord:" left out
    # questions answered together are printed out of order ("27" then "59")
    _, meta000 = seed_meta["000_aecc147fb1b91a27.txt"]
    assert sorted(q.number for q in meta000.questions) == list(range(1, 68))


TWEEDE_KAMER_LETTER = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2022–2023

27 925\tBestrijding internationaal terrorisme

Nr. 919\tBRIEF VAN DE MINISTERS VAN BUITENLANDSE ZAKEN EN VAN DEFENSIE

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 28 oktober 2022

In overeenstemming met artikel 100 van de Grondwet informeren wij u over het
besluit de bijdrage aan de anti-ISIS-coalitie te verlengen.

De Minister van Buitenlandse Zaken,
W.B. Hoekstra

De Minister van Defensie,
K.H. Ollongren
"""


def test_metadata_tweede_kamer_letter() -> None:
    meta = meta_of(TWEEDE_KAMER_LETTER)
    assert meta.doc_type.value == "artikel-100-brief"
    assert meta.date is not None and (meta.date.iso, meta.date.inferred) == ("2022-10-28", False)
    assert meta.chamber is not None and meta.chamber.value == "Tweede Kamer"
    assert not meta.chamber.inferred
    assert meta.dossier is not None and meta.dossier.value == "27 925"
    assert meta.number is not None and meta.number.value == "nr. 919"
    assert meta.title is not None and meta.title.value.startswith("Bestrijding internationaal")
    assert [(s.name, s.office) for s in meta.signatories] == [
        ("W.B. Hoekstra", "Minister van Buitenlandse Zaken"),
        ("K.H. Ollongren", "Minister van Defensie"),
    ]


def test_metadata_list_with_vastgesteld_date_is_stated() -> None:
    text = (
        "27 925 Bestrijding internationaal terrorisme\n\n"
        "Nr. 925 LIJST VAN VRAGEN EN ANTWOORDEN\n\n"
        "Vastgesteld 12 december 2022\n\n"
        "De vaste commissie voor Defensie heeft een aantal vragen voorgelegd.\n\n"
        "1 Hoeveel militairen zijn er in Irak?\n\n"
        "Er zijn circa 150 militairen in Irak, stand van 1 december 2022.\n\n"
        "2 Wanneer eindigt de missie?\n\nDe missie loopt tot en met 31 december 2023.\n"
    )
    meta = meta_of(text)
    assert meta.doc_type.value == "lijst-van-vragen-en-antwoorden"
    assert meta.date is not None and (meta.date.iso, meta.date.inferred) == ("2022-12-12", False)
    assert meta.committee is not None and meta.committee.value == "vaste commissie voor Defensie"
    assert [q.number for q in meta.questions] == [1, 2]
    assert meta.questions[1].answer is not None
    assert meta.questions[1].answer.text.startswith("De missie loopt")


def test_metadata_inferred_date_ignores_future_dates() -> None:
    text = (
        "Lijst van vragen en antwoorden\n\n"
        "Vastgesteld (wordt door griffie ingevuld als antwoorden er zijn)\n\n"
        "1 Wat is er gebeurd?\n\n"
        "Op 3 maart 2021 werd het akkoord getekend. De missie zal op 31 december 2023 "
        "eindigen.\n"
    )
    meta = meta_of(text)
    assert meta.date is not None and meta.date.inferred
    assert meta.date.iso == "2021-03-03"
    assert "blank" in meta.date.reason


def test_metadata_unknown_document_is_other_without_date() -> None:
    meta = meta_of("Een nieuwsbericht over de missie zonder datum of afzender.\n")
    assert meta.doc_type.value == "other"
    assert meta.date is None
    assert meta.signatories == ()
