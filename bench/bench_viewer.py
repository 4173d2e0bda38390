"""How long the viewer takes to become interactive in a real browser.

    python bench/bench_viewer.py [--out out] [--facts 10000] [--repeat 5] [--json]

Writes two viewers: the seeds' (``OUT/site``, building the seeds first when OUT holds no
build) and one of ``--facts`` synthetic facts (a quarter each personnel figures,
amounts, events and periods over 40 documents, with the network they give, and one
contribution phase per five period facts of a mission and component, supported by them
and an event), written by the same writer (:func:`kg.render.render_site`). Each page is
opened from ``file://`` in Debian's Chromium driven by Playwright, ``--repeat`` times in
a fresh page; the time is from navigation start until the page sets ``window.kgReady``
after its first render (the ``kg-ready`` performance mark). Then, in each page, the
filters are changed as a reader changes them (a mission unticked, a fact type unticked,
a year typed in "from", a word searched, each undone again), and each change is timed
from the event until the frame after it is drawn: how long the page is unresponsive
while filtering. Prints the median and the slowest of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from kg.pipeline import build
from kg.render import render_site, site, write_site
from kg.render.data import (
    Concept,
    Document,
    Fact,
    Phase,
    SiteData,
    gather,
    labels_of,
    network,
    phase_headline,
)
from kg.store import open_store, store_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROMIUM = site.CHROMIUM
BROWSER_ARGS = list(site.CHROMIUM_ARGS)
MISSIONS = ("OIR", "NMI", "EUAM", "MoPA", "")
QUALIFIERS = ("exact", "approx", "max", "min", "range")
PURPOSES = ("military", "military", "humanitarian", "development", "reconstruction_estimate")
PEOPLE = ("Rutte", "Mark Rutte", "Sudani", "al-Sudani", "Mohammed al-Sudani", "Abadi")


def _day(rng: random.Random) -> dt.date:
    return dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))


def synthetic(concepts: tuple[Concept, ...], count: int, seed: int = 7) -> SiteData:
    """``count`` made-up facts over 40 documents, with the gazetteers' ``concepts``."""
    rng = random.Random(seed)
    components: dict[str, list[str]] = {}
    for concept in concepts:
        if concept.kind == "component" and concept.broader:
            components.setdefault(concept.broader, []).append(concept.code)
    documents = tuple(
        Document(
            id=f"synthetic-{n:03d}.txt",
            type="artikel 100-brief",
            date=_day(rng).isoformat(),
            precision="day",
            dossier="27 925",
            number=str(600 + n),
            title=f"Synthetic letter {n} about the Dutch contribution in Iraq",
            signatories=(("A. Minister", "minister van Defensie"),),
        )
        for n in range(40)
    )
    facts = []
    mentions: dict[str, list[tuple[str, str]]] = {}
    for i in range(count):
        kind = ("personnel", "budget", "event", "period")[i % 4]
        doc = documents[rng.randrange(len(documents))]
        mission = rng.choice(MISSIONS)
        component = rng.choice([*components.get(mission, []), ""]) or None
        day = _day(rng)
        later = day + dt.timedelta(days=rng.randrange(20, 900))
        figure = str(rng.randrange(1, 300))
        sentence = (
            f"Op {day.isoformat()} levert Nederland {figure} militairen aan de missie "
            f"{mission or 'in Irak'} (synthetisch feit {i})."
        )
        begin = sentence.index(figure, 20)
        common = Fact(
            id=f"{doc.id}/{kind}/{i}-{i + len(figure)}/0",
            kind=kind,
            doc=doc.id,
            sentence=sentence,
            offsets=(1000 + begin, 1000 + begin + len(figure)),
            mark=(begin, begin + len(figure)),
            mission=mission,
            component=component,
        )
        if kind == "personnel":
            qualifier = rng.choice(QUALIFIERS)
            value = int(figure)
            fact = replace(
                common,
                start=day.isoformat(),
                end=later.isoformat(),
                value=value if qualifier in ("exact", "approx") else None,
                minimum=value if qualifier in ("min", "range") else None,
                maximum=value + 10 if qualifier in ("max", "range") else None,
                qualifier=qualifier,
                role="military",
                country="NL",
                scope="contribution",
                valid_from=day.isoformat(),
                valid_to=later.isoformat(),
            )
        elif kind == "budget":
            year = str(day.year)
            fact = replace(
                common,
                start=f"{year}-01-01",
                end=f"{year}-12-31",
                amount=round(10 ** rng.uniform(5, 9)),
                currency=rng.choice(("EUR", "EUR", "EUR", "USD")),
                year=year,
                purpose=rng.choice(PURPOSES),
                recurring=False,
            )
        elif kind == "event":
            fact = replace(
                common,
                start=day.isoformat(),
                end=day.isoformat(),
                label="besluit",
                date=day.isoformat(),
                precision="day",
                event_type="decision",
            )
            person = ("person", rng.choice(PEOPLE))
            mentions[fact.id] = [("country", "IQ"), ("organisation", "NATO"), person]
        else:
            side = rng.randrange(3)
            fact = replace(
                common,
                start=day.isoformat() if side != 1 else None,
                end=later.isoformat() if side != 0 else None,
                label="verlengd",
                event_type="extension",
                period_start=day.isoformat() if side != 1 else None,
                period_end=later.isoformat() if side != 0 else None,
            )
        facts.append(fact)
    # in document order, as a build gives them: the page is written a document at a time
    facts.sort(key=lambda f: (f.doc, f.offsets, f.id))
    nodes, edges = network(concepts, documents, facts, mentions)
    phases = synthetic_phases(concepts, facts, rng)
    return SiteData(concepts, documents, tuple(facts), nodes, edges, phases)


