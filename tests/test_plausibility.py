"""Figures beyond what is plausible for their kind are not stored (kg.extract.plausibility):
the bounds are data in the ontology, and the build names the file, the sentence and why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.plausibility import plausible
from kg.gazetteer import load_gazetteer
from kg.ingest import parse_bytes
from kg.model import Budget, Personnel, Provenance, Span
from kg.pipeline import process

HEADER = "Den Haag, 3 mei 2019\n\n"


def read(*sentences: str):
    raw = (HEADER + "\n\n".join(sentences) + "\n").encode()
    return process(parse_bytes(raw, "text/plain", "brief.txt"))


def test_every_bound_is_data_with_a_largest_figure_and_a_name() -> None:
    """The bounds come from ontology/vocabularies.ttl, one per scope and currency kg reads."""
    bounds = load_gazetteer().of_kind("bound")
    assert set(bounds) == {"contribution", "mission_total", "EUR", "USD"}
    for bound in bounds.values():
        assert bound.most is not None and bound.most > 0
        assert bound.name


@pytest.mark.parametrize(
    "sentence, figure",
    [
        ("Nederland levert 1.000.000.000.000.000 militairen aan OIR.", "1.000.000.000.000.000"),
        ("Nederland stuurt tussen de 20 en 5.000.000 militairen naar Irak.", "5.000.000"),
        ("Nederland levert maximaal 9.000.000 militairen aan de coalitie.", "9.000.000"),
    ],
)
def test_an_absurd_personnel_figure_is_not_a_fact(sentence: str, figure: str) -> None:
    """A count, a range's end or a ceiling beyond a contribution's bound is left out,
    with a warning that names the file, quotes the sentence and gives the reason."""
    result = read(sentence, "Nederland levert 150 militairen aan OIR.")
    assert [f.value for f in result.personnel] == [150]
    (warning,) = [w for w in result.warnings if "plausible" in w]
    assert warning.startswith("brief.txt: '")
    assert figure in warning and sentence in warning
    assert "a country's contribution" in warning and warning.endswith("it is not stored")


def test_an_absurd_amount_is_not_a_fact() -> None:
    """An amount beyond its currency's bound is left out; a large real one is kept."""
    result = read(
        "De kosten bedragen EUR 9.999.999 miljard.",
        "De wederopbouw van Irak kost naar schatting USD 88,2 miljard.",
    )
    assert [(b.amount, b.currency) for b in result.budgets] == [(Decimal("88200000000"), "USD")]
    (warning,) = [w for w in result.warnings if "plausible" in w]
    assert "EUR 9.999.999 miljard" in warning and "an amount in euro" in warning


def test_a_figure_at_its_bound_is_kept_and_one_above_it_is_not() -> None:
    """The bound itself is plausible; one more is not."""
    bounds = load_gazetteer().of_kind("bound")
    most = int(bounds["contribution"].most or 0)
    where = Provenance("a.txt", 0, 5, Span(0, 20, "x"))

    def figure(value: int) -> Personnel:
        return Personnel(
            value, None, None, "exact", "military", "NL", "contribution", None, None, where
        )

    kept, _, left = plausible([figure(most), figure(most + 1)], [], "12345")
    assert [f.value for f in kept] == [most]
    assert [f.figure for f in left] == ["12345"]


def test_a_mission_total_has_its_own_bound() -> None:
    """A mission's size may be larger than one country's contribution."""
    bounds = load_gazetteer().of_kind("bound")
    assert (bounds["mission_total"].most or 0) > (bounds["contribution"].most or 0)
    where = Provenance("a.txt", 0, 1, Span(0, 1, "x"))
    size = int(bounds["contribution"].most or 0) + 1
    total = Personnel(
        size, None, None, "exact", "military", None, "mission_total", "OIR", None, where
    )
    kept, _, left = plausible([total], [], "x")
    assert kept == [total] and left == []


def test_an_amount_in_a_currency_without_a_bound_is_kept() -> None:
    """Only kinds with a bound are checked: nothing is dropped for want of one."""
    where = Provenance("a.txt", 0, 1, Span(0, 1, "x"))
    amount = Budget(Decimal(10) ** 20, "XYZ", None, False, "military", None, None, where)
    _, kept, left = plausible([], [amount], "x")
    assert kept == [amount] and left == []
