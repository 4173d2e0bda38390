"""Events and periods read from Dutch sentences written for these tests."""

from __future__ import annotations

import pytest

from kg.extract.events import people_named
from kg.ingest import parse_bytes
from kg.model import DocResult
from kg.pipeline import process


def result_of(text: str) -> DocResult:
    return process(parse_bytes(text.encode(), "text/plain", "t.txt"))


LETTER = "Aan de Voorzitter van de Tweede Kamer\n\nDen Haag, 14 september 2018\n\n"


def test_events_every_time_is_an_event_with_trigger_and_mentions() -> None:
    result = result_of(
        LETTER + "Op 12 mei jl. vonden de Iraakse parlementsverkiezingen plaats. "
        "Premier Abadi sprak op 10 juli met de NAVO over de missie.\n"
    )
    events = {e.when.value: e for e in result.events}
    assert set(events) == {"2018-05-12", "2018-07-10"}  # the date line is not an event
    election = events["2018-05-12"]
    assert election.label == "parlementsverkiezingen" and election.event_type == "election"
    assert election.when.anchor == "2018-09-14"
    meeting = events["2018-07-10"]
    assert meeting.event_type == "meeting"
    assert "NATO" in meeting.organisations and meeting.people == ("Abadi",)


@pytest.mark.parametrize(
    ("sentence", "mission", "component", "start", "end"),
    [
        (
            "De Nederlandse F-16 inzet wordt zoals gepland beëindigd op 31 december 2018.",
            "OIR",
            "f16-detachment",
            None,
            "2018-12-31",
        ),
        (
            "Het kabinet heeft besloten de bijdrage aan de anti-ISIS-coalitie te verlengen tot en "
            "met 31 december 2019.",
            "OIR",
            None,
            None,
            "2019-12-31",
        ),
        (
            "De Target Support Cell wordt per 1 januari 2023 stopgezet.",
            "OIR",
            "target-support-cell",
            None,
            "2023-01-01",
        ),
        (
            "Nederland stelt van 1 januari tot en met 31 december 2019 trainers beschikbaar aan de "
            "anti-ISIS coalitie.",
            "OIR",
            None,
            "2019-01-01",
            "2019-12-31",
        ),
        (
            "De NAVO-missie in Irak gaat dit najaar van start.",
            "NMI",
            None,
            "2018-FA",
            None,
        ),
    ],
)
def test_events_periods(
    sentence: str, mission: str, component: str | None, start: str | None, end: str | None
) -> None:
    (period,) = result_of(LETTER + sentence + "\n").periods
    assert (period.mission, period.component) == (mission, component)
    assert (period.start.value if period.start else None) == start
    assert (period.end.value if period.end else None) == end


def test_events_pause_is_an_end_then_a_start() -> None:
    sentence = "Tussen juli 2016 en januari 2018 lagen de Nederlandse F-16's stil.\n"
    periods = result_of(LETTER + sentence).periods
    assert [(p.mission, p.start and p.start.value, p.end and p.end.value) for p in periods] == [
        ("OIR", None, "2016-07"),
        ("OIR", "2018-01", None),
    ]


