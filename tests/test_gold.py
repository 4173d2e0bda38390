"""The gold annotations are sound, and the pipeline meets its quality bar on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate import Report, Score, evaluate, fold, load_gold
from kg.gazetteer import load_gazetteer
from kg.pipeline import build
from kg.query import named_queries, run
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SEEDS = ROOT / "seeds"
GOLD_FILES = sorted(GOLD.glob("*.json"))
QUALIFIERS = {"exact", "approx", "max", "min", "range"}
PURPOSES = {
    "military",
    "stabilisation",
    "humanitarian",
    "development",
    "reconstruction_estimate",
    "other",
}


def test_gold_covers_every_seed() -> None:
    assert sorted(p.stem for p in GOLD_FILES) == sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_quotes_are_verbatim_in_their_document(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    text = fold((SEEDS / data["doc"]).read_text(encoding="utf-8"))
    for fact in data["personnel"] + data["budgets"]:
        assert fold(fact["quote"]) in text, fact["quote"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_uses_known_codes_and_consistent_numbers(path: Path) -> None:
    gazetteer = load_gazetteer()
    missions = set(gazetteer.of_kind("mission"))
    components = gazetteer.of_kind("component")
    roles = set(gazetteer.of_kind("role"))
    countries = set(gazetteer.of_kind("country"))
    data = json.loads(path.read_text(encoding="utf-8"))
    for fact in data["personnel"] + data["budgets"]:
        assert fact["mission"] in missions | {None}
        if fact["component"] is not None:
            assert components[fact["component"]].mission == fact["mission"], fact
    for fact in data["personnel"]:
        assert fact["role"] in roles and fact["qualifier"] in QUALIFIERS
        assert fact["country"] in countries | {None}
        numbers = {k for k in ("value", "min", "max") if fact[k] is not None}
        expected = {"range": {"min", "max"}, "max": {"max"}, "min": {"min"}}
        assert numbers == expected.get(fact["qualifier"], {"value"}), fact
    for fact in data["budgets"]:
        assert fact["currency"] in ("EUR", "USD") and fact["purpose"] in PURPOSES
        assert fact["amount"] > 0
    for event in data.get("events", []):
        assert fold(event["text"]) in fold(event["quote"]), event
        assert event["mission"] in missions | {None}
        if event["earliest"] and event["latest"]:
            assert event["earliest"] <= event["latest"], event
    for period in data.get("periods", []):
        assert period["start"] or period["end"], period
        assert period["mission"] in missions


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    out = tmp_path_factory.mktemp("gold-build")
    assert not build([SEEDS], out).rejected
    store = open_store(out)
    queries = named_queries()
    tables = [
        run(store, queries[name].text) for name in ("personnel", "budgets", "events", "periods")
    ]
    return evaluate(load_gold(GOLD), *tables)


def test_gold_personnel_f1_with_mission_at_least_090(report: Report) -> None:
    personnel = report.personnel
    assert Score.prf(personnel.strict, personnel.system, personnel.gold)[2] >= 0.90


def test_gold_budget_f1_at_least_095(report: Report) -> None:
    budgets = report.budgets
    assert Score.prf(budgets.matched, budgets.system, budgets.gold)[2] >= 0.95


def test_gold_event_dates_f1_at_least_090(report: Report) -> None:
    events = report.events
    assert Score.prf(events.matched, events.system, events.gold)[2] >= 0.90


def test_gold_period_endpoints_f1_at_least_085(report: Report) -> None:
    ends = report.endpoints
    assert Score.prf(ends.matched, ends.system, ends.gold)[2] >= 0.85
