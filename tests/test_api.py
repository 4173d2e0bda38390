"""kg.api: open or make a build, rows as text or typed values, DataFrames, time bounds."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from kg.api import Build, bounds, point
from kg.errors import KgError, QueryError, StoreError
from kg.query import named_queries, run
from kg.store import open_store

if TYPE_CHECKING:
    from conftest import SeedBuild

LETTER = "Den Haag, 14 september 2018\n\nNederland levert maximaal 50 militairen aan NMI.\n"


@pytest.fixture(scope="module")
def seeds(seed_build: SeedBuild) -> Build:
    assert seed_build.result.exit_code == 0, seed_build.result.output
    return Build.open(seed_build.out)


def test_api_open_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run 'kg build --out"):
        Build.open(tmp_path / "nothing")


def test_api_queries_are_the_named_queries_with_descriptions() -> None:
    listed = Build.queries()
    assert list(listed) == list(named_queries())
    assert {"personnel", "strength", "conflicts", "confirmations"} <= set(listed)
    assert all(description for description in listed.values())


def test_api_query_rows_are_what_kg_query_prints(seeds: Build, seed_build: SeedBuild) -> None:
    rows = seeds.query("personnel")
    table = run(open_store(seed_build.out), named_queries()["personnel"].text)
    assert rows == [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert rows and all(isinstance(v, str) for row in rows for v in row.values())


def test_api_query_keeps_the_rows_asked_for(seeds: Build) -> None:
    all_rows = seeds.query("strength")
    oir = seeds.query("strength", mission="OIR")
    assert oir == [row for row in all_rows if row["mission"] == "OIR"]
    assert 0 < len(oir) < len(all_rows)
    assert seeds.query("strength", mission="OIR", value=150) == [
        row for row in oir if row["value"] == "150"
    ]


def test_api_query_unknown_column_names_the_columns(seeds: Build) -> None:
    with pytest.raises(QueryError, match=r"no column missie.*its columns are doc, mission"):
        seeds.query("personnel", missie="OIR")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?x WHERE {", "not valid SPARQL"),
        ("ASK { ?s ?p ?o }", "only SELECT queries"),
        ("nosuchquery", "unknown query 'nosuchquery'"),
    ],
)
def test_api_query_errors_are_query_errors(seeds: Build, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        seeds.query(query)


def test_api_records_are_typed(seeds: Build) -> None:
    documents = seeds.records("documents")
    assert {type(row["date"]) for row in documents} == {dt.date}
    assert {type(row["inferred"]) for row in documents} == {bool}
    personnel = seeds.records("personnel")
    assert {type(row["value"]) for row in personnel} == {int, type(None)}
    assert all(row["valid_from"] is None or isinstance(row["valid_from"], str) for row in personnel)
    budgets = seeds.records("budgets")
    assert {type(row["amount"]) for row in budgets} == {float}
    assert 20_100_000.0 in {row["amount"] for row in budgets}


def test_api_records_keep_month_and_year_dates_as_stated(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Den Haag, september 2018\n\nEen brief.\n", "utf-8")
    with Build.make([tmp_path / "a.txt"], out=tmp_path / "out") as build:
        assert build.records("documents")[0]["date"] == "2018-09"


def test_api_frame_has_typed_columns(seeds: Build) -> None:
    frame = seeds.frame("strength")
    assert list(frame.columns) == list(seeds.query("strength")[0])
    assert str(frame["value"].dtype) == "Int64" and str(frame["max"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["doc_date"])
    assert frame["value"].isna().any()  # ceilings and ranges have no value
    assert str(seeds.frame("documents")["inferred"].dtype) == "boolean"
    assert str(seeds.frame("budgets")["amount"].dtype) == "Float64"
    assert list(seeds.frame("strength", mission="OIR")["mission"].unique()) == ["OIR"]


def test_api_frame_of_no_rows_has_the_columns(seeds: Build) -> None:
    frame = seeds.frame("confirmations")
    assert frame.empty and "figure_a" in frame.columns


def test_api_frame_without_pandas_names_the_extra(
    seeds: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(KgError, match=r"pandas.*kg\[notebooks\]"):
        seeds.frame("documents")


def test_api_make_and_ensure_build_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LETTER, "utf-8")
    out = tmp_path / "out"
    with Build.ensure(out, inputs=[tmp_path / "a.txt"]) as build:
        assert [row["max"] for row in build.query("personnel")] == ["50"]
    made = (out / "graph.trig").stat().st_mtime_ns
    with Build.ensure(out, inputs=[tmp_path / "missing.txt"]) as build:  # opened, not built
        assert [row["mission"] for row in build.query("personnel")] == ["NMI"]
    assert (out / "graph.trig").stat().st_mtime_ns == made


def test_api_make_names_the_inputs_it_could_not_build(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", "utf-8")
    with pytest.raises(KgError, match=r"1 input\(s\) could not be built: .*empty.txt"):
        Build.make([tmp_path / "empty.txt"], out=tmp_path / "out")


def test_api_closed_build_says_so(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(LETTER, "utf-8")
    build = Build.make([tmp_path / "a.txt"], out=tmp_path / "out")
    build.close()
    with pytest.raises(KgError, match="closed"):
        build.query("personnel")
    assert repr(build) == f"Build({str(tmp_path / 'out')!r})"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-09-14", (dt.date(2018, 9, 14), dt.date(2018, 9, 14))),
        ("2018-02", (dt.date(2018, 2, 1), dt.date(2018, 2, 28))),
        ("2019", (dt.date(2019, 1, 1), dt.date(2019, 12, 31))),
        ("2018-WI", (dt.date(2018, 12, 1), dt.date(2019, 2, 28))),
        ("2019-Q3", (dt.date(2019, 7, 1), dt.date(2019, 9, 30))),
        ("2019-H1", (dt.date(2019, 1, 1), dt.date(2019, 6, 30))),
        ("2018-W35", (dt.date(2018, 8, 27), dt.date(2018, 9, 2))),
        ("2023-05/2024-04", (dt.date(2023, 5, 1), dt.date(2024, 4, 30))),
        ("2018-01/", (dt.date(2018, 1, 1), None)),
        ("/2019-12-31", (None, dt.date(2019, 12, 31))),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_api_bounds_of_time_values(
    value: str | None, expected: tuple[dt.date | None, dt.date | None]
) -> None:
    assert bounds(value) == expected


@pytest.mark.parametrize("value", ["medio 2019", "2019-13", "2019-Q5", "19"])
def test_api_point_rejects_what_is_not_a_time_value(value: str) -> None:
    with pytest.raises(ValueError, match="not a time value"):
        point(value)
