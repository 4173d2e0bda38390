"""Compare a build's facts with hand-made gold annotations.

Gold files (``tests/gold/*.json``, format in ``tests/gold/README.md``) list every
personnel and budget fact of a document with a verbatim snippet of its sentence.
A corpus folder (``tests/corpus/NAME/expected.json`` beside ``case.json``, format
in ``tests/corpus/README.md``) adds, per fact, its modality, valid time and the
basis of its mission, and per text its kind and split (dev or test).
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

PERSONNEL_FIELDS = (
    "qualifier",
    "mission",
    "component",
    "role",
    "country",
    "modality",
    "valid_from",
    "valid_to",
    "basis",
)
BUDGET_FIELDS = ("currency", "year", "purpose", "mission", "component", "modality")
EVENT_FIELDS = ("precision", "earliest", "latest", "modifier", "mission")
PERIOD_FIELDS = ("mission", "component", "modality")
# The missions in Iraq the graph is about: a distractor's figure must never get one.
IRAQ_MISSIONS = frozenset({"OIR", "NMI", "EUAM", "MoPA"})

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
    named: int = 0  # matched facts the system gives a mission
    named_right: int = 0  # ... and the gold's
    gold_named: int = 0  # gold facts with a mission
    wrong_missions: list[str] = field(default_factory=list)  # a mission stated, not the gold's

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
    distractor_iraq: list[str] = field(default_factory=list)  # distractor figures put in Iraq
    kinds: frozenset[str] = frozenset()  # the kinds of text scored (corpus only)
    annotated: frozenset[str] = frozenset(("personnel", "budgets", "events", "period-ends"))

    def table(self) -> Table:
        rows = []
        scores = (
            ("personnel", self.personnel),
            ("budgets", self.budgets),
            ("events", self.events),
            ("period-ends", self.endpoints),
        )
        for name, score in scores:
            if not score.gold and (not score.system or name not in self.annotated):
                continue
            measures = [("facts", score.matched, score.system, score.gold)]
            measures.append(("facts+mission", score.strict, score.system, score.gold))
            if name in ("personnel", "budgets") and score.gold_named:
                # a mission left unknown is no error of precision, only of recall
                measures.append(("mission", score.named_right, score.named, score.gold_named))
            for label, hits, system, gold in measures:
                p, r, f = Score.prf(hits, system, gold)
                rows.append(
                    (
                        name,
                        label,
                        f"{p:.3f}",
                        f"{r:.3f}",
                        f"{f:.3f}",
                        str(system),
                        str(gold),
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
        if "distractor" in self.kinds:
            count = str(len(self.distractor_iraq))
            rows.append(("distractor", "figures in Iraq", "", "", "", count, "0", ""))
        columns = ("type", "measure", "precision", "recall", "f1", "system", "gold", "matched")
        return Table(columns, tuple(rows))


def fold(text: str) -> str:
    """White space folded to single spaces, for comparing quotes."""
    return " ".join(text.split())


def load_gold(folder: Path, split: str | None = None, kind: str | None = None) -> dict[str, Gold]:
    """The gold annotations by document name: the ``*.json`` files of a gold folder,
    or the ``*/expected.json`` of a corpus folder, each with its ``case.json`` under
    ``"case"``; ``split`` and ``kind`` keep only the corpus texts of that split
    (``dev``, ``test``) or kind (``kamerstuk``, ``government``, ``news``...)."""
    files = sorted(folder.glob("*/expected.json")) or sorted(folder.glob("*.json"))
    if not files:
        raise KgError(f"{folder}: no gold annotations (*.json or */expected.json) here")
    gold: dict[str, Gold] = {}
    for path in files:
        data = _read_json(path)
        if path.name == "expected.json":
            case = path.with_name("case.json")
            data["case"] = _read_json(case) if case.exists() else {}
        if split is not None and _case(data).get("split") != split:
            continue
        if kind is not None and _case(data).get("kind") != kind:
            continue
        gold[str(data["doc"])] = data
    if not gold:
        raise KgError(f"{folder}: no gold annotations for split={split} kind={kind}")
    return gold


def _read_json(path: Path) -> Gold:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise KgError(f"{path}: cannot read the gold annotations ({err})") from err
    if not isinstance(data, dict):
        raise KgError(f"{path}: the gold annotations are not a JSON object")
    return data


def _case(data: Gold) -> dict[str, object]:
    case = data.get("case")
    return case if isinstance(case, dict) else {}


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
    kind: str,
) -> tuple[list[str], list[str], dict[int, Gold]]:
    used: dict[int, Gold] = {}  # system row -> the gold fact it matched
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
            missed.append(f"{kind}: {doc}: {quote}")
            continue
        used[hit] = fact
        row = rows[hit]
        score.matched += 1
        score.strict += _same(fact.get("mission"), row["mission"])
        if row.get("mission"):
            score.named += 1
            right = _same(fact.get("mission"), row["mission"])
            score.named_right += right
            if not right:
                score.wrong_missions.append(
                    f"{doc}: gold={fact.get('mission')!r} system={row['mission']!r}: {quote[:90]}"
                )
        for name in fields:
            if name not in fact or name not in row:
                continue  # not annotated in this gold set (the seeds have no modality)
            counts = score.fields.setdefault(name, [0, 0])
            same = _same(fact.get(name), row[name])
            counts[0] += same
            counts[1] += 1
            if not same:
                differences.append(
                    f"{kind}: {doc}: {name} gold={fact.get(name)!r} system={row[name]!r}: "
                    f"{quote[:90]}"
                )
    score.gold_named += sum(1 for _, fact in gold_facts if fact.get("mission"))
    spurious = [
        f"{kind}: {row['doc']}: {fold(row['quote'])[:120]}"
        for i, row in enumerate(rows)
        if i not in used
    ]
    return missed, spurious, used


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
    missed, spurious, p_used = _match(
        p_gold, p_rows, people, PERSONNEL_FIELDS, personnel_score, differences, "personnel"
    )
    b_missed, b_spurious, _ = _match(
        b_gold, b_rows, money, BUDGET_FIELDS, budget_score, differences, "budget"
    )

    e_rows = _rows(events, gold)
    e_gold = [(doc, fact) for doc, data in gold.items() for fact in data.get("events", [])]  # type: ignore[attr-defined]
    event_score = Score(system=len(e_rows), gold=len(e_gold))

    def same_date(fact: Gold, row: Row) -> bool:
        return str(fact.get("date")) == row["date"]

    e_missed, e_spurious, _ = _match(
        e_gold, e_rows, same_date, EVENT_FIELDS, event_score, differences, "event"
    )

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

    s_missed, s_spurious, _ = _match(
        s_gold, s_rows, same_end, PERIOD_FIELDS, end_score, differences, "period"
    )
    kinds = frozenset(str(_case(data).get("kind")) for data in gold.values() if _case(data))
    distractors = {doc for doc, data in gold.items() if _case(data).get("kind") == "distractor"}
    in_iraq = _distractor_iraq(p_rows, p_used, distractors)
    annotated = frozenset(
        name
        for name, key in (
            ("personnel", "personnel"),
            ("budgets", "budgets"),
            ("events", "events"),
            ("period-ends", "periods"),
        )
        if any(key in data for data in gold.values())
    )
    e_spurious = e_spurious if "events" in annotated else []  # a corpus has no events gold
    return Report(
        personnel_score,
        budget_score,
        missed + b_missed + e_missed + s_missed,
        spurious + b_spurious + e_spurious + s_spurious,
        differences,
        event_score,
        end_score,
        in_iraq,
        kinds,
        annotated,
    )


def _distractor_iraq(rows: list[Row], matched: dict[int, Gold], distractors: set[str]) -> list[str]:
    """The personnel figures of distractor texts that the system files under an Iraq
    mission the gold does not give them."""
    return [
        f"{row['doc']}: {row['mission']}: {fold(row['quote'])[:100]}"
        for i, row in enumerate(rows)
        if row["doc"] in distractors
        and row["mission"] in IRAQ_MISSIONS
        and (i not in matched or matched[i].get("mission") != row["mission"])
    ]
