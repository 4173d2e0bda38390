"""Which mission a figure is about, how that was decided, and when nothing decides it.

Sentences written for these tests in the manner of ministries and newspapers."""

from __future__ import annotations

import pytest

from kg.extract.missions import within_lifespan
from kg.ingest import parse_bytes
from kg.model import Basis, Personnel
from kg.pipeline import process

LETTER = "Den Haag, 12 maart 2019\n\n"


def personnel_of(text: str) -> list[Personnel]:
    return list(process(parse_bytes(text.encode(), "text/plain", "t.txt")).personnel)


@pytest.mark.parametrize(
    ("text", "missions"),
    [
        # a context name is the mission of the theatre its text speaks of
        ("In Afghanistan levert Nederland 160 militairen aan de NAVO-missie.", ["RS"]),
        ("Nederland levert 20 adviseurs aan de NAVO-missie in Irak.", ["NMI"]),
        ("In Litouwen draagt Nederland met 270 militairen bij aan de NAVO-missie.", ["eFP"]),
        # with no theatre at all, "NAVO-missie" names nothing
        ("Nederland levert 20 adviseurs aan de NAVO-missie.", [None]),
        # the mission in the figure's clause or governing the figure
        ("Nederland levert 150 militairen aan OIR en 50 aan NMI.", ["OIR", "NMI"]),
        (
            "Binnen OIR waren zes stafofficieren actief, terwijl bij NMI twee adviseurs werkten.",
            ["OIR", "NMI"],
        ),
        # two missions that compete and nothing decides: unknown
        ("Aan OIR en NMI levert Nederland samen zo'n 200 militairen.", [None]),
        # "de NAVO-missie daar": the place named last before it, the mission that worked
        # there most recently where none does now
        (
            "Velen dienden eerder in Afghanistan. Bij de NAVO-missie daar diende Nederland "
            "met 160 militairen.",
            ["RS"],
        ),
        (
            "Velen dienden eerder in Afghanistan. Nu levert Nederland 20 adviseurs aan de "
            "NAVO-missie in Bagdad.",
            ["NMI"],
        ),
        # "de internationale coalitie" in a text about Iraq is the anti-ISIS coalition
        (
            "De Kamer sprak over Irak. Op dit moment zijn 120 militairen bij de beveiliging "
            "betrokken. Ze maken deel uit van de internationale coalitie.",
            ["OIR"],
        ),
        # the one component whose place and role the sentence names, before the paragraph's
        (
            "Nederland neemt deel aan de NAVO-missie in Irak. Daarnaast beveiligen 150 "
            "Nederlandse militairen de luchthaven van Erbil.",
            ["OIR"],
        ),
        # "en met ..." opens a phrase of its own, with its own mission
        (
            "Nederland draagt met één adviseur bij aan NMI en met twee stafofficieren aan "
            "het hoofdkwartier van OIR in Koeweit.",
            ["NMI", "OIR"],
        ),
        # a mission the paragraph sets apart is not the figure's
        (
            "Nederland levert 3 agenten aan de Iraakse politie. Deze steun valt buiten EUAM.",
            [None],
        ),
        # training the Jordanian army, capacity building in Jordan: not the coalition's
        ("In Jordanië trainen 15 Nederlandse instructeurs het Jordaanse leger.", ["CD-Jordan"]),
        # a civilian mission does not take a count of military personnel
        ("In Kosovo zijn 4 Nederlandse militairen gestationeerd.", ["KFOR"]),
        # a civilian mission of the context takes no count of military personnel
        (
            "Verder werken in Irak Nederlanders voor de EU-adviesmissie. Nederland stuurt "
            "ook 300 militairen naar het land.",
            [None],
        ),
        # EMASOH is its own mission, not the coalition's
        (
            "Met 2 stafofficieren levert de Koninklijke Marine een bijdrage aan EMASOH.",
            ["EMASOH"],
        ),
        # "in NAVO-verband" is the NATO mission of the theatre
        ("In Irak zet Nederland 20 adviseurs in NAVO-verband in.", ["NMI"]),
        # other missions are theirs
        ("Nederland levert 250 militairen aan MINUSMA in Mali.", ["MINUSMA"]),
        ("Voor UNIFIL in Libanon stelt Nederland 3 stafofficieren beschikbaar.", ["UNIFIL"]),
    ],
)
def test_missions_of_figures(text: str, missions: list[str | None]) -> None:
    assert [f.mission for f in personnel_of(LETTER + text)] == missions


