"""Amounts of money as ministries and newspapers write them (kg.extract.money),
on Dutch sentences written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.money import extract_budgets_text


def amounts(text: str) -> list[tuple[Decimal, str]]:
    return [(b.amount, b.currency) for b in extract_budgets_text(text)]


EUR, USD = "EUR", "USD"

AMOUNTS = [
    # fractions and multipliers in words
    (
        "Het kabinet stelt een kwart miljoen euro beschikbaar voor mijnenruiming in Mosul.",
        [(Decimal(250000), EUR)],
    ),
    (
        "Voor de trainingsmissie is in 2019 twee en een half miljoen euro gereserveerd.",
        [(Decimal(2500000), EUR)],
    ),
    (
        "Nederland draagt anderhalf miljoen euro bij aan het VN-ontwikkelingsprogramma in Irak.",
        [(Decimal(1500000), EUR)],
    ),
    (
        "Anderhalf miljoen euro gaat naar de opvang van ontheemden rond Mosul.",
        [(Decimal(1500000), EUR)],
    ),
    ("De minister trekt een half miljoen euro uit voor ontmijning.", [(Decimal(500000), EUR)]),
    ("De kosten van de inzet worden geraamd op 2,5 mln euro.", [(Decimal(2500000), EUR)]),
    ("Defensie raamt de extra kosten op 1,2 mln. euro.", [(Decimal(1200000), EUR)]),
    ("De verlenging kost tweeënhalf miljoen euro per jaar.", [(Decimal(2500000), EUR)]),
    # dollars
    (
        "Het Pentagon trekt $ 15 million uit voor de beveiliging van de basis in Erbil.",
        [(Decimal(15000000), USD)],
    ),
    (
        "Volgens de krant ging er $15 million naar de Koerdische strijders.",
        [(Decimal(15000000), USD)],
    ),
    ("De VS dragen US$ 3 million bij aan het programma.", [(Decimal(3000000), USD)]),
    ("Het fonds ontving in 2017 USD 3 mln van de Verenigde Staten.", [(Decimal(3000000), USD)]),
    (
        "Washington stelt 15 miljoen dollar beschikbaar voor de wederopbouw van Mosul.",
        [(Decimal(15000000), USD)],
    ),
    (
        "De Verenigde Staten dragen 3 miljoen Amerikaanse dollar bij aan het FFS.",
        [(Decimal(3000000), USD)],
    ),
    ("Het VN-fonds kreeg $ 1.5 million uit Japan.", [(Decimal(1500000), USD)]),
    # thin and non-breaking spaces between the thousands
    ("Het ministerie betaalde EUR 12\u202f500 voor de vertaling.", [(Decimal(12500), EUR)]),
    ("Elke militair krijgt een toelage van 1\u00a0500 euro.", [(Decimal(1500), EUR)]),
    # the written forms that were read before
    ("Voor de NAVO-missie is in 2020 EUR 239.000,- uitgegeven.", [(Decimal(239000), EUR)]),
    (
        "De uitgaven bedroegen €20,1 miljoen, waarvan €18,3 miljoen voor OIR.",
        [(Decimal(20100000), EUR), (Decimal(18300000), EUR)],
    ),
    (
        "De bijdrage bedraagt ongeveer 76 miljoen euro, waarvan 40 miljoen voor Irak.",
        [(Decimal(76000000), EUR), (Decimal(40000000), EUR)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_money_amounts(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert amounts(text) == expected


NOT_AMOUNTS = [
    "Het Verenigd Koninkrijk draagt £ 15 million bij aan de coalitie.",
    "Het Britse ministerie trekt 15 miljoen pond uit voor de coalitie.",
    "Het kabinet trekt nog eens 7 miljoen uit voor humanitaire hulp.",
    "In Irak zijn nog 7 miljoen mensen afhankelijk van hulp.",
    "Er gaan tientallen miljoenen euro's naar de wederopbouw.",
    "Het kost een paar miljoen euro.",
    "Zie Kamerstuk 27\u00a0925, nr. 919 en de brief van 14 september 2018.",
    "Tussen 2014 en 2020 nam het aantal ontheemden met 40 procent af.",
    "Voor vragen kunt u bellen met 070 348 6486 of 0800 8051.",
    "Artikel 100 van de Grondwet geldt ook voor de 2 miljoen reservisten.",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_money_not_amounts(text: str) -> None:
    assert amounts(text) == []


def test_money_currency_named_earlier_in_the_paragraph() -> None:
    text = (
        "Nederland draagt 10 miljoen euro bij aan het FFS. Daarnaast trekt het kabinet nog "
        "eens 7 miljoen uit voor humanitaire hulp."
    )
    facts = extract_budgets_text(text)
    assert [(b.amount, b.currency) for b in facts] == [
        (Decimal(10000000), EUR),
        (Decimal(7000000), EUR),
    ]
    assert [b.purpose for b in facts] == ["stabilisation", "humanitarian"]


def test_money_currency_named_earlier_is_the_latest_one() -> None:
    text = (
        "Nederland geeft 5 miljoen euro. De Verenigde Staten zeggen 50 miljoen dollar toe. "
        "Daarvan gaat 20 miljoen naar de wederopbouw van Mosul."
    )
    assert amounts(text)[-1] == (Decimal(20000000), USD)


@pytest.mark.parametrize(
    "follow",
    [
        "Volgens de VN hebben nog 4 miljoen mensen hulp nodig.",
        "Sinds 2014 zijn 3 miljoen Irakezen ontheemd geraakt.",
        "Het gaat om 2 miljoen gedetineerden en hun families.",
    ],
)
def test_money_currency_named_earlier_is_no_count(follow: str) -> None:
    text = f"Nederland draagt 10 miljoen euro bij aan het FFS. {follow}"
    assert amounts(text) == [(Decimal(10000000), EUR)]


def test_money_currency_named_in_another_paragraph() -> None:
    text = (
        "Nederland draagt 10 miljoen euro bij aan het FFS.\n\n"
        "Daarnaast trekt het kabinet nog eens 7 miljoen uit voor humanitaire hulp."
    )
    assert amounts(text) == [(Decimal(10000000), EUR)]


def test_money_participle_after_an_amount_without_currency() -> None:
    text = "Het kabinet stelt 4 miljoen euro beschikbaar. Vorig jaar werd al 3 miljoen bijgedragen."
    assert amounts(text) == [(Decimal(4000000), EUR), (Decimal(3000000), EUR)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nederland draagt 10 miljoen euro bij (Kamerstuk 27\u00a0925, nr. 919).",
            [(Decimal(10000000), EUR)],
        ),
        (
            "De motie-Sjoerdsma (27 925, nr. 640) vraagt om 2 miljoen euro extra.",
            [(Decimal(2000000), EUR)],
        ),
        ("In de begroting 2024 EUR 5 miljoen gereserveerd.", [(Decimal(5000000), EUR)]),
        (
            "Het budget stijgt met 7 procent tot 12 miljoen euro in 2021.",
            [(Decimal(12000000), EUR)],
        ),
        (
            "Nederland gaf 2 miljoen euro. Bel 070 348 6486 of kijk op pagina 12 van 2019.",
            [(Decimal(2000000), EUR)],
        ),
    ],
)
def test_money_no_amounts_from_identifiers(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert amounts(text) == expected


def test_money_text_with_a_date() -> None:
    (fact,) = extract_budgets_text("De missie kost dit jaar 12 miljoen euro.", "2023-05-01")
    assert fact.year == "2023"


def test_money_provenance_covers_the_whole_amount() -> None:
    text = "Het kabinet stelt twee en een half miljoen euro beschikbaar."
    (fact,) = extract_budgets_text(text)
    assert text[fact.provenance.start : fact.provenance.end] == "twee en een half miljoen euro"


@pytest.mark.parametrize(
    "follow",
    [
        "Het Verenigd Koninkrijk draagt £ 15 million bij.",
        "Londen trekt GBP 15 mln uit voor de coalitie.",
        "Het Verenigd Koninkrijk geeft 15 miljoen Britse pond.",
    ],
)
def test_money_other_currency_is_not_carried(follow: str) -> None:
    text = f"Nederland draagt 10 miljoen euro bij aan het FFS. {follow}"
    assert amounts(text) == [(Decimal(10000000), EUR)]


def test_money_amount_without_currency_as_subject() -> None:
    text = (
        "Nederland trekt 10 miljoen euro uit voor Irak. Nog eens anderhalf miljoen gaat naar "
        "UNICEF en een kwart miljoen is bestemd voor mijnenruiming."
    )
    assert amounts(text) == [
        (Decimal(10000000), EUR),
        (Decimal(1500000), EUR),
        (Decimal(250000), EUR),
    ]
