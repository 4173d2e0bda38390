"""Personnel and budget extraction on Dutch sentences written for these tests:
the hard cases, rewordings as another ministry or a newspaper would write them,
and sentences that must yield nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.ingest import parse_bytes
from kg.model import Budget, Personnel
from kg.pipeline import process


def personnel_of(text: str) -> list[Personnel]:
    return list(process(parse_bytes(text.encode(), "text/plain", "t.txt")).personnel)


def budgets_of(text: str) -> list[Budget]:
    return list(process(parse_bytes(text.encode(), "text/plain", "t.txt")).budgets)


def fields(fact: Personnel) -> dict[str, object]:
    return {
        "value": fact.value,
        "min": fact.minimum,
        "max": fact.maximum,
        "qualifier": fact.qualifier,
        "role": fact.role,
        "country": fact.country,
        "scope": fact.scope,
        "mission": fact.mission,
        "component": fact.component,
    }


PERSONNEL = [
    (
        "Nederland levert maximaal 50 militairen aan de anti-ISIS-coalitie.",
        [{"max": 50, "qualifier": "max", "role": "military", "mission": "OIR", "country": "NL"}],
    ),
    (
        "De Nederlandse bijdrage aan de NAVO-missie in Irak bestaat uit circa "
        "honderdvijfenveertig militairen.",
        [{"value": 145, "qualifier": "approx", "mission": "NMI"}],
    ),
    (
        "Het detachement Special Operations Forces in Bagdad bestaat uit drie tot twaalf personen.",
        [{"min": 3, "max": 12, "qualifier": "range", "role": "person", "component": "sof-baghdad"}],
    ),
    (
        "Australië, Finland en Zweden leveren respectievelijk twee, vier en één persoon aan NMI.",
        [
            {"value": 2, "country": "AU", "mission": "NMI"},
            {"value": 4, "country": "FI", "mission": "NMI"},
            {"value": 1, "country": "SE", "mission": "NMI"},
        ],
    ),
    (
        "Nederland draagt met één militair adviseur bij aan de hervorming van het Ministry of "
        "Peshmerga Affairs.",
        [{"value": 1, "role": "adviser", "mission": "MoPA", "component": "mopa-adviser"}],
    ),
    (
        "Ruim 100 Nederlandse militairen zijn ingezet voor Operation Inherent Resolve.",
        [{"min": 100, "qualifier": "min", "mission": "OIR"}],
    ),
    (
        "Nederland levert momenteel een civiel expert aan EUAM.",
        [
            {
                "value": 1,
                "role": "civilian_expert",
                "mission": "EUAM",
                "component": "civilian-experts",
            }
        ],
    ),
    (
        "Er werken in totaal 593 personen voor NMI.",
        [{"value": 593, "scope": "mission_total", "country": None, "mission": "NMI"}],
    ),
    (
        "Zo'n 150 Nederlandse militairen beveiligen voor de coalitie tegen ISIS het vliegveld.",
        [{"value": 150, "qualifier": "approx", "mission": "OIR"}],
    ),
    (
        "Ten hoogste twintig adviseurs mogen deelnemen aan de NAVO-missie in Irak.",
        [{"max": 20, "qualifier": "max", "role": "adviser", "mission": "NMI"}],
    ),
    (
        "Het kabinet stuurt vier politiefunctionarissen naar de EU Advisory Mission.",
        [{"value": 4, "role": "police_officer", "mission": "EUAM", "component": "police-officers"}],
    ),
    (
        "Denemarken levert 100 militairen aan de anti-ISIS coalitie.",
        [{"value": 100, "country": "DK", "mission": "OIR"}],
    ),
    (
        "Binnen OIR zijn zes Nederlandse stafofficieren actief.",
        [{"value": 6, "role": "staff_officer", "mission": "OIR", "component": "staff-officers"}],
    ),
    (
        "De NAVO-missie in Irak breidt uit. De missie groeit tot ongeveer 570 personen.",
        [{"value": 570, "qualifier": "approx", "scope": "mission_total", "mission": "NMI"}],
    ),
    (
        "In Irak levert Nederland tot ongeveer 20 militairen en civiel experts aan de NAVO-missie.",
        [{"max": 20, "qualifier": "max", "role": "person", "mission": "NMI"}],
    ),
    (
        "Het SOF-detachement in Bagdad telt 3 - 12 operators voor OIR.",
        [{"min": 3, "max": 12, "role": "operator", "mission": "OIR", "component": "sof-baghdad"}],
    ),
    (
        "Chirurgisch team\n\nHet team telt ongeveer tien mensen en werkt in West-Irak.",
        [{"value": 10, "qualifier": "approx", "mission": "OIR", "component": "surgical-team"}],
    ),
    (
        "Nederland stuurt twee extra militairen naar de Ground Movement Teams van OIR.",
        [{"value": 2, "mission": "OIR", "component": "ground-movement-teams"}],
    ),
    (
        "Aan EUAM leveren wij drie civiele experts.",
        [{"value": 3, "role": "civilian_expert", "mission": "EUAM"}],
    ),
    (
        "Ongeveer 45 militairen verzorgen vanuit Nederland de PED-capaciteit voor de coalitie "
        "tegen ISIS.",
        [{"value": 45, "qualifier": "approx", "mission": "OIR", "component": "ped"}],
    ),
    (
        "De Target Support Cell bestaat uit negen militairen.",
        [{"value": 9, "mission": "OIR", "component": "target-support-cell"}],
    ),
    (
        "Nederland draagt met dertien adviseurs bij aan NATO Mission Iraq (NMI).",
        [{"value": 13, "role": "adviser", "mission": "NMI", "component": "nmi-advisers"}],
    ),
    (
        "Lijst van vragen en antwoorden\n\n1 Hoeveel Nederlanders werken bij EUAM?\n\n"
        "Momenteel zijn dat vier civiele experts.\n",
        [{"value": 4, "role": "civilian_expert", "mission": "EUAM"}],
    ),
    (
        "Minder dan 10 adviseurs blijven bij de NAVO-missie in Bagdad.",
        [{"max": 10, "qualifier": "max", "mission": "NMI"}],
    ),
    (
        "Het kabinet is voornemens een militair adviseur in te zetten bij de Peshmerga Reform.",
        [{"value": 1, "role": "adviser", "mission": "MoPA"}],
    ),
    (
        "Duitsland, het Verenigd Koninkrijk en de Verenigde Staten leveren respectievelijk vijf, "
        "zes en veertig adviseurs aan de Multinational Advisory Group.",
        [
            {"value": 5, "country": "DE", "mission": "MoPA"},
            {"value": 6, "country": "GB", "mission": "MoPA"},
            {"value": 40, "country": "US", "mission": "MoPA"},
        ],
    ),
    # after a word of change "tot" names the strength reached, however far the verb is
    (
        "Naar verwachting groeit de Nederlandse bijdrage aan NMI volgend jaar tot acht personen.",
        [{"value": 8, "qualifier": "exact", "mission": "NMI"}],
    ),
    (
        "Daarmee loopt het aantal Nederlandse militairen in Irak tijdelijk op tot ongeveer 175.",
        [{"value": 175, "qualifier": "approx", "role": "military"}],
    ),
    (
        "Vanaf mei wordt de bijdrage aan OIR uitgebreid tot maximaal 350 militairen.",
        [{"max": 350, "qualifier": "max", "mission": "OIR"}],
    ),
    # the number of "het aantal ..." stated after the noun
    (
        "Daarmee komt het aantal Nederlandse politiemensen bij EUAM op zes.",
        [{"value": 6, "role": "police_officer", "mission": "EUAM"}],
    ),
    ("Het aantal aanslagen in Bagdad daalde tot 30.", []),
    (
        "De NAVO-missie in Irak telt ongeveer zevenhonderd militairen en burgers.",
        [{"value": 700, "qualifier": "approx", "role": "person", "mission": "NMI"}],
    ),
    (
        "Per 1 juli neemt een lichting van anderhalf honderd luchtmobielers het werk bij OIR over.",
        [{"value": 150, "role": "military", "mission": "OIR"}],
    ),
    (
        "Nederland levert niet meer dan tien extra militairen aan NMI.",
        [{"max": 10, "qualifier": "max", "mission": "NMI"}],
    ),
    (
        "Voor EUAM werkt één Nederlandse kolonel als adviseur in Bagdad.",
        [{"value": 1, "role": "adviser", "mission": "EUAM"}],
    ),
    # where a change goes from and to is two figures, not a range
    (
        "In 2022 groeide de Nederlandse bijdrage aan eFP van 270 tot 350 militairen.",
        [{"value": 270, "mission": "eFP"}, {"value": 350, "mission": "eFP"}],
    ),
    (
        "Het kabinet verhoogt het personeelsplafond voor eFP van 270 naar 350 militairen.",
        [{"max": 270, "qualifier": "max"}, {"max": 350, "qualifier": "max"}],
    ),
    (
        "Bij OIR werken meestal drie of vier Nederlanders.",
        [{"min": 3, "max": 4, "qualifier": "range", "mission": "OIR"}],
    ),
    (
        "Bij OIR zijn ongeveer 150 Nederlandse 'Rode Baretten' actief.",
        [{"value": 150, "role": "operator", "mission": "OIR"}],
    ),
    (
        "Nederland levert 30 militairen en civiele experts aan OIR.",
        [{"value": 30, "role": "person", "mission": "OIR"}],
    ),
    (
        "België levert 30 militairen aan de NAVO-missie in Irak, Noorwegen en Denemarken "
        "sturen elk zo’n 50.",
        [{"value": 30, "country": "BE"}, {"country": "NO"}, {"country": "DK"}],
    ),
    # the country that has or forms the figure, a few words before it
    ("Duitsland heeft ongeveer 150 militairen in Erbil voor OIR.", [{"country": "DE"}]),
    ("De Amerikanen hebben voor OIR nog zo'n 2500 militairen in Irak.", [{"country": "US"}]),
    (
        "Noorwegen levert daarna mogelijk een eenheid van 60 tot 80 militairen aan OIR.",
        [{"country": "NO", "min": 60, "max": 80}],
    ),
    ("In overleg met Duitsland levert Nederland 50 militairen aan OIR.", [{"country": "NL"}]),
    # a place is no contributor, nor is a country inside a mission's name
    (
        "Zr.Ms. Tromp vertrekt voor Atalanta naar de Golf van Aden, met een bemanning van "
        "circa 150 mannen en vrouwen.",
        [{"country": "NL", "mission": "Atalanta"}],
    ),
    (
        "De NAVO overweegt de NATO Mission Iraq te laten groeien tot ongeveer 4000 mensen.",
        [{"country": None, "scope": "mission_total", "mission": "NMI"}],
    ),
    (
        "Het kabinet wil de bijdrage aan de NATO Mission Iraq uitbreiden met een compagnie "
        "van 150 militairen.",
        [{"country": "NL", "scope": "contribution", "mission": "NMI"}],
    ),
    # a return of personnel is no veto; returnees without a role are
    (
        "Met de terugkeer van de laatste zeven stafofficieren uit Bamako eindigt MINUSMA.",
        [{"value": 7, "role": "staff_officer"}],
    ),
    ("In juli 2016 kwamen twee militairen van MINUSMA om bij een ongeluk.", []),
    ("Nederland levert sinds 2017 militairen aan eFP in Litouwen.", []),
    # a year after a month is no count
    ("Nederland leverde van 1 januari 2015 tot eind juni 2021 militairen aan RS.", []),
    # a bare number after "ten hoogste", "hun aantal", "van wie"
    (
        "Het gaat om 160 militairen voor OIR en ten hoogste 25 voor NMI.",
        [{"value": 160, "mission": "OIR"}, {"max": 25, "mission": "NMI"}],
    ),
    (
        "Nederland levert 60 trainers aan OIR. Hun aantal werd per 1 april 2019 teruggebracht "
        "van zestig naar vijftig.",
        [{"value": 60}, {"value": 60}, {"value": 50}],
    ),
    (
        "Nederland stuurt 150 militairen naar OIR, van wie ruim honderd van de 11 Luchtmobiele "
        "Brigade.",
        [{"value": 150}, {"min": 100, "qualifier": "min"}],
    ),
    (
        "In Bagdad trainden drie tot twaalf Nederlandse commandotroepen voor OIR Iraakse eenheden.",
        [{"min": 3, "max": 12, "role": "operator"}],
    ),
    ("Het detachement in Jordanië telt ongeveer 250 militairen.", [{"mission": "OIR"}]),
    (
        "Voor de NAVO-missie in Irak stelt Nederland 2 stafofficieren en 1 liaison officer "
        "beschikbaar.",
        [
            {"value": 2, "role": "staff_officer", "mission": "NMI"},
            {"value": 1, "role": "liaison_officer", "mission": "NMI"},
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), PERSONNEL)
def test_extract_personnel(text: str, expected: list[dict[str, object]]) -> None:
    facts = personnel_of(text)
    assert len(facts) == len(expected), [fields(f) for f in facts]
    for fact, want in zip(facts, expected, strict=True):
        got = fields(fact)
        assert {key: got[key] for key in want} == want


NOT_PERSONNEL = [
    "Er bevinden zich nog circa 100 Nederlandse uitreizigers in Syrië.",
    "In de kampen verblijven nog circa 158.000 ontheemden.",
    "Met 128 van de 285 zetels werden de partijen de grootste.",
    "De opkomst was 45 procent, de laagste sinds 2003.",
    "ISIS beschikt nog over 1.500 tot 2.000 strijders in Irak en Syrië.",
    "Zie Kamerstuk 27 925, nr. 919 en artikel 100 van de Grondwet.",
    "Nederland zet vier F-16's in boven Irak en Syrië.",
    "Sinds 2012 zijn circa 300 personen met jihadistische intenties uitgereisd.",
    "Bij de aanval kwamen twee Amerikaanse militairen om het leven.",
    "In 2019 werden 5.000 Peshmerga getraind door de coalitie.",
    "De VN schat dat 1,1 miljoen mensen nog altijd ontheemd zijn.",
    "Het kabinet besloot een bijdrage te leveren aan de missie.",
    "De minister sprak op 12 mei met een Iraakse collega.",
    "De wederopbouw van meer dan elf miljoen mensen werd gesteund.",
    "Bij de demonstraties vielen honderden doden en 600 gewonden.",
]


@pytest.mark.parametrize("text", NOT_PERSONNEL)
def test_extract_personnel_yields_nothing(text: str) -> None:
    assert personnel_of(text) == []


BUDGETS = [
    (
        "De uitgaven van de inzet in Irak bedroegen in 2023 €20,1 miljoen, waarvan €18,3 miljoen "
        "voor OIR en €1,8 miljoen voor NMI.",
        [
            {"amount": Decimal(20100000), "year": "2023", "mission": None, "purpose": "military"},
            {"amount": Decimal(18300000), "year": "2023", "mission": "OIR"},
            {"amount": Decimal(1800000), "year": "2023", "mission": "NMI"},
        ],
    ),
    (
        "Voor de NAVO-missie in Irak is in 2020 EUR 239.000,- uitgegeven.",
        [{"amount": Decimal(239000), "currency": "EUR", "mission": "NMI", "year": "2020"}],
    ),
    (
        "De Wereldbank schat de wederopbouwkosten op USD 88,2 miljard.",
        [{"amount": Decimal(88200000000), "currency": "USD", "purpose": "reconstruction_estimate"}],
    ),
    (
        "Voor stabilisatie was in 2022 circa 18 mln. euro beschikbaar.",
        [{"amount": Decimal(18000000), "purpose": "stabilisation", "year": "2022"}],
    ),
    (
        "Van 2014 tot en met 2020 kostte de militaire inzet in totaal EUR 385 miljoen.",
        [{"amount": Decimal(385000000), "year": "2014/2020", "purpose": "military"}],
    ),
    (
        "Nederland besteedt jaarlijks 15 miljoen euro aan het PROSPECTS-partnerschap.",
        [{"amount": Decimal(15000000), "recurring": True, "purpose": "development"}],
    ),
    (
        "Het kabinet trekt 24,6 miljoen euro uit voor humanitaire hulp in Irak.",
        [{"amount": Decimal(24600000), "purpose": "humanitarian"}],
    ),
    (
        "Den Haag, 1 mei 2023\n\nDe missie kost dit jaar 12 miljoen euro, meldt het ministerie.",
        [{"amount": Decimal(12000000), "year": "2023"}],
    ),
    (
        "Voor de F-16-inzet is 10 miljoen dollar geraamd.",
        [{"amount": Decimal(10000000), "currency": "USD", "component": "f16-detachment"}],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BUDGETS)
def test_extract_budgets(text: str, expected: list[dict[str, object]]) -> None:
    facts = budgets_of(text)
    assert len(facts) == len(expected), facts
    for fact, want in zip(facts, expected, strict=True):
        got = {
            "amount": fact.amount,
            "currency": fact.currency,
            "year": fact.year,
            "recurring": fact.recurring,
            "purpose": fact.purpose,
            "mission": fact.mission,
            "component": fact.component,
        }
        assert {key: got[key] for key in want} == want


NOT_BUDGETS = [
    "De opkomst was 45 procent en er waren 329 zetels te verdelen.",
    "Op 20 januari 2024 vond een aanval plaats op de basis.",
    "Nederland levert sinds 2014 een bijdrage aan de coalitie.",
    "De missie telt 2000 militairen uit 30 landen.",
]


@pytest.mark.parametrize("text", NOT_BUDGETS)
def test_extract_budgets_yields_nothing(text: str) -> None:
    assert budgets_of(text) == []


def test_extract_provenance_points_at_the_figure_and_sentence() -> None:
    text = "Essentie\n\nDe Nederlandse bijdrage in Noord-Irak bestaat uit maximaal 50 militairen.\n"
    source = parse_bytes(text.encode(), "text/plain", "p.txt")
    (fact,) = process(source).personnel
    prov = fact.provenance
    assert source.text[prov.start : prov.end] == "50 militairen"
    assert prov.sentence.text == source.text[prov.sentence.start : prov.sentence.end]
    assert prov.sentence.text.startswith("De Nederlandse bijdrage")
    assert prov.doc == "p.txt"
