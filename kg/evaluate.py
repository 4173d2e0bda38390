"""Compare a build's facts with hand-made gold annotations.

Gold files (``tests/gold/*.json``, format in ``tests/gold/README.md``) list every
personnel and budget fact of a document with a verbatim snippet of its sentence.
A system fact matches a gold fact when it comes from the same document, its
sentence contains the snippet (white space folded) and its numbers are the same;
each fact matches at most once. The headline score for personnel also asks the
mission to be right. For matched facts, each field is scored on its own; the
value (amount) is scored over the gold facts whose sentence the system read a
fact of the same type from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import KgError
from kg.query import Table

PERSONNEL_FIELDS = ("qualifier", "mission", "component", "role", "country")
BUDGET_FIELDS = ("currency", "year", "purpose", "mission", "component")
EVENT_FIELDS = ("precision", "earliest", "latest", "modifier", "mission")
PERIOD_FIELDS = ("mission", "component")

Row = dict[str, str]
Gold = dict[str, object]


@dataclass(slots=True)
class Score:
    """Counts for one fact type: system facts, gold facts, matches, field agreement."""

    system: int = 0
    gold: int = 0
    matched: int = 0
    strict: int = 0  # matched with the mission right too
    located: int = 0  # gold facts whose sentence holds a system fact of this type
    fields: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, compared]

    @staticmethod
    def prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
        precision = hits / system if system else 0.0
        recall = hits / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass(slots=True)
class Report:
    personnel: Score
    budgets: Score
    missed: list[str]  # gold facts not found, for reading
    spurious: list[str]  # system facts not in the gold
    differences: list[str] = field(default_factory=list)  # matched facts, fields that differ
    events: Score = field(default_factory=Score)
    endpoints: Score = field(default_factory=Score)

    def table(self) -> Table:
        rows = []
        scores = (
            ("personnel", self.personnel),
            ("budgets", self.budgets),
            ("events", self.events),
            ("period-ends", self.endpoints),
        )
        for name, score in scores:
            if not score.gold and not score.system:
                continue
            for label, hits in (("facts", score.matched), ("facts+mission", score.strict)):
                p, r, f = Score.prf(hits, score.system, score.gold)
                rows.append(
                    (
                        name,
                        label,
                        f"{p:.3f}",
                        f"{r:.3f}",
                        f"{f:.3f}",
                        str(score.system),
                        str(score.gold),
                        str(hits),
                    )
                )
            value = {"personnel": "value", "budgets": "amount", "events": "date"}.get(name, "value")
            accuracy = score.matched / score.located if score.located else 0.0
            rows.append(
                (
                    name,
                    f"field:{value}",
                    f"{accuracy:.3f}",
                    "",
                    "",
                    "",
                    "",
                    f"{score.matched}/{score.located}",
                )
            )
            for key, (right, compared) in score.fields.items():
                accuracy = right / compared if compared else 0.0
                rows.append(
                    (name, f"field:{key}", f"{accuracy:.3f}", "", "", "", "", f"{right}/{compared}")
                )
        columns = ("type", "measure", "precision", "recall", "f1", "system", "gold", "matched")
        return Table(columns, tuple(rows))


def fold(text: str) -> str:
    """White space folded to single spaces, for comparing quotes."""
    return " ".join(text.split())


def load_gold(folder: Path) -> dict[str, Gold]:
    """The gold annotations by document name."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise KgError(f"{folder}: no gold annotations (*.json) here")
    gold: dict[str, Gold] = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise KgError(f"{path}: cannot read the gold annotations ({err})") from err
        gold[str(data["doc"])] = data
    return gold