def test_missions_ambiguous_figure_says_why() -> None:
    (fact,) = personnel_of(LETTER + "Aan OIR en NMI levert Nederland samen zo'n 200 militairen.")
    assert fact.mission is None and fact.basis == Basis.AMBIGUOUS


@pytest.mark.parametrize(
    ("sentence", "mission", "basis"),
    [
        # the place has one mission: it, not the paragraph's
        ("In Litouwen staan daarnaast nog 250 militairen.", "eFP", Basis.PLACE),
        # two missions work in Mali: unknown, never OIR
        ("In Mali staan daarnaast nog 250 militairen.", None, Basis.AMBIGUOUS),
    ],
)
def test_missions_paragraph_context_is_not_taken_to_another_theatre(
    sentence: str, mission: str | None, basis: Basis
) -> None:
    text = LETTER + "De Nederlandse bijdrage aan de anti-ISIS-coalitie wordt verlengd. " + sentence
    (fact,) = personnel_of(text)
    assert (fact.mission, fact.basis) == (mission, basis)


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("Nederland levert 50 militairen aan NMI.", Basis.SENTENCE),
        ("Nederland levert 50 militairen aan het chirurgisch team.", Basis.COMPONENT),
        ("Het gaat om de NAVO-missie in Irak. Nederland levert er 5 adviseurs.", Basis.PARAGRAPH),
        ("Nederland levert 5 adviseurs.", Basis.NONE),
    ],
)
def test_missions_basis_is_recorded(text: str, basis: Basis) -> None:
    facts = personnel_of(LETTER + text)
    assert facts and facts[-1].basis == basis


def test_missions_list_items_take_the_lead_in() -> None:
    text = LETTER + (
        "Nederland draagt bij aan de NAVO-missie in Irak met:\n\n"
        "- 2 militaire adviseurs in Bagdad;\n\n"
        "- 4 civiel experts bij het ministerie van Defensie.\n"
    )
    facts = personnel_of(text)
    assert [(f.value, f.mission) for f in facts] == [(2, "NMI"), (4, "NMI")]


def test_missions_document_subject_decides_last() -> None:
    text = (
        "De EU Advisory Mission in Bagdad wordt dit jaar uitgebreid.\n\n"
        "Nederland levert 3 politiefunctionarissen."
    )
    facts = personnel_of(text)
    assert facts[-1].mission == "EUAM" and facts[-1].basis == Basis.DOCUMENT


@pytest.mark.parametrize(
    ("mission", "component", "earliest", "latest", "kept"),
    [
        ("NMI", None, "2016-01-01", "2016-12-31", (None, None, True)),
        ("NMI", None, "2019-01-01", "2019-12-31", ("NMI", None, False)),
        ("NMI", "helicopter-detachment", "2019-01-01", "2019-12-31", ("NMI", None, False)),
        (
            "NMI",
            "helicopter-detachment",
            "2024-06-01",
            "2024-12-31",
            ("NMI", "helicopter-detachment", False),
        ),
        ("OIR", "f16-detachment", "2020-01-01", "2020-12-31", ("OIR", None, False)),
        ("OIR", None, None, None, ("OIR", None, False)),
    ],
)
def test_missions_no_attribution_outside_a_lifespan(
    mission: str,
    component: str | None,
    earliest: str | None,
    latest: str | None,
    kept: tuple[str | None, str | None, bool],
) -> None:
    assert within_lifespan(mission, component, earliest, latest) == kept


def test_missions_figure_at_a_time_its_mission_did_not_exist_gets_none() -> None:
    (fact,) = personnel_of(LETTER + "In 2015 leverde Nederland 4 adviseurs aan NMI.")
    assert fact.mission is None and fact.basis == Basis.EXCLUDED


@pytest.mark.parametrize(
    ("text", "component"),
    [
        # militairen serve in every component: the one component whose typical role is
        # military (force protection at Erbil) is not theirs for that reason alone
        ("Nederland levert maximaal 50 militairen aan de anti-ISIS coalitie.", None),
        ("Nederland draagt met circa 200 militairen bij aan Operation Inherent Resolve.", None),
        # advisers are what one NMI component is made of
        ("Nederland levert zeven adviseurs aan NATO Mission Iraq.", "nmi-advisers"),
        # a component the sentence names decides
        (
            "Nederland levert circa 150 militairen voor de force protection van Erbil "
            "International Airport aan de anti-ISIS coalitie.",
            "force-protection-erbil",
        ),
    ],
)
def test_missions_a_role_of_every_component_decides_no_component(
    text: str, component: str | None
) -> None:
    (figure,) = personnel_of(text)
    assert figure.component == component