STATUSES = ("stated",) * 7 + ("unstated",) * 2 + ("disputed",)


def synthetic_phases(
    concepts: tuple[Concept, ...], facts: list[Fact], rng: random.Random
) -> tuple[Phase, ...]:
    """One phase per five period facts of a mission and component (in the order of
    their first day), supported by them and an event of the mission: a side stated
    (7 in 10), unstated or disputed, and a planned end for one in four."""
    labels = labels_of(concepts)
    runs: dict[tuple[str, str | None], list[Fact]] = {}
    for fact in facts:
        if fact.kind == "period" and fact.mission:
            runs.setdefault((fact.mission, fact.component), []).append(fact)
    events: dict[str, list[str]] = {}
    for fact in facts:
        if fact.kind == "event" and fact.mission:
            events.setdefault(fact.mission, []).append(fact.id)
    phases = []
    for (mission, component), periods in sorted(
        runs.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
    ):
        periods.sort(key=lambda f: (f.start or f.end or "", f.id))
        for n in range(0, len(periods), 5):
            group = periods[n : n + 5]
            starts = sorted(f.start for f in group if f.start)
            ends = sorted(f.end for f in group if f.end)
            sides = {}
            for side, values in (("start", starts), ("end", ends)):
                status = rng.choice(STATUSES) if values else "unstated"
                if status == "disputed" and len(values) < 2:
                    status = "stated"
                sides[side] = (status, values)
            (start_status, starts), (end_status, ends) = sides["start"], sides["end"]
            start = starts[0] if start_status == "stated" else None
            end = ends[-1] if end_status == "stated" else None
            planned = None
            known = end or (starts[0] if starts else None)
            if known and rng.random() < 0.25:  # a plan past what is stated
                later = dt.date.fromisoformat(known) + dt.timedelta(days=rng.randrange(30, 400))
                planned = later.isoformat()
            mentions = sorted([f.id for f in group] + rng.sample(events.get(mission, []), 1))
            ids = {f.id: mentions.index(f.id) for f in group}
            phase = Phase(
                id=f"{mission}/{component or 'mission'}/{n // 5:016x}",
                mission=mission,
                component=component,
                start_status=start_status,
                end_status=end_status,
                start_value=start,
                start_precision="day" if start else None,
                end_value=end,
                end_precision="day" if end else None,
                start=start,
                end=end,
                planned_end=planned,
                plan_to=planned,
                start_claims=tuple(starts[:2]) if start_status == "disputed" else (),
                end_claims=tuple(ends[-2:]) if end_status == "disputed" else (),
                start_zone=(starts[0], starts[1]) if start_status == "disputed" else (),
                end_zone=(ends[-2], ends[-1]) if end_status == "disputed" else (),
                rules=("run",) if component else ("same-start",),
                mentions=tuple(mentions),
                start_by=tuple(sorted(ids[f.id] for f in group if f.start)),
                end_by=tuple(sorted(ids[f.id] for f in group if f.end)),
            )
            phases.append(replace(phase, title=phase_headline(phase, labels)))
    return tuple(sorted(phases, key=lambda p: p.id))