def _number(text: object) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def _match(
    gold_facts: list[tuple[str, Gold]],
    rows: list[Row],
    same_numbers: Callable[[Gold, Row], bool],
    fields: Iterable[str],
    score: Score,
    differences: list[str],
) -> tuple[list[str], list[str]]:
    used: set[int] = set()
    missed = []
    for doc, fact in gold_facts:
        quote = fold(str(fact["quote"]))
        hit = next(
            (
                i
                for i, row in enumerate(rows)
                if i not in used
                and row["doc"] == doc
                and quote in fold(row["quote"])
                and same_numbers(fact, row)
            ),
            None,
        )
        located = any(row["doc"] == doc and quote in fold(row["quote"]) for row in rows)
        score.located += located
        if hit is None:
            missed.append(f"{doc}: {quote}")
            continue
        used.add(hit)
        row = rows[hit]
        score.matched += 1
        score.strict += _same(fact.get("mission"), row["mission"])
        for name in fields:
            counts = score.fields.setdefault(name, [0, 0])
            same = _same(fact.get(name), row[name])
            counts[0] += same
            counts[1] += 1
            if not same:
                differences.append(
                    f"{doc}: {name} gold={fact.get(name)!r} system={row[name]!r}: {quote[:90]}"
                )
    spurious = [
        f"{row['doc']}: {fold(row['quote'])[:120]}" for i, row in enumerate(rows) if i not in used
    ]
    return missed, spurious


def _same(gold: object, system: str) -> bool:
    return ("" if gold is None else str(gold)) == system


def _rows(table: Table | None, gold: dict[str, Gold]) -> list[Row]:
    if table is None:
        return []
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return [r for r in rows if r["doc"] in gold]


def _endpoints(rows: list[Row]) -> list[Row]:
    """One row per stated end of a period: side, value, mission, component, quote."""
    out = []
    for row in rows:
        for side in ("start", "end"):
            if row.get(side):
                out.append({**row, "side": side, "value": row[side]})
    return out


def evaluate(
    gold: dict[str, Gold],
    personnel: Table,
    budgets: Table,
    events: Table | None = None,
    periods: Table | None = None,
) -> Report:
    """Score the rows of the personnel, budgets, events and periods queries against
    the gold. Events match on the sentence and the date value; periods are scored
    per stated end (start or end), matching on the sentence, the side and the value."""
    p_rows = [dict(zip(personnel.columns, row, strict=True)) for row in personnel.rows]
    b_rows = [dict(zip(budgets.columns, row, strict=True)) for row in budgets.rows]
    p_rows = [r for r in p_rows if r["doc"] in gold]
    b_rows = [r for r in b_rows if r["doc"] in gold]
    p_gold = [(doc, fact) for doc, data in gold.items() for fact in data.get("personnel", [])]  # type: ignore[attr-defined]
    b_gold = [(doc, fact) for doc, data in gold.items() for fact in data.get("budgets", [])]  # type: ignore[attr-defined]

    def people(fact: Gold, row: Row) -> bool:
        return all(_number(fact.get(key)) == _number(row[key]) for key in ("value", "min", "max"))

    def money(fact: Gold, row: Row) -> bool:
        return _number(fact.get("amount")) == _number(row["amount"])

    personnel_score = Score(system=len(p_rows), gold=len(p_gold))
    budget_score = Score(system=len(b_rows), gold=len(b_gold))
    differences: list[str] = []
    missed, spurious = _match(
        p_gold, p_rows, people, PERSONNEL_FIELDS, personnel_score, differences
    )
    b_missed, b_spurious = _match(b_gold, b_rows, money, BUDGET_FIELDS, budget_score, differences)

    e_rows = _rows(events, gold)
    e_gold = [(doc, fact) for doc, data in gold.items() for fact in data.get("events", [])]  # type: ignore[attr-defined]
    event_score = Score(system=len(e_rows), gold=len(e_gold))

    def same_date(fact: Gold, row: Row) -> bool:
        return str(fact.get("date")) == row["date"]

    e_missed, e_spurious = _match(e_gold, e_rows, same_date, EVENT_FIELDS, event_score, differences)

    s_rows = _endpoints(_rows(periods, gold))
    s_gold = [
        (doc, {**period, "side": side, "value": period[side]})
        for doc, data in gold.items()
        for period in data.get("periods", [])  # type: ignore[attr-defined]
        for side in ("start", "end")
        if period.get(side)
    ]
    end_score = Score(system=len(s_rows), gold=len(s_gold))

    def same_end(fact: Gold, row: Row) -> bool:
        return fact["side"] == row["side"] and str(fact["value"]) == row["value"]

    s_missed, s_spurious = _match(s_gold, s_rows, same_end, PERIOD_FIELDS, end_score, differences)
    return Report(
        personnel_score,
        budget_score,
        missed + b_missed + e_missed + s_missed,
        spurious + b_spurious + e_spurious + s_spurious,
        differences,
        event_score,
        end_score,
    )