@pytest.mark.parametrize(
    ("sentence", "sides"),
    [
        # "sinds" opens a start where the end word belongs to another date or clause
        (
            "Het trainingsteam van OIR dat sinds december 2014 peshmerga opleidde, heeft eind "
            "april 2022 zijn laatste cursus afgerond.",
            [("2014-12", None), (None, "2022-04")],
        ),
        ("De bijdrage aan OIR is sinds mei 2019 beëindigd.", [(None, "2019-05")]),
        # each date takes the start or end word nearest to it
        (
            "Op 1 oktober 2020 hervatte een team van OIR het werk, tot het detachement eind "
            "2021 definitief werd teruggetrokken.",
            [("2020-10-01", None), (None, "2021")],
        ),
        # separable verbs across a few words of the clause; "een einde aan"
        (
            "Op 30 juni 2016 droeg Nederland de luchtoperaties van OIR boven Irak en Syrië "
            "over aan België.",
            [(None, "2016-06-30")],
        ),
        (
            "Half maart 2020 kwam er een einde aan de training van OIR in Erbil.",
            [(None, "2020-03")],
        ),
        ("Op 3 januari 2018 nam Nederland die taak binnen OIR weer over.", [("2018-01-03", None)]),
        # the EU extends its own mission's mandate: a period of EUAM
        (
            "De Raad van de EU verlengde het mandaat van EUAM tot en met 30 april 2022.",
            [(None, "2022-04-30")],
        ),
        # "sinds" earlier in the clause opens a start
        (
            "Nederland draagt bij aan NMI sinds de oprichting van de missie in oktober 2018.",
            [("2018-10", None)],
        ),
        # a contribution continued through a reporting period
        (
            "In de verslagperiode, januari tot en met december 2018, zette Nederland de bijdrage "
            "aan OIR voort.",
            [("2018-01", "2018-12")],
        ),
        (
            "De inzet van adviseurs bij NMI is verlengd tot en met het einde van dit jaar.",
            [(None, "2018")],
        ),
        # people of the paragraph's contribution "sinds" a date
        (
            "Nederland levert trainers aan OIR in Erbil. Zij leidden sinds begin 2015 "
            "peshmerga op.",
            [("2015", None)],
        ),
        (
            "De Nederlandse commando's van OIR zijn in december 2017 uit Bagdad vertrokken.",
            [(None, "2017-12")],
        ),
        (
            "De post van de Nederlandse liaisonofficier bij OIR vervalt eind december.",
            [(None, "2018-12")],
        ),
        (
            "De trainingsinzet van OIR wordt in de eerste helft van 2019 voortgezet.",
            [("2019-H1", "2019-H1")],
        ),
        (
            "Het kabinet besloot de bijdrage aan NMI ook in 2019 voort te zetten.",
            [("2019", "2019")],
        ),
        # the end that would have been, before an extension replaced it
        (
            "De bijdrage aan OIR zou eind dit jaar aflopen, maar wordt tot eind 2021 verlengd.",
            [(None, "2021")],
        ),
        ("Nederland stopte in 2018 met de luchtacties van OIR.", [(None, "2018")]),
        ("Daarnaast blijven volgend jaar twaalf adviseurs bij NMI werkzaam.", [("2019", "2019")]),
        ("Nederland levert sinds 2017 militairen aan eFP in Litouwen.", [("2017", None)]),
        # a start word in another clause (after ";") is not this date's
        ("Begonnen werd met twee experts bij EUAM; in 2016 waren het er zes.", []),
        # a pause on one date is an end; another country taking the place of ours, too
        (
            "De Nederlandse training voor OIR is op 20 maart 2020 tijdelijk stilgelegd.",
            [(None, "2020-03-20")],
        ),
        (
            "Vanaf 1 juli 2016 nemen Belgische F-16's de plaats in van de Nederlandse toestellen "
            "van OIR.",
            [(None, "2016-07-01")],
        ),
    ],
)
def test_events_period_sides(sentence: str, sides: list[tuple[str | None, str | None]]) -> None:
    periods = result_of(LETTER + sentence + "\n").periods
    assert [(p.start and p.start.value, p.end and p.end.value) for p in periods] == sides


def test_events_component_of_the_periods_time() -> None:
    """With no date of its own, a name of two components is read at the period's time."""
    (period,) = result_of(
        "De force protection-compagnie was daar sinds juni 2021 gelegerd.\n"
    ).periods
    assert (period.mission, period.component) == ("OIR", "force-protection-erbil")


def test_events_period_of_listed_missions_is_each_missions() -> None:
    sentence = (
        "Het kabinet verlengt de inzet van adviseurs ten behoeve van NMI, de Europese "
        "Adviesmissie in Irak (EUAM) en MoPA tot en met 31 juli 2025.\n"
    )
    periods = result_of(LETTER + sentence).periods
    assert [(p.mission, p.end and p.end.value) for p in periods] == [
        ("NMI", "2025-07-31"),
        ("EUAM", "2025-07-31"),
        ("MoPA", "2025-07-31"),
    ]


def test_events_possible_start_is_a_possible_period() -> None:
    sentence = "De Nederlandse bijdrage aan OIR zou in oktober 2019 al kunnen beginnen.\n"
    (period,) = result_of(LETTER + sentence).periods
    assert period.start is not None and period.start.value == "2019-10"
    assert period.modality.value == "possible"


def test_events_period_component_of_its_time() -> None:
    """ "Force Protection-eenheid" is the Baghdad unit in a letter of 2024, whatever
    mission the sentence names (the Erbil company had ended in 2023)."""
    letter = "Aan de Voorzitter van de Tweede Kamer\n\nDen Haag, 20 mei 2024\n\n"
    sentence = "Sinds januari 2024 levert Nederland een Force Protection-eenheid aan NMI.\n"
    (period,) = result_of(letter + sentence).periods
    assert (period.mission, period.component) == ("NMI", "force-protection-baghdad")
    assert period.start is not None and period.start.value == "2024-01"


