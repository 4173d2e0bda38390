"""Oxigraph against rdflib's in-memory store on a large graph from a synthetic corpus.

    python bench/bench_store.py [--docs 60] [--work /tmp/kg-bench] [--repeat 3] [--json]

Writes --docs synthetic letters (Dutch sentences built from templates, with
personnel and budget figures, dates and periods for the missions; a fixed random
seed, so the corpus is the same every run), builds them with kg into --work, and
runs the four canonical queries (personnel, budgets, events, periods) on
Oxigraph (in memory, and the on-disk store of the build folder) and on rdflib's
memory store loaded from the TriG export, checking that they give the same rows.
Prints the triple count, the median time per query on each, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from pathlib import Path

from kg.gazetteer import Concept, load_gazetteer
from kg.pipeline import build
from kg.query import named_queries, run, run_rdflib
from kg.store import open_in_memory, open_rdflib, open_store

CANONICAL = ("personnel", "budgets", "events", "periods")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
ROLES = ("militairen", "adviseurs", "stafofficieren", "civiele experts", "personen")
QUALIFIERS = ("", "circa ", "maximaal ", "ongeveer ", "ruim ")


def letter(rng: random.Random, n: int) -> str:
    """One synthetic artikel 100-brief with many dated facts."""
    missions = [c for c in load_gazetteer().of_kind("mission").values()]
    components = [c for c in load_gazetteer().of_kind("component").values()]
    year = rng.randint(2015, 2024)

    def date() -> str:
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(year - 2, year + 1)}"

    def name(concept: Concept) -> str:
        return rng.choice(sorted(concept.labels))

    lines = [
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "",
        f"Den Haag, {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
        "",
        "In overeenstemming met artikel 100 van de Grondwet informeren wij u over de "
        f"Nederlandse bijdrage aan de missies in Irak (synthetische brief {n}).",
        "",
    ]
    for section in range(12):
        mission = rng.choice(missions)
        component = rng.choice([c for c in components if c.mission == mission.code] or components)
        lines += [f"Bijdrage {section + 1}", ""]
        paragraph = [
            f"Nederland levert {rng.choice(QUALIFIERS)}{rng.randint(2, 400)} "
            f"{rng.choice(ROLES)} aan de {name(mission)} in {rng.randint(year - 1, year + 1)}.",
            f"Sinds {rng.choice(MONTHS)} {year - 1} levert Nederland een {name(component)} van "
            f"circa {rng.randint(5, 200)} militairen.",
            f"Op {date()} besloot het kabinet de bijdrage aan de {name(mission)} te verlengen "
            f"tot en met 31 december {year + 1}.",
            f"De uitgaven voor de {name(mission)} bedroegen in {year - 1} "
            f"€{rng.randint(1, 90)},{rng.randint(1, 9)} miljoen.",
            f"Op {date()} vond een aanval plaats op een basis van de coalitie.",
            f"De {name(component)} wordt per 1 {rng.choice(MONTHS)} {year + 1} beëindigd.",
            f"Van {rng.choice(MONTHS)} {year} tot en met {rng.choice(MONTHS)} {year + 1} "
            f"stelt Nederland drie tot twaalf adviseurs beschikbaar aan de {name(mission)}.",
            f"Medio {rng.choice(MONTHS)} {year} sprak de minister met premier Abadi over de "
            f"{name(mission)}.",
        ]
        lines += [" ".join(paragraph), ""]
    lines += ["De Minister van Defensie,", "A.B. Voorbeeld", ""]
    return "\n".join(lines)


def median_ms(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rng = random.Random(20261123)
    corpus = args.work / "corpus"
    out = args.work / "out"
    shutil.rmtree(args.work, ignore_errors=True)
    corpus.mkdir(parents=True)
    for n in range(args.docs):
        (corpus / f"synthetic_{n:03d}.txt").write_text(letter(rng, n), encoding="utf-8")
    began = time.perf_counter()
    report = build([corpus], out, clean=True)
    build_s = time.perf_counter() - began
    assert not report.rejected, report.rejected

    store = open_store(out)
    triples = run(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    began = time.perf_counter()
    memory = open_rdflib(out, "memory")
    load_s = time.perf_counter() - began
    began = time.perf_counter()
    in_memory = open_in_memory(out)
    copy_s = time.perf_counter() - began
    results = {}
    for name in CANONICAL:
        text = named_queries()[name].text
        disk = median_ms(lambda text=text: run(store, text), args.repeat)
        oxigraph = median_ms(lambda text=text: run(in_memory, text), args.repeat)
        rdflib = median_ms(lambda text=text: run_rdflib(memory, text), args.repeat)
        rows = len(run(store, text).rows)
        assert sorted(run_rdflib(memory, text).rows) == sorted(run(in_memory, text).rows)
        results[name] = {
            "oxigraph_disk_ms": disk,
            "oxigraph_memory_ms": oxigraph,
            "rdflib_memory_ms": rdflib,
            "ratio_memory": round(rdflib / oxigraph, 1),
            "ratio_disk": round(rdflib / disk, 1),
            "rows": rows,
        }
    summary = {
        "documents": args.docs,
        "triples": int(triples),
        "build_seconds": round(build_s, 1),
        "rdflib_load_seconds": round(load_s, 1),
        "oxigraph_memory_copy_seconds": round(copy_s, 1),
        "queries": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"{args.docs} documents, {int(triples):,} triples (build {build_s:.1f} s; "
        f"rdflib load {load_s:.1f} s; Oxigraph copy to memory {copy_s:.1f} s)"
    )
    print("query      Oxigraph memory  rdflib memory  ratio   Oxigraph on disk  ratio   rows")
    for name, r in results.items():
        print(
            f"{name:10} {r['oxigraph_memory_ms']:12.1f} ms {r['rdflib_memory_ms']:11.1f} ms "
            f"{r['ratio_memory']:5.1f}x {r['oxigraph_disk_ms']:14.1f} ms {r['ratio_disk']:5.1f}x "
            f"{r['rows']:6}"
        )


if __name__ == "__main__":
    main()
