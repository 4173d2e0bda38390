"""The Dutch temporal normaliser on expressions written for these tests, each with a
document date: value at the stated precision, bounds, modifier, anchor; and the
expressions that must not be read as dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.temporal import find_times

SEP_2018 = dt.date(2018, 9, 14)
DEC_2022 = dt.date(2022, 12, 13)
MAY_2024 = dt.date(2024, 5, 15)
FEB_2020 = dt.date(2020, 2, 11)

# (text, document date, value, precision, earliest, latest, modifier)
CASES = [
    # absolute days, months, years
    (
        "Den brief van 14 september 2018 is verstuurd.",
        None,
        "2018-09-14",
        "day",
        "2018-09-14",
        "2018-09-14",
        None,
    ),
    ("Op 3 maart 2021 werd getekend.", None, "2021-03-03", "day", "2021-03-03", "2021-03-03", None),
    (
        "De missie begon in november 2017.",
        None,
        "2017-11",
        "month",
        "2017-11-01",
        "2017-11-30",
        None,
    ),
    (
        "In februari 2024 volgde een besluit.",
        None,
        "2024-02",
        "month",
        "2024-02-01",
        "2024-02-29",
        None,
    ),
    ("In 2019 gaat de inzet door.", None, "2019", "year", "2019-01-01", "2019-12-31", None),
    ("Sinds 2014 levert Nederland een bijdrage.", None, "2014/", "year", "2014-01-01", None, None),
    (
        "de brief d.d. 13 december 2022 over de inzet",
        None,
        "2022-12-13",
        "day",
        "2022-12-13",
        "2022-12-13",
        None,
    ),
    (
        "de brief d.d. 13\ndecember 2022 over de inzet",
        None,
        "2022-12-13",
        "day",
        "2022-12-13",
        "2022-12-13",
        None,
    ),
    (
        "op 1 jan. 2023 stopte de eenheid",
        None,
        "2023-01-01",
        "day",
        "2023-01-01",
        "2023-01-01",
        None,
    ),
    (
        "de 5e december 2019 kwam de raad bijeen",
        None,
        "2019-12-05",
        "day",
        "2019-12-05",
        "2019-12-05",
        None,
    ),
    ("Het jaar 2016 was zwaar.", None, "2016", "year", "2016-01-01", "2016-12-31", None),
    ("(peildatum 1 november 2022)", None, "2022-11-01", "day", "2022-11-01", "2022-11-01", None),
    # relative to the document date
    (
        "Op 27 oktober jl. trad de regering aan.",
        DEC_2022,
        "2022-10-27",
        "day",
        "2022-10-27",
        "2022-10-27",
        None,
    ),
    (
        "Op 18 juli jl. werd het gebied heroverd.",
        SEP_2018,
        "2018-07-18",
        "day",
        "2018-07-18",
        "2018-07-18",
        None,
    ),
    (
        "Op 18 maart jongstleden kondigde de KDP aan.",
        MAY_2024,
        "2024-03-18",
        "day",
        "2024-03-18",
        "2024-03-18",
        None,
    ),
    (
        "Op 20 december jl. sprak de minister.",
        SEP_2018,
        "2017-12-20",
        "day",
        "2017-12-20",
        "2017-12-20",
        None,
    ),
    (
        "Op 24 mei aanstaande draagt Spanje het commando over.",
        MAY_2024,
        "2024-05-24",
        "day",
        "2024-05-24",
        "2024-05-24",
        None,
    ),
    (
        "Op 2 maart a.s. komt de raad bijeen.",
        SEP_2018,
        "2019-03-02",
        "day",
        "2019-03-02",
        "2019-03-02",
        None,
    ),
    (
        "In juni jl. kwam de Veiligheidsraad bijeen.",
        SEP_2018,
        "2018-06",
        "month",
        "2018-06-01",
        "2018-06-30",
        None,
    ),
    (
        "In november jl. werd het dreigingsniveau verhoogd.",
        MAY_2024,
        "2023-11",
        "month",
        "2023-11-01",
        "2023-11-30",
        None,
    ),
    (
        "in december vorig jaar werd Irak bevrijd",
        SEP_2018,
        "2017-12",
        "month",
        "2017-12-01",
        "2017-12-31",
        None,
    ),
    (
        "Vorig jaar daalde het aantal aanslagen.",
        SEP_2018,
        "2017",
        "year",
        "2017-01-01",
        "2017-12-31",
        None,
    ),
    (
        "Volgend jaar wordt de inzet herzien.",
        SEP_2018,
        "2019",
        "year",
        "2019-01-01",
        "2019-12-31",
        None,
    ),
    (
        "Dit jaar is dat 19 miljoen euro.",
        DEC_2022,
        "2022",
        "year",
        "2022-01-01",
        "2022-12-31",
        None,
    ),
    (
        "Vorige maand nam het geweld toe.",
        FEB_2020,
        "2020-01",
        "month",
        "2020-01-01",
        "2020-01-31",
        None,
    ),
    (
        "Eind vorige maand laaide het geweld op.",
        FEB_2020,
        "2020-01",
        "month",
        "2020-01-21",
        "2020-01-31",
        "end",
    ),
    (
        "Twee weken geleden sprak de minister met zijn ambtgenoot.",
        SEP_2018,
        "2018-W35",
        "week",
        "2018-08-27",
        "2018-09-02",
        None,
    ),
    (
        "Over drie maanden volgt een evaluatie.",
        SEP_2018,
        "2018-12",
        "month",
        "2018-12-01",
        "2018-12-31",
        None,
    ),
    (
        "Het afgelopen jaar zijn stappen gezet.",
        SEP_2018,
        "2017/2018",
        "year",
        "2017-09-14",
        "2018-09-14",
        None,
    ),
    (
        "Het komende jaar levert Nederland de Senior Civilian.",
        SEP_2018,
        "2018/2019",
        "year",
        "2018-09-14",
        "2019-09-14",
        None,
    ),
    (
        "De NAVO-missie gaat dit najaar van start.",
        SEP_2018,
        "2018-FA",
        "season",
        "2018-09-01",
        "2018-11-30",
        None,
    ),
    (
        "Deze zomer nam het aantal aanvallen toe.",
        DEC_2022,
        "2022-SU",
        "season",
        "2022-06-01",
        "2022-08-31",
        None,
    ),
    (
        "Op 6 augustus is deze hertelling afgerond.",
        SEP_2018,
        "2018-08-06",
        "day",
        "2018-08-06",
        "2018-08-06",
        None,
    ),
    (
        "De operatie is in september gestart.",
        SEP_2018,
        "2018-09",
        "month",
        "2018-09-01",
        "2018-09-30",
        None,
    ),
    (
        "De verkiezingen zullen in oktober plaatsvinden.",
        dt.date(2021, 6, 5),
        "2021-10",
        "month",
        "2021-10-01",
        "2021-10-31",
        None,
    ),
    (
        "De training wordt op 24 mei hervat, is de verwachting.",
        dt.date(2020, 3, 30),
        "2020-05-24",
        "day",
        "2020-05-24",
        "2020-05-24",
        None,
    ),
    (
        "Het rapport wordt na het zomerreces afgerond zal zijn.",
        MAY_2024,
        "2024-SU",
        "season",
        "2024-06-01",
        "2024-08-31",
        "after",
    ),
    (
        "In het derde kwartaal volgt het besluit.",
        SEP_2018,
        "2018-Q3",
        "quarter",
        "2018-07-01",
        "2018-09-30",
        None,
    ),
    (
        "Begin dit jaar begonnen de gesprekken.",
        DEC_2022,
        "2022",
        "year",
        "2022-01-01",
        "2022-04-30",
        "start",
    ),
    # vague
    (
        "De bijdrage wordt medio januari 2019 beëindigd.",
        None,
        "2019-01",
        "month",
        "2019-01-11",
        "2019-01-20",
        "mid",
    ),
    (
        "Eind april 2024 droeg Nederland de taak over.",
        None,
        "2024-04",
        "month",
        "2024-04-21",
        "2024-04-30",
        "end",
    ),
    (
        "Begin 2016 werd de inzet uitgebreid.",
        None,
        "2016",
        "year",
        "2016-01-01",
        "2016-04-30",
        "start",
    ),
    ("Ultimo 2019 loopt het mandaat af.", None, "2019", "year", "2019-09-01", "2019-12-31", "end"),
    ("Medio 2020 volgt een evaluatie.", None, "2020", "year", "2020-05-01", "2020-08-31", "mid"),
    (
        "In de zomer van 2020 begon de fase.",
        None,
        "2020-SU",
        "season",
        "2020-06-01",
        "2020-08-31",
        None,
    ),
    (
        "In het najaar van 2017 werd Raqqa heroverd.",
        None,
        "2017-FA",
        "season",
        "2017-09-01",
        "2017-11-30",
        None,
    ),
    (
        "In het voorjaar 2021 volgde de dialoog.",
        None,
        "2021-SP",
        "season",
        "2021-03-01",
        "2021-05-31",
        None,
    ),
    (
        "In de winter van 2019 lag de training stil.",
        None,
        "2019-WI",
        "season",
        "2019-12-01",
        "2020-02-29",
        None,
    ),
    (
        "In het derde kwartaal van 2019 vonden aanslagen plaats.",
        None,
        "2019-Q3",
        "quarter",
        "2019-07-01",
        "2019-09-30",
        None,
    ),
    (
        "In Q1 2023 werd de eenheid opgeheven.",
        None,
        "2023-Q1",
        "quarter",
        "2023-01-01",
        "2023-03-31",
        None,
    ),
    (
        "In de eerste helft van 2019 daalde het aantal.",
        None,
        "2019-H1",
        "half",
        "2019-01-01",
        "2019-06-30",
        None,
    ),
    (
        "In de tweede helft van 2021 kwam de regering.",
        None,
        "2021-H2",
        "half",
        "2021-07-01",
        "2021-12-31",
        None,
    ),
    (
        "Voor het zomerreces van 2023 wordt de Kamer geïnformeerd.",
        None,
        "2023-SU",
        "season",
        "2023-06-01",
        "2023-08-31",
        None,
    ),
    ("Rond 2015 begon de inzet.", None, "2015", "year", "2015-01-01", "2015-12-31", "approx"),
    ("Het besluit valt vóór 2020.", None, "2020", "year", "2020-01-01", "2020-12-31", "before"),
    (
        "Na oktober 2021 is er geen mandaat.",
        None,
        "2021-10",
        "month",
        "2021-10-01",
        "2021-10-31",
        "after",
    ),
    (
        "Uiterlijk eind 2023 volgt het rapport.",
        None,
        "2023",
        "year",
        "2023-09-01",
        "2023-12-31",
        "before",
    ),
    # intervals
    (
        "van mei 2024 tot en met mei 2025",
        None,
        "2024-05/2025-05",
        "month",
        "2024-05-01",
        "2025-05-31",
        None,
    ),
    (
        "De periode van mei 2023 tot en met april 2024 is voorbij.",
        None,
        "2023-05/2024-04",
        "month",
        "2023-05-01",
        "2024-04-30",
        None,
    ),
    (
        "vanaf 1 januari tot en met 31 december 2019",
        None,
        "2019-01-01/2019-12-31",
        "day",
        "2019-01-01",
        "2019-12-31",
        None,
    ),
    (
        "van 1 januari t/m 31 maart 2020",
        None,
        "2020-01-01/2020-03-31",
        "day",
        "2020-01-01",
        "2020-03-31",
        None,
    ),
    (
        "Het mandaat loopt tot en met 31 december 2019.",
        None,
        "/2019-12-31",
        "day",
        None,
        "2019-12-31",
        None,
    ),
    (
        "De inzet is verlengd t/m december 2023.",
        None,
        "/2023-12",
        "month",
        None,
        "2023-12-31",
        None,
    ),
    (
        "Sinds januari 2024 levert Nederland een eenheid.",
        None,
        "2024-01/",
        "month",
        "2024-01-01",
        None,
        None,
    ),
    (
        "Vanaf oktober 2014 zijn F-16's ingezet.",
        None,
        "2014-10/",
        "month",
        "2014-10-01",
        None,
        None,
    ),
    (
        "De eenheid wordt per 1 juni 2023 stopgezet.",
        None,
        "2023-06-01/",
        "day",
        "2023-06-01",
        None,
        None,
    ),
    (
        "In de periode 2017-2018 groeide de missie.",
        None,
        "2017/2018",
        "year",
        "2017-01-01",
        "2018-12-31",
        None,
    ),
    (
        "De strategie voor 2023-2027 is vastgesteld.",
        None,
        "2023/2027",
        "year",
        "2023-01-01",
        "2027-12-31",
        None,
    ),
    (
        "Tussen 2015 en 2017 trainden zij duizenden militairen.",
        None,
        "2015/2017",
        "year",
        "2015-01-01",
        "2017-12-31",
        None,
    ),
    (
        "De dialoog d.d. 7-8 augustus 2023 leidde tot een commissie.",
        None,
        "2023-08-07/2023-08-08",
        "day",
        "2023-08-07",
        "2023-08-08",
        None,
    ),
    (
        "Van oktober 2014 tot en met juni 2016 vlogen de F-16's.",
        None,
        "2014-10/2016-06",
        "month",
        "2014-10-01",
        "2016-06-30",
        None,
    ),
    ("niet eerder dan medio 2024", None, "2024/", "year", "2024-05-01", None, None),
]


@pytest.mark.parametrize(
    ("text", "anchor", "value", "precision", "earliest", "latest", "modifier"), CASES
)
def test_temporal_normalises(
    text: str,
    anchor: dt.date | None,
    value: str,
    precision: str,
    earliest: str | None,
    latest: str | None,
    modifier: str | None,
) -> None:
    times, problems = find_times(text, anchor)
    assert not problems
    assert len(times) == 1, [(t.text, t.value) for t in times]
    (time,) = times
    got_earliest = time.earliest.isoformat() if time.earliest else None
    got_latest = time.latest.isoformat() if time.latest else None
    assert (time.value, time.precision, got_earliest, got_latest, time.modifier) == (
        value,
        precision,
        earliest,
        latest,
        modifier,
    )


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Op 27 oktober jl. trad de regering aan.", DEC_2022),
        ("Vorig jaar daalde het aantal aanslagen.", SEP_2018),
        ("De NAVO-missie gaat dit najaar van start.", SEP_2018),
    ],
)
def test_temporal_relative_expressions_record_their_anchor(text: str, anchor: dt.date) -> None:
    (time,), _ = find_times(text, anchor)
    assert time.anchor == anchor.isoformat()


def test_temporal_enumerations_share_a_year() -> None:
    times, _ = find_times("de artikel 100-brieven van 29 januari en 9 september 2016")
    assert [t.value for t in times] == ["2016-01-29", "2016-09-09"]


def test_temporal_enumerated_days_share_month_and_jl() -> None:
    times, _ = find_times("Op 7 en 8 juni jl. sprak de coalitie.", SEP_2018)
    assert [t.value for t in times] == ["2018-06-07", "2018-06-08"]


def test_temporal_enumerated_years() -> None:
    times, _ = find_times("de inzet in 2020 en 2021")
    assert [t.value for t in times] == ["2020", "2021"]


@pytest.mark.parametrize(
    "text",
    [
        "Nederland levert 2000 militairen.",
        "De uitgaven bedroegen €20,1 miljoen.",
        "Zie Kamerstuk 27 925, nr. 919.",
        "Volgens artikel 100 van de Grondwet.",
        "Resolutie 2254 van de VN-Veiligheidsraad.",
        "Zaak 2021Z08317 is afgerond.",
        "Het kenmerk is 27925-766/2021D04079.",
        "De COVID-19-uitbraak trof de training.",
        "Voor de duur van een jaar.",
        "Een uitzendtermijn van zes maanden.",
        "Er zijn 1.500 – 2.000 strijders.",
        "Met 128 van de 285 zetels.",
        "Een totaal van EUR 239.000,- voor NMI.",
        "De mei-boom stond in de tuin.",
        "Er waren 2019 deelnemers.",
        "In de afgelopen jaren is veel bereikt.",
    ],
)
def test_temporal_not_a_date(text: str) -> None:
    times, _ = find_times(text, SEP_2018)
    assert times == []


@pytest.mark.parametrize("text", ["op 31 februari 2019", "op 30 februari", "op 32 mei 2020"])
def test_temporal_impossible_date_is_reported_not_returned(text: str) -> None:
    times, problems = find_times(text, SEP_2018)
    assert times == []
    assert problems and "no such date" in problems[0].reason


def test_temporal_relative_without_a_document_date_is_left_out() -> None:
    times, _ = find_times("Op 27 oktober jl. trad de regering aan.", None)
    assert times == []


def test_temporal_momenteel_is_the_document_date() -> None:
    (time,), _ = find_times("Momenteel draagt Nederland bij met dertien adviseurs.", DEC_2022)
    assert time.present and time.value == "2022-12-13"


MAR_2024 = dt.date(2024, 3, 15)  # a Friday
JUN_2024 = dt.date(2024, 6, 10)  # a Monday

Case = tuple[str, dt.date | None, str, str, str | None, str | None, str | None]


def _one_time(case: Case) -> None:
    """The text gives exactly one time, with the expected value, precision, bounds
    and modifier, and its bounds are in order."""
    text, anchor, value, precision, earliest, latest, modifier = case
    times, problems = find_times(text, anchor)
    assert not problems, problems
    assert len(times) == 1, [(t.text, t.value) for t in times]
    (time,) = times
    got_earliest = time.earliest.isoformat() if time.earliest else None
    got_latest = time.latest.isoformat() if time.latest else None
    assert (time.value, time.precision, got_earliest, got_latest, time.modifier) == (
        value,
        precision,
        earliest,
        latest,
        modifier,
    )
    if time.earliest and time.latest:
        assert time.earliest <= time.latest


NUMERIC_DATES: list[Case] = [
    (
        "Op 14-06-2023 besloot het kabinet.",
        None,
        "2023-06-14",
        "day",
        "2023-06-14",
        "2023-06-14",
        None,
    ),
    (
        "Op 1-1-2026 gaat de nieuwe fase in.",
        None,
        "2026-01-01",
        "day",
        "2026-01-01",
        "2026-01-01",
        None,
    ),
    ("Op 3/4/2019 sprak de minister.", None, "2019-04-03", "day", "2019-04-03", "2019-04-03", None),
    (
        "De brief van 14.06.2023 is ontvangen.",
        None,
        "2023-06-14",
        "day",
        "2023-06-14",
        "2023-06-14",
        None,
    ),
    (
        "Op 14-06-\n2023 besloot het kabinet.",
        None,
        "2023-06-14",
        "day",
        "2023-06-14",
        "2023-06-14",
        None,
    ),
    (
        "Op 2023-06-14 besloot het kabinet.",
        None,
        "2023-06-14",
        "day",
        "2023-06-14",
        "2023-06-14",
        None,
    ),
    ("Sinds 1-9-2022 is de eenheid actief.", None, "2022-09-01/", "day", "2022-09-01", None, None),
]


@pytest.mark.parametrize("case", NUMERIC_DATES, ids=[c[0] for c in NUMERIC_DATES])
def test_temporal_numeric_dates_are_day_month_year(case: Case) -> None:
    _one_time(case)


BARE_MONTHS: list[Case] = [
    # the tense says which way: a plan in the present tense looks ahead, a past verb back
    ("De eenheid vertrekt in mei.", MAR_2024, "2024-05", "month", "2024-05-01", "2024-05-31", None),
    (
        "De eenheid keerde in mei terug.",
        MAR_2024,
        "2023-05",
        "month",
        "2023-05-01",
        "2023-05-31",
        None,
    ),
    (
        "De eenheden keerden in juni terug.",
        MAR_2024,
        "2023-06",
        "month",
        "2023-06-01",
        "2023-06-30",
        None,
    ),
    (
        "De eenheid is in juni teruggetrokken.",
        MAR_2024,
        "2023-06",
        "month",
        "2023-06-01",
        "2023-06-30",
        None,
    ),
    (
        "De eenheid wordt in juni teruggetrokken.",
        MAR_2024,
        "2024-06",
        "month",
        "2024-06-01",
        "2024-06-30",
        None,
    ),
    ("De rotatie begint in juli.", MAR_2024, "2024-07", "month", "2024-07-01", "2024-07-31", None),
    (
        "Het team vertrekt in jan. naar Irak.",
        MAR_2024,
        "2025-01",
        "month",
        "2025-01-01",
        "2025-01-31",
        None,
    ),
    (
        "Het team vertrok in feb. naar Irak.",
        MAR_2024,
        "2024-02",
        "month",
        "2024-02-01",
        "2024-02-29",
        None,
    ),
    (
        "Het team vertrok in sept. naar Irak.",
        MAR_2024,
        "2023-09",
        "month",
        "2023-09-01",
        "2023-09-30",
        None,
    ),
    (
        "Het team vertrok in okt. naar Irak.",
        MAR_2024,
        "2023-10",
        "month",
        "2023-10-01",
        "2023-10-31",
        None,
    ),
    # "sinds" and a letter's date lie behind, whatever the verb
    ("Sinds mei opereren vier F-16’s.", MAR_2024, "2023-05/", "month", "2023-05-01", None, None),
    (
        "U herhaalt in de brief van 28 oktober de doelen.",
        DEC_2022,
        "2022-10-28",
        "day",
        "2022-10-28",
        "2022-10-28",
        None,
    ),
    # a weekday before a date is part of it, not a month or a date of its own
    (
        "Op maandag 3 juni vertrok het detachement.",
        JUN_2024,
        "2024-06-03",
        "day",
        "2024-06-03",
        "2024-06-03",
        None,
    ),
]


@pytest.mark.parametrize("case", BARE_MONTHS, ids=[c[0] for c in BARE_MONTHS])
def test_temporal_months_without_a_year_follow_the_tense(case: Case) -> None:
    _one_time(case)


WEEKDAYS_AND_DAYS: list[Case] = [
    (
        "Afgelopen maandag sprak de minister.",
        MAR_2024,
        "2024-03-11",
        "day",
        "2024-03-11",
        "2024-03-11",
        None,
    ),
    (
        "Op maandag sprak de minister met zijn ambtgenoot.",
        MAR_2024,
        "2024-03-11",
        "day",
        "2024-03-11",
        "2024-03-11",
        None,
    ),
    (
        "De minister sprak dinsdag met zijn ambtgenoot.",
        MAR_2024,
        "2024-03-12",
        "day",
        "2024-03-12",
        "2024-03-12",
        None,
    ),
    (
        "Op dinsdag jl. sprak de minister.",
        MAR_2024,
        "2024-03-12",
        "day",
        "2024-03-12",
        "2024-03-12",
        None,
    ),
    (
        "Op vrijdag sprak de minister.",
        MAR_2024,
        "2024-03-08",
        "day",
        "2024-03-08",
        "2024-03-08",
        None,
    ),
    (
        "Komende woensdag spreekt de Kamer.",
        MAR_2024,
        "2024-03-20",
        "day",
        "2024-03-20",
        "2024-03-20",
        None,
    ),
    (
        "Op maandag zal de Kamer debatteren.",
        MAR_2024,
        "2024-03-18",
        "day",
        "2024-03-18",
        "2024-03-18",
        None,
    ),
    (
        "Volgende week dinsdag spreekt de minister.",
        MAR_2024,
        "2024-03-19",
        "day",
        "2024-03-19",
        "2024-03-19",
        None,
    ),
    (
        "Vorige week dinsdag sprak de minister.",
        MAR_2024,
        "2024-03-05",
        "day",
        "2024-03-05",
        "2024-03-05",
        None,
    ),
    (
        "Gisteren sprak de minister.",
        MAR_2024,
        "2024-03-14",
        "day",
        "2024-03-14",
        "2024-03-14",
        None,
    ),
    (
        "Eergisteren sprak de minister.",
        MAR_2024,
        "2024-03-13",
        "day",
        "2024-03-13",
        "2024-03-13",
        None,
    ),
    (
        "Vandaag spreekt de minister.",
        MAR_2024,
        "2024-03-15",
        "day",
        "2024-03-15",
        "2024-03-15",
        None,
    ),
    (
        "Morgen spreekt de minister.",
        MAR_2024,
        "2024-03-16",
        "day",
        "2024-03-16",
        "2024-03-16",
        None,
    ),
    (
        "Overmorgen volgt het debat.",
        dt.date(2023, 12, 31),
        "2024-01-02",
        "day",
        "2024-01-02",
        "2024-01-02",
        None,
    ),
]


@pytest.mark.parametrize("case", WEEKDAYS_AND_DAYS, ids=[c[0] for c in WEEKDAYS_AND_DAYS])
def test_temporal_weekdays_and_day_words_count_from_the_document_date(case: Case) -> None:
    _one_time(case)


@pytest.mark.parametrize(
    "text",
    [
        "De training is op maandag.",  # a habit, in the present tense
        "Elke maandag traint de eenheid.",
        "Afgelopen maanden traint de eenheid.",  # "maand" is no weekday, nor the reverse
        "In de morgen vertrok de colonne.",
        "De wereld van morgen vraagt veel.",
        "Vandaag de dag is dat anders.",
    ],
)
def test_temporal_weekday_and_day_words_not_a_date(text: str) -> None:
    times, _ = find_times(text, MAR_2024)
    assert times == [], [(t.text, t.value) for t in times]


VAGUE_YEARS: list[Case] = [
    ("Eind 2015 begon de inzet.", None, "2015", "year", "2015-09-01", "2015-12-31", "end"),
    (
        "Begin 2016 werd de inzet uitgebreid.",
        None,
        "2016",
        "year",
        "2016-01-01",
        "2016-04-30",
        "start",
    ),
    (
        "Rond de jaarwisseling van 2019 op 2020 nam het geweld toe.",
        None,
        "2019-12/2020-01",
        "month",
        "2019-12-21",
        "2020-01-10",
        "approx",
    ),
    (
        "Rond de jaarwisseling nam het geweld toe.",
        MAR_2024,
        "2023-12/2024-01",
        "month",
        "2023-12-21",
        "2024-01-10",
        "approx",
    ),
    (
        "Rond de jaarwisseling wordt het besluit genomen.",
        MAR_2024,
        "2024-12/2025-01",
        "month",
        "2024-12-21",
        "2025-01-10",
        "approx",
    ),
]


NAMED_DAYS: list[Case] = [
    (
        "Hun laatste missie vlogen de toestellen op oudejaarsdag 2018.",
        None,
        "2018-12-31",
        "day",
        "2018-12-31",
        "2018-12-31",
        None,
    ),
    (
        "Op nieuwjaarsdag was het rustig.",
        MAR_2024,
        "2024-01-01",
        "day",
        "2024-01-01",
        "2024-01-01",
        None,
    ),
]


@pytest.mark.parametrize("case", NAMED_DAYS, ids=[c[0] for c in NAMED_DAYS])
def test_temporal_named_days(case: Case) -> None:
    _one_time(case)


@pytest.mark.parametrize("case", VAGUE_YEARS, ids=[c[0] for c in VAGUE_YEARS])
def test_temporal_vague_years_and_the_turn_of_the_year(case: Case) -> None:
    _one_time(case)


INTERVALS: list[Case] = [
    (
        "De training loopt van april tot juni.",
        MAR_2024,
        "2024-04/2024-06",
        "month",
        "2024-04-01",
        "2024-06-30",
        None,
    ),
    (
        "De training liep van april tot juni.",
        MAR_2024,
        "2023-04/2023-06",
        "month",
        "2023-04-01",
        "2023-06-30",
        None,
    ),
    (
        "De training liep van november tot februari.",
        MAR_2024,
        "2023-11/2024-02",
        "month",
        "2023-11-01",
        "2024-02-29",
        None,
    ),
    (
        "Tussen april en juni 2019 werd getraind.",
        None,
        "2019-04/2019-06",
        "month",
        "2019-04-01",
        "2019-06-30",
        None,
    ),
    (
        "2016 tot 2019 werd er getraind.",
        None,
        "2016/2019",
        "year",
        "2016-01-01",
        "2019-12-31",
        None,
    ),
    (
        "De missie liep van 2016 tot en met 2019.",
        None,
        "2016/2019",
        "year",
        "2016-01-01",
        "2019-12-31",
        None,
    ),
    (
        "De missie loopt van 2016 t/m 2019.",
        None,
        "2016/2019",
        "year",
        "2016-01-01",
        "2019-12-31",
        None,
    ),
    ("In 2015–2017 werd er getraind.", None, "2015/2017", "year", "2015-01-01", "2017-12-31", None),
    (
        "In 2015 — 2017 werd er getraind.",
        None,
        "2015/2017",
        "year",
        "2015-01-01",
        "2017-12-31",
        None,
    ),
    (
        "In april-juni 2019 werd er getraind.",
        None,
        "2019-04/2019-06",
        "month",
        "2019-04-01",
        "2019-06-30",
        None,
    ),
    (
        "In april–juni 2019 werd er getraind.",
        None,
        "2019-04/2019-06",
        "month",
        "2019-04-01",
        "2019-06-30",
        None,
    ),
    (
        "De dialoog d.d. 7–8 augustus 2023 leidde tot een commissie.",
        None,
        "2023-08-07/2023-08-08",
        "day",
        "2023-08-07",
        "2023-08-08",
        None,
    ),
    # words between "tot" and the end it names
    (
        "De inzet is verlengd tot en met in ieder geval 1 juni 2022.",
        None,
        "/2022-06-01",
        "day",
        None,
        "2022-06-01",
        None,
    ),
    ("De inzet loopt tot in elk geval eind 2023.", None, "/2023", "year", None, "2023-12-31", None),
    (
        "De inzet loopt tot uiterlijk 31 december 2025.",
        None,
        "/2025-12-31",
        "day",
        None,
        "2025-12-31",
        None,
    ),
    (
        "Het project loopt van 1 januari 2024 tot en met in ieder geval 1 juni 2025.",
        None,
        "2024-01-01/2025-06-01",
        "day",
        "2024-01-01",
        "2025-06-01",
        None,
    ),
]


@pytest.mark.parametrize("case", INTERVALS, ids=[c[0] for c in INTERVALS])
def test_temporal_intervals_between_months_and_years(case: Case) -> None:
    _one_time(case)


@pytest.mark.parametrize(
    "case",
    [
        (
            "Op 3 maart, 2021 werd getekend.",
            None,
            "2021-03-03",
            "day",
            "2021-03-03",
            "2021-03-03",
            None,
        ),
        # a count after the comma is not the year
        (
            "Op 3 maart, 2000 militairen vertrokken.",
            MAR_2024,
            "2024-03-03",
            "day",
            "2024-03-03",
            "2024-03-03",
            None,
        ),
    ],
    ids=["year", "count"],
)
def test_temporal_year_after_a_comma(case: Case) -> None:
    _one_time(case)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de ‘brief van 28 oktober 2022’", "28 oktober 2022"),
        ("in de periode 2017–2018", "2017–2018"),
        ("op 14–06–2023", "14–06–2023"),
    ],
)
def test_temporal_typographic_characters_read_as_ascii(text: str, expected: str) -> None:
    (time,), _ = find_times(text)
    assert time.text == expected  # the text as written, offsets into the original
    assert text[time.start : time.end] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bel 070-3486486 voor meer informatie.",
        "Bel +31 70 348 6486 voor meer informatie.",
        "Het kost € 1.500 per maand.",
        "Het kost 2,5 miljoen euro.",
        "Zie Kamerstuk 27 925 en 29 521, nr. 38.",
        "Zaak 2019Z12345 is afgerond.",
        "Om 17.00 uur begint het overleg.",
        "Kenmerk nr. 12-3-2019 is verstuurd.",
        "Er gingen 45 mei-bomen om.",
        "Het team vertrekt in dec naar Irak.",  # an abbreviation without a year needs its stop
        "Minister Jan Pronk sprak met de pers.",
        "Jan. de Vries schreef het stuk.",
    ],
)
def test_temporal_numbers_and_names_not_a_date(text: str) -> None:
    times, problems = find_times(text, MAR_2024)
    assert times == [] and problems == [], [(t.text, t.value) for t in times]


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Op 45 maart gebeurde het.", "45 maart"),
        ("Op 31-02-2020 gebeurde het.", "31-02-2020"),
        ("Op 145 maart 2019 gebeurde het.", "145 maart 2019"),  # not "maart 2019"
    ],
)
def test_temporal_impossible_dates_are_not_read_in_part(text: str, bad: str) -> None:
    times, problems = find_times(text, MAR_2024)
    assert times == []  # not "5 maart"
    assert [p.text for p in problems] == [bad] and "no such date" in problems[0].reason


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Op 1 maart 20190 gebeurde het.", "1 maart"),  # no year 2019 in "20190"
        ("Het dossier 120190 is gesloten.", None),
        ("In 20192 gebeurde het.", None),
    ],
)
def test_temporal_a_year_is_never_four_digits_of_a_longer_number(
    text: str, read: str | None
) -> None:
    times, _ = find_times(text, MAR_2024)
    assert [t.text for t in times] == ([read] if read else [])


@pytest.mark.parametrize(
    "text",
    [
        "Vorig jaar daalde het aantal aanslagen.",
        "In mei daalde het aantal aanslagen.",
        "De eenheid vertrekt in mei.",
        "Gisteren sprak de minister.",
        "Afgelopen maandag sprak de minister.",
        "Rond de jaarwisseling nam het geweld toe.",
        "Van april tot juni werd getraind.",
    ],
)
def test_temporal_relative_without_a_document_date_is_unresolved(text: str) -> None:
    times, problems = find_times(text, None)
    assert times == [] and problems == []


def test_temporal_relative_is_not_resolved_from_another_date_in_the_text() -> None:
    times, _ = find_times("Gisteren zei de minister dat de inzet loopt tot 1 juni 2024.", None)
    assert [t.value for t in times] == ["/2024-06-01"]


@pytest.mark.parametrize(
    ("text", "anchored"),
    [
        ("De eenheid vertrekt in mei.", True),
        ("Gisteren sprak de minister.", True),
        ("Afgelopen maandag sprak de minister.", True),
        ("Op 14-06-2023 besloot het kabinet.", False),
        ("Rond de jaarwisseling van 2019 op 2020 nam het geweld toe.", False),
    ],
)
def test_temporal_new_relative_expressions_record_their_anchor(text: str, anchored: bool) -> None:
    (time,), _ = find_times(text, MAR_2024)
    assert time.anchor == (MAR_2024.isoformat() if anchored else None)