@pytest.mark.parametrize(
    "sentence",
    [
        "Wanneer eindigt de missie OIR, op 31 december 2023?",  # a question states no period
        "De operatie tegen ISIS is in september gestart.",  # not a contribution
        "In de rapportageperiode van mei 2023 tot en met april 2024 groeide de NAVO-missie.",
        # another country's or an organisation's, not a Dutch contribution
        "Canada draagt het bevel over de NAVO-missie in Irak in 2020 over aan Denemarken.",
        "De NAVO traint sinds januari 2019 Iraakse officieren in Bagdad.",
        "Vanaf 1 juli 2016 neemt België de taak in de coalitie tegen IS over.",
        "Vanaf mei 2018 nemen ruim honderd Belgische soldaten deel aan de coalitie tegen IS.",
        # a rotation, a strength that stays the same
        "Ze lossen daar collega's van OIR af en blijven tot mei 2019.",
        "Het aantal Nederlandse militairen bij OIR blijft tot 1 juli 2019 met 200 gelijk.",
    ],
)
def test_events_no_period(sentence: str) -> None:
    assert result_of(LETTER + sentence + "\n").periods == ()


def test_events_facts_get_the_time_they_apply_to() -> None:
    result = result_of(
        LETTER + "Momenteel draagt Nederland met dertien adviseurs bij aan NMI. "
        "In 2019 levert Nederland maximaal 50 militairen aan de anti-ISIS-coalitie.\n"
    )
    now, next_year = result.personnel
    assert (now.valid_from, now.valid_to) == ("2018-09-14", "2018-09-14")
    assert (next_year.valid_from, next_year.valid_to) == ("2019", "2019")


def test_events_impossible_date_is_a_warning_not_a_crash() -> None:
    result = result_of(LETTER + "Op 31 februari 2019 werd niets besloten.\n")
    assert result.events == ()
    assert any("31 februari 2019" in w for w in result.warnings)


MONTH_LETTER = "Aan de Voorzitter van de Tweede Kamer\n\nDen Haag, maart 2019\n\n"


def test_events_a_letter_dated_to_the_month_gives_no_day_it_does_not_state() -> None:
    """Against a date known to the month, "gisteren" has no day: it is left out rather
    than dated on the month's last day; what the first and the last day of the month
    agree on ("vorig jaar", "vorige maand") stays, and "momenteel" is the month."""
    result = result_of(
        MONTH_LETTER + "Gisteren zijn 50 militairen naar Irak vertrokken voor OIR.\n\n"
        "Momenteel zijn 120 militairen in Irak voor OIR.\n\n"
        "Vorig jaar waren 80 militairen in Irak voor OIR.\n\n"
        "Vorige maand sprak de minister met premier Abadi.\n"
    )
    assert sorted(e.when.value for e in result.events) == ["2018", "2019-02"]
    times = {f.value: (f.valid_from, f.valid_to) for f in result.personnel}
    assert times == {50: (None, None), 120: ("2019-03", "2019-03"), 80: ("2018", "2018")}


@pytest.mark.parametrize(
    ("sentence", "people"),
    [
        # the office after a title is no part of the name, and no person by itself
        (
            "Minister van Buitenlandse Zaken Blok sprak op 10 juli met premier Abadi.",
            ("Abadi", "Blok"),
        ),
        ("De minister van Justitie en Veiligheid stuurde op 3 maart een brief.", ()),
        ("Het verslag is voorgelegd aan de minister van Buitenlandse Zaken over de brief.", ()),
        (
            "De Iraakse minister van Buitenlandse Zaken Fuad Hussein sprak met de NAVO.",
            ("Fuad Hussein",),
        ),
        ("De minister voor Ontwikkelingssamenwerking Kaag bezocht op 4 april Erbil.", ("Kaag",)),
        ("De Minister van Defensie,\nA.Th.B. Bijleveld-Schouten", ()),
        # "van" right after a title is an office or a place; acronyms are no names
        ("Hij zal als commandant van NMI per 1 mei de missie leiden.", ()),
        ("De premier van Irak sprak op 5 mei met premier Barzani van de KAR.", ("Barzani",)),
        # names with particles and Arabic articles, over a line break, not a blank line
        (
            "Onder leiding van premier\nMohammed al-Sudani trad de regering aan.",
            ("Mohammed al-Sudani",),
        ),
        ("Staatssecretaris Van der Maat bezocht de troepen.", ("Van der Maat",)),
        (
            "Secretaris-Generaal Stoltenberg en Minister-President Rutte spraken.",
            ("Rutte", "Stoltenberg"),
        ),
        ("Aan de Minister van Buitenlandse Zaken\n\nDen Haag, 11 februari 2020", ()),
    ],
)
def test_events_people_named_after_a_title_never_an_office(
    sentence: str, people: tuple[str, ...]
) -> None:
    assert people_named(sentence) == people


def test_events_an_event_names_the_person_not_the_office() -> None:
    result = result_of(
        LETTER + "Op 12 juli sprak de minister van Buitenlandse Zaken Blok met de minister "
        "van Defensie over de missie.\n"
    )
    (event,) = result.events
    assert event.people == ("Blok",)
