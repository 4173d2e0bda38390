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