# Each filter change: the control, how it is changed, and back. Run in the page, it
# resolves to the milliseconds from the change until the frame after the redraw.
FILTERING = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const times = [];
  const timed = async (change) => {
    const t = performance.now();
    change();
    await frame();
    times.push(performance.now() - t);
  };
  const box = (name, value) =>
    document.querySelector("input[name=" + name + "][value=" + value + "]");
  const tick = (input, on) => () => {
    input.checked = on;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const type = (id, value, event) => () => {
    const input = document.getElementById(id);
    input.value = value;
    input.dispatchEvent(new Event(event, { bubbles: true }));
  };
  for (const [name, value] of [["mission", "OIR"], ["type", "event"]]) {
    await timed(tick(box(name, value), false));
    await timed(tick(box(name, value), true));
  }
  await timed(type("f-from", "2019", "change"));
  await timed(type("f-from", "", "change"));
  // the search waits 200 ms after the last key: timed is the redraw, not the wait
  KG.app.state.q = "militairen";
  await timed(() => KG.app.apply({ rezoom: false }));
  KG.app.state.q = "";
  await timed(() => KG.app.apply({ rezoom: false }));
  // the timeline's "mentions" toggle: each period fact instead of the phases, and back
  const filters = times.splice(0);
  const toggle = document.getElementById("f-mentions");
  if (!toggle.disabled) {
    await timed(tick(toggle, true));
    await timed(tick(toggle, false));
  }
  return { filters: filters, toggle: times };
}"""


def measure(index: Path, repeat: int) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds from navigation start to ``window.kgReady``, one per fresh page,
    of every filter change (:data:`FILTERING`) in those pages, and of the timeline's
    mentions toggle, on and off."""
    from playwright.sync_api import sync_playwright

    times = []
    filtering: list[float] = []
    toggling: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            for _ in range(repeat + 1):  # the first run warms the browser's caches up
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(index.as_uri())
                # (a selector: wait_for_function would evaluate a string, which the CSP forbids)
                page.wait_for_selector("html[data-ready=true]", state="attached", timeout=60_000)
                times.append(page.evaluate("performance.getEntriesByName('kg-ready')[0].startTime"))
                changes = page.evaluate(FILTERING)
                if len(times) > 1:
                    filtering.extend(changes["filters"])
                    toggling.extend(changes["toggle"])
                page.close()
        finally:
            browser.close()
    return times[1:], filtering, toggling


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not store_path(args.out).is_dir():
        build([SEEDS], args.out)
    seed_index = write_site(args.out)
    seeds = gather(open_store(args.out))
    concepts = seeds.concepts
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = synthetic(concepts, args.facts)
        synthetic_index = render_site(data, Path(tmp) / "site")
        for name, index, facts in (
            ("seeds", seed_index, None),
            (f"{args.facts} synthetic facts", synthetic_index, args.facts),
        ):
            times, filtering, toggling = measure(index, args.repeat)
            results[name] = {
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "filter_median_ms": round(statistics.median(filtering), 1),
                "filter_max_ms": round(max(filtering), 1),
                "toggle_median_ms": round(statistics.median(toggling), 1) if toggling else None,
                "toggle_max_ms": round(max(toggling), 1) if toggling else None,
                "phases": len(data.phases if facts is not None else seeds.phases),
                "page_bytes": index.stat().st_size,
                "facts": facts if facts is not None else len(seeds.facts),
            }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, result in results.items():
        print(
            f"{name:24} interactive after median {result['median_ms']:7.1f} ms, "
            f"slowest {result['max_ms']:7.1f} ms  ({result['facts']} facts, "
            f"{result['phases']} phases, index.html {result['page_bytes'] / 1e6:.2f} MB)\n"
            f"{'':24} a filter change drawn after median {result['filter_median_ms']:7.1f} ms, "
            f"slowest {result['filter_max_ms']:7.1f} ms"
        )
        if result["toggle_median_ms"] is not None:
            print(
                f"{'':24} the mentions toggle drawn after median "
                f"{result['toggle_median_ms']:7.1f} ms, slowest {result['toggle_max_ms']:7.1f} ms"
            )


if __name__ == "__main__":
    main()
