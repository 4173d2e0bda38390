"""The ``kg`` command as a user runs it: build, query, docs; exit codes 0 (done),
1 (built, but some inputs skipped) and 2 (error), with one-line messages."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result
from conftest import run_kg

from kg.cli import cli

if TYPE_CHECKING:
    from conftest import SeedBuild

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
MakePdf = Callable[[Sequence[str]], bytes]

DOCUMENT_COLUMNS = [
    "doc",
    "type",
    "date",
    "precision",
    "inferred",
    "chamber",
    "dossier",
    "number",
    "title",
    "identifier",
    "page",
]


def assert_clean_failure(result: Result, code: int) -> None:
    """The command stopped with ``code`` on purpose: no exception escaped, no traceback."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- kg build ---------------------------------------------------------------------


def test_cli_build_with_bad_files_builds_the_good_ones_and_names_the_bad(
    tmp_path: Path, runner: CliRunner, make_pdf: MakePdf, seed_names: list[str]
) -> None:
    inputs = tmp_path / "stukken"
    inputs.mkdir()
    for name in seed_names:
        shutil.copy(SEEDS_DIR / name, inputs / name)
    (inputs / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32)
    (inputs / "leeg.txt").write_bytes(b"")
    pdf = make_pdf(["Den Haag, 1 maart 2019", "Nederland levert 50 militairen."])
    (inputs / "afgebroken.pdf").write_bytes(pdf[: len(pdf) // 2])
    out = tmp_path / "out"

    result = runner.invoke(cli, ["build", str(inputs), "--out", str(out)])

    assert_clean_failure(result, 1)
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kg: skipped")]
    expected = {
        "afgebroken.pdf": "truncated",
        "leeg.txt": "empty file",
        "scan.txt": "binary data",
    }
    assert len(skipped) == len(expected)
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in skipped), (name, skipped)
    assert "Built 5 document(s)" in result.stderr
    assert "; 3 rejected." in result.stderr

    trig = (out / "graph.trig").read_text("utf-8")
    for name in seed_names:
        assert name in trig
    for name in expected:
        assert name not in trig

    docs = runner.invoke(cli, ["docs", "--out", str(out), "--format", "csv"])
    assert docs.exit_code == 0, docs.output
    assert [row["doc"] for row in csv_rows(docs.stdout)] == seed_names


def test_cli_build_of_the_seeds_exits_0(seed_build: SeedBuild, seed_names: list[str]) -> None:
    result = seed_build.result
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Built 5 document(s)" in result.stderr
    assert "; 0 rejected." in result.stderr
    assert "kg: skipped" not in result.stderr
    for n, name in enumerate(seed_names, start=1):
        assert f"[{n}/5] {name}" in result.stderr
    assert result.stdout == ""  # progress and summary go to stderr
    assert (seed_build.out / "graph.trig").stat().st_size > 0
    assert (seed_build.out / "store").is_dir()


def test_cli_build_quiet_prints_nothing_for_good_inputs(
    tmp_path: Path, runner: CliRunner, seed_names: list[str]
) -> None:
    seed = SEEDS_DIR / seed_names[0]
    result = runner.invoke(cli, ["build", str(seed), "-q", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_cli_build_warns_about_a_windows_1252_file(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "oud.txt"
    text = "Den Haag, 14 september 2018\n\nDe bijdrage bedraagt € 20,1 miljoen, geïntegreerd.\n"
    path.write_bytes(text.encode("cp1252"))
    result = runner.invoke(cli, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("kg: warning:")]
    assert len(warnings) == 1
    assert str(path) in warnings[0]
    assert "Windows-1252" in warnings[0]


def test_cli_build_names_a_missing_input(tmp_path: Path, runner: CliRunner) -> None:
    missing = tmp_path / "bestaat-niet"
    result = runner.invoke(cli, ["build", str(missing), "--out", str(tmp_path / "out")])
    assert_clean_failure(result, 1)
    assert f"kg: skipped {missing}: no such file or folder" in result.stderr


def test_cli_build_twice_gives_identical_trig(
    tmp_path: Path, runner: CliRunner, seed_build: SeedBuild
) -> None:
    out = tmp_path / "tweede"
    result = runner.invoke(cli, ["build", str(SEEDS_DIR), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    first = (seed_build.out / "graph.trig").read_bytes()
    second = (out / "graph.trig").read_bytes()
    assert first == second


# --- kg query ---------------------------------------------------------------------


def test_cli_query_list_names_the_queries(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "--list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row["description"] for row in csv_rows(result.stdout)}
    assert {"documents", "signatories", "questions"} <= set(rows)
    assert all(rows.values()), rows  # every query has a description


def test_cli_query_documents_as_json(
    runner: CliRunner, seed_build: SeedBuild, seed_names: list[str]
) -> None:
    result = runner.invoke(
        cli, ["query", "documents", "--out", str(seed_build.out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [record["doc"] for record in records] == seed_names
    assert all(list(record) == DOCUMENT_COLUMNS for record in records)
    by_doc = {record["doc"]: record for record in records}
    letter = by_doc["001_1044ea1259fcd4ce.txt"]
    assert (letter["date"], letter["chamber"], letter["dossier"]) == (
        "2018-09-14",
        "Eerste Kamer",
        "27 925",
    )


def test_cli_query_sparql_text_as_csv(runner: CliRunner, seed_build: SeedBuild) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    result = runner.invoke(cli, ["query", sparql, "--out", str(seed_build.out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "n"
    assert len(lines) == 2
    assert int(lines[1]) > 1000


def test_cli_query_from_a_rq_file(tmp_path: Path, runner: CliRunner, seed_build: SeedBuild) -> None:
    query = tmp_path / "typen.rq"
    query.write_text("SELECT DISTINCT ?doc WHERE { ?d kg:fileName ?doc } ORDER BY ?doc\n")
    result = runner.invoke(
        cli, ["query", str(query), "--out", str(seed_build.out), "--format", "tsv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "doc"
    assert len(result.stdout.splitlines()) == 6


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?s WHERE { ?s ?p }",
        "SELECT ?s WHERE { ?s onbekend:prefix ?o }",
        "ASK { ?s ?p ?o ",
    ],
)
def test_cli_query_invalid_sparql_says_where_and_shows_the_line(
    runner: CliRunner, seed_build: SeedBuild, sparql: str
) -> None:
    """The message, then the query's line, then a caret under the column it names."""
    result = runner.invoke(cli, ["query", sparql, "--out", str(seed_build.out)])
    assert_clean_failure(result, 2)
    assert result.stdout == ""
    message, shown, caret = result.stderr.splitlines()
    found = re.match(r"kg: error: the query is not valid SPARQL: line 1, column (\d+): ", message)
    assert found, message
    assert shown == "  " + sparql
    assert caret == " " * (int(found.group(1)) + 1) + "^"


def test_cli_query_debug_shows_the_traceback(runner: CliRunner, seed_build: SeedBuild) -> None:
    result = runner.invoke(
        cli, ["--debug", "query", "SELECT ?s WHERE { ?s ?p }", "--out", str(seed_build.out)]
    )
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "kg: error:" in result.stderr


@pytest.mark.parametrize("command", [["query", "documents"], ["docs"]])
def test_cli_without_a_build_says_to_run_kg_build(
    tmp_path: Path, runner: CliRunner, command: list[str]
) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = runner.invoke(cli, [*command, "--out", str(empty)])
    assert_clean_failure(result, 2)
    assert result.stderr.startswith("kg: error:")
    assert f"kg build --out {empty}" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("name", ["missies", "documenten", "Documents"])
def test_cli_query_unknown_name_is_an_error(
    runner: CliRunner, seed_build: SeedBuild, name: str
) -> None:
    result = runner.invoke(cli, ["query", name, "--out", str(seed_build.out)])
    assert_clean_failure(result, 2)
    assert result.stderr.startswith(f"kg: error: unknown query '{name}'")
    assert "documents" in result.stderr and "signatories" in result.stderr  # it says what there is


def test_cli_query_missing_rq_file_is_an_error(
    tmp_path: Path, runner: CliRunner, seed_build: SeedBuild
) -> None:
    missing = tmp_path / "bestaat-niet.rq"
    result = runner.invoke(cli, ["query", str(missing), "--out", str(seed_build.out)])
    assert_clean_failure(result, 2)
    assert result.stderr.startswith(f"kg: error: {missing}: cannot read the query file")


@pytest.mark.parametrize("name", ["tasks", "database"])
def test_cli_query_unknown_name_with_a_keyword_inside_is_an_unknown_query(
    runner: CliRunner, seed_build: SeedBuild, name: str
) -> None:
    result = runner.invoke(cli, ["query", name, "--out", str(seed_build.out)])
    assert result.exit_code == 2
    assert f"unknown query '{name}'" in result.stderr


def test_cli_query_without_a_query_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query"])
    assert result.exit_code == 2
    assert "give a query NAME" in result.stderr


# --- kg docs ----------------------------------------------------------------------


def test_cli_docs_lists_the_seeds(
    runner: CliRunner, seed_build: SeedBuild, seed_names: list[str]
) -> None:
    result = runner.invoke(cli, ["docs", "--out", str(seed_build.out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout)
    assert [row["doc"] for row in rows] == seed_names
    signatories = {row["doc"]: row["signatories"] for row in rows}
    assert "S.A. Blok (Minister van Buitenlandse Zaken)" in signatories["001_1044ea1259fcd4ce.txt"]


# --- python -m kg -----------------------------------------------------------------


def test_cli_python_m_kg_help() -> None:
    done = run_kg("--help")
    assert done.returncode == 0, done.stderr
    for command in ("build", "query", "docs"):
        assert command in done.stdout


def test_cli_python_m_kg_error_has_no_traceback(seed_build: SeedBuild) -> None:
    done = run_kg("query", "SELECT ?s WHERE { ?s ?p }", "--out", str(seed_build.out))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("kg: error: the query is not valid SPARQL: line 1, column ")
    assert len(done.stderr.splitlines()) == 3  # the message, the line, the caret
