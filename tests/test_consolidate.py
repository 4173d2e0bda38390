"""The consolidation: contribution phases joined from the starts, extensions and ends
that sentences of several documents state, and the Dutch strength as steps.

The rules are held on invented cases, made as the dataclasses the stage reads and as
short letters built by ``kg build``; then the phases of the seeds, and their graph
against the SHACL shapes (ontology/README.md, "Consolidation")."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.consolidate import (
    CONSOLIDATION_GRAPH,
    NO_MISSION,
    EventMention,
    Figure,
    Link,
    Mention,
    Phase,
    Rule,
    Side,
    SideStatus,
    TimeBasis,
    concept,
    consolidate,
    consolidation_texts,
    mentions_from_json,
    mentions_json,
    mentions_of,
    read_mentions,
    strength_steps,
)
from kg.pipeline import CONSOLIDATION_CACHE, TRIG_CACHE, build
from kg.query import named_queries, run
from kg.store import graph_keys, held_text, open_store, rules_of, stored_documents
from kg.timevalue import point_of
from kg.validate import load_graph, load_shapes, validate, validate_graph
from kg.vocab import ID, ONTOLOGY_IRI, ontology_dir

if TYPE_CHECKING:
    from conftest import SeedBuild

OIR, NMI = f"{ID}mission/OIR", f"{ID}mission/NMI"
TEAM = f"{ID}component/surgical-team"


def side(value: str | None) -> Side | None:
    """A side at the precision of its value ("2019", "2019-03", "2019-03-14")."""
    if value is None:
        return None
    point = point_of(value)
    return Side(value, point.precision, point.earliest.isoformat(), point.latest.isoformat())


def mention(
    iri: str,
    doc: str,
    date: str | None,
    start: str | None = None,
    end: str | None = None,
    *,
    modality: str = "stated",
    mission: str = OIR,
    component: str | None = TEAM,
    sentence: str | None = None,
) -> Mention:
    return Mention(
        iri,
        doc,
        date,
        mission,
        component,
        modality,
        sentence or f"{iri}/sentence",
        0,
        side(start),
        side(end),
    )


def one(phases: Sequence[Phase]) -> Phase:
    assert len(phases) == 1, [p.mentions for p in phases]
    return phases[0]


def value(phase: Phase, name: str, planned: bool = False) -> str | None:
    """A phase's side as its value, "unstated" or "disputed"."""
    decision = getattr(phase, f"planned_{name}" if planned else name)
    if decision.mention is None:
        return str(decision.status.value)
    found = decision.mention.side(name)
    assert found is not None
    return found.value


def relations(links: Sequence[Link]) -> set[tuple[str, str, str, str]]:
    return {(k.a, k.b, k.side, k.relation.value) for k in links}


# --- the rules, on invented mentions -------------------------------------------------


def test_consolidate_a_start_and_the_ends_of_other_sentences_are_one_phase() -> None:
    phase = one(
        consolidate(
            [
                mention("a", "d1", "2018-09-14", start="2018-01"),
                mention("b", "d1", "2018-09-14", end="2018-12-31"),
                mention("c", "d1", "2018-09-14", end="2018-12-31"),
            ]
        )[0]
    )
    assert (value(phase, "start"), value(phase, "end")) == ("2018-01", "2018-12-31")
    assert phase.start.mention is not None and phase.start.mention.start is not None
    assert phase.start.mention.start.precision == "month"  # as the text states it
    assert [m.iri for m in phase.mentions] == ["a", "b", "c"]
    assert phase.rules == (Rule.RUN,)


def test_consolidate_a_plan_gives_planned_sides_and_never_stated_ones() -> None:
    phase = one(
        consolidate(
            [
                mention("a", "d1", "2018-09-14", start="2018-10", modality="planned"),
                mention("b", "d1", "2018-09-14", end="2019-12-31", modality="expected"),
            ]
        )[0]
    )
    assert phase.start.status == phase.end.status == SideStatus.UNSTATED
    assert (value(phase, "start", True), value(phase, "end", True)) == ("2018-10", "2019-12-31")


def test_consolidate_a_planned_end_does_not_become_the_stated_end() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2018-09-14", start="2018-01"),
            mention("b", "d1", "2018-09-14", end="2019-01", modality="expected"),
            # a later document's plan does not replace a stated end either
            mention("c", "d2", "2019-03-01", end="2019-06-30", modality="planned"),
        ]
    )
    phase = one(phases)
    assert value(phase, "start") == "2018-01"
    assert phase.end.status == SideStatus.UNSTATED and phase.end.mention is None
    assert value(phase, "end", planned=True) == "2019-06-30"  # the later plan
    assert ("c", "b", "end", "supersedes") in relations(links)  # a later plan, an earlier one


def test_consolidate_an_extension_moves_the_end() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2019-03-15", start="2019-02-01"),
            mention("b", "d1", "2019-03-15", end="2019-12-31"),
            mention("c", "d2", "2019-11-20", end="2020-06-30"),
        ]
    )
    assert value(one(phases), "end") == "2020-06-30"
    assert relations(links) == {("c", "b", "end", "supersedes"), ("c", "b", "end", "extends")}


def test_consolidate_an_early_stop_cuts_the_end() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2019-03-15", start="2019-02-01"),
            mention("b", "d1", "2019-03-15", end="2019-12-31"),
            mention("c", "d2", "2019-11-20", end="2020-06-30"),
            mention("d", "d3", "2020-04-10", end="2020-03-15"),
        ]
    )
    assert value(one(phases), "end") == "2020-03-15"
    found = relations(links)
    # the stop cuts the extension before it; the extension had moved the first end
    assert ("d", "c", "end", "cuts") in found and ("c", "b", "end", "extends") in found
    assert ("d", "b", "end", "extends") not in found and ("d", "b", "end", "supersedes") in found


def test_consolidate_two_documents_that_disagree_about_a_start_conflict() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2019-06", start="2019-03"),
            mention("b", "d2", "2019-06", start="2019-04"),  # neither letter is later
            mention("c", "d1", "2019-06", end="2019-12-31"),
        ]
    )
    phase = one(phases)
    assert phase.start.status == SideStatus.DISPUTED and phase.start.mention is None
    assert value(phase, "end") == "2019-12-31"
    assert relations(links) == {("a", "b", "start", "conflict")}


def test_consolidate_a_later_document_supersedes_an_earlier_start() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2019-03-01", start="2019-03", modality="planned"),
            mention("b", "d2", "2019-06-01", start="2019-04"),
        ]
    )
    phase = one(phases)
    assert value(phase, "start") == "2019-04" and value(phase, "start", True) == "2019-03"
    assert relations(links) == {("b", "a", "start", "supersedes")}


def test_consolidate_agreeing_documents_give_the_most_precise_side() -> None:
    phases, links = consolidate(
        [
            mention("a", "d1", "2018-09-14", start="2018-01", end="2018-12-31"),
            mention("b", "d2", "2021-06-05", start="2018-01", end="2018-12"),
        ]
    )
    assert value(one(phases), "end") == "2018-12-31"
    assert links == []


def test_consolidate_a_start_with_no_end_leaves_the_end_unstated() -> None:
    phase = one(consolidate([mention("a", "d1", "2024-05-15", start="2024-01")])[0])
    assert value(phase, "start") == "2024-01"
    assert phase.end == phase.planned_end and phase.end.status == SideStatus.UNSTATED
    assert phase.rules == (Rule.SINGLE,)


def test_consolidate_a_mention_of_no_mission_joins_nothing() -> None:
    phases, _ = consolidate(
        [
            mention("a", "d1", "2019-03-15", start="2019-02-01"),
            mention("b", "d1", "2019-03-15", end="2019-06-30", mission=NO_MISSION),
            mention("c", "d2", "2019-11-20", end="2019-05-01", mission=NO_MISSION, component=None),
        ]
    )
    phase = one(phases)
    assert [m.iri for m in phase.mentions] == ["a"] and phase.end.status == SideStatus.UNSTATED


@pytest.mark.parametrize("modality", ["possible", "conditional", "negated"])
def test_consolidate_unsure_mentions_neither_start_nor_end(modality: str) -> None:
    phases, _ = consolidate(
        [
            mention("a", "d1", "2019-03-15", start="2019-02-01"),
            mention("b", "d1", "2019-03-15", end="2019-06-30", modality=modality),
        ]
    )
    assert [m.iri for m in one(phases).mentions] == ["a"]


def test_consolidate_a_start_after_a_stated_end_is_the_next_phase() -> None:
    phases, _ = consolidate(
        [
            mention("a", "d1", "2021-06-05", start="2014-10", end="2016-06"),
            mention("b", "d2", "2018-09-14", start="2018-01"),
            mention("c", "d2", "2018-09-14", end="2018-12-31"),
        ]
    )
    assert sorted((value(p, "start"), value(p, "end")) for p in phases) == [
        ("2014-10", "2016-06"),
        ("2018-01", "2018-12-31"),
    ]


def test_consolidate_a_start_under_way_stays_apart_from_a_phase_ended_before() -> None:
    phases, _ = consolidate(
        [
            mention("a", "d1", "2021-06-05", start="2014-10", end="2016-06"),
            # a letter of 2021: "since October 2014", a start with no end
            mention("b", "d1", "2021-06-05", start="2014-10"),
        ]
    )
    assert len(phases) == 2
    apart = next(p for p in phases if Rule.UNDER_WAY in p.rules)
    assert [m.iri for m in apart.mentions] == ["b"]
    assert value(apart, "start") == "2014-10" and apart.end.status == SideStatus.UNSTATED


def test_consolidate_a_mission_with_no_component_joins_only_the_same_side() -> None:
    def whole(iri: str, doc: str, date: str, **sides: str) -> Mention:
        return mention(iri, doc, date, component=None, **sides)

    phases, _ = consolidate(
        [
            whole("a", "d1", "2018-09-14", start="2014"),
            whole("b", "d2", "2019-03-01", start="2014-10"),  # the same start
            whole("c", "d2", "2019-03-01", end="2023-05"),  # a part's end: not joined
            whole("d", "d3", "2022-12-13", end="2023-05-31"),  # the same end
        ]
    )
    found = {tuple(m.iri for m in p.mentions): p for p in phases}
    assert set(found) == {("a", "b"), ("c", "d")}
    assert value(found[("a", "b")], "start") == "2014-10"  # the later, more precise
    assert found[("a", "b")].end.status == SideStatus.UNSTATED
    assert found[("a", "b")].rules == (Rule.SAME_START,)
    assert found[("c", "d")].rules == (Rule.SAME_END,)


def test_consolidate_a_year_the_contribution_runs_states_neither_side() -> None:
    # "wordt in 2019 voortgezet": both sides one time
    during = mention("b", "d1", "2018-09-14", start="2019", end="2019")
    assert consolidate([during])[0] == []
    phase = one(consolidate([mention("a", "d1", "2018-09-14", start="2018-01"), during])[0])
    assert [m.iri for m in phase.mentions] == ["a", "b"]
    assert value(phase, "start") == "2018-01" and phase.end.status == SideStatus.UNSTATED


def test_consolidate_events_of_the_same_sentence_and_date_support_the_phase() -> None:
    periods = [
        mention("a", "d1", "2018-09-14", start="2018-01", sentence="s1"),
        mention("b", "d1", "2018-09-14", end="2018-12-31", sentence="s2"),
    ]
    events = [
        EventMention("e1", OIR, "end", "s2", "2018-12-31", "2018-12-31"),
        EventMention("e2", OIR, "end", "s2", "2019-01-01", "2019-12-31"),  # another date
        EventMention("e3", OIR, "start", "s2", "2018-12-31", "2018-12-31"),  # not its side
        EventMention("e4", NMI, "end", "s2", "2018-12-31", "2018-12-31"),  # another mission
        EventMention("e5", OIR, "decision", "s1", "2017-09-11", "2017-09-11"),  # any date
        EventMention("e6", OIR, "start", "s9", "2018-01-01", "2018-01-31"),  # no period there
    ]
    phase = one(consolidate(periods, events)[0])
    assert phase.events == ("e1", "e5")
    assert Rule.SAME_SENTENCE in phase.rules
    assert consolidate([], events)[0] == []  # events alone make no phase


def test_consolidate_the_same_mentions_give_the_same_graph_text() -> None:
    mentions = [
        mention("urn:a", "urn:d1", "2019-03-15", start="2019-02-01"),
        mention("urn:b", "urn:d1", "2019-03-15", end="2019-12-31"),
        mention("urn:c", "urn:d2", "2019-11-20", end="2020-06-30"),
    ]
    steps = strength_steps([figure("urn:f", "urn:d1", "2019-03-15", 10, valid_from="2019-03")])
    first = consolidation_texts(*consolidate(mentions), steps)
    second = consolidation_texts(*consolidate(list(reversed(mentions))), steps)
    assert first == second == sorted(first)
    # the text is that of the quads, as the store and the kept text compare them
    parsed = list(ox.parse("".join(f"{text} .\n" for text in first), format=ox.RdfFormat.N_QUADS))
    assert [str(quad) for quad in parsed] == first
    assert {quad.graph_name.value for quad in parsed} == {CONSOLIDATION_GRAPH}


# --- strength ----------------------------------------------------------------------


def figure(iri: str, doc: str, date: str | None, count: int, **extra: object) -> Figure:
    base = Figure(
        iri, doc, date, NMI, None, f"{ID}role/adviser", "exact", count, None, None, None, None,
        "stated", 0,
    )  # fmt: skip
    return replace(base, **extra)


def test_consolidate_strength_one_step_per_figure_and_time() -> None:
    steps = strength_steps(
        [
            figure("f1", "d1", "2022-12-13", 13),
            figure("f2", "d2", "2022-12-13", 13),  # the same figure, the same day
            figure("f3", "d3", "2021-06-05", 7),
            figure("f4", "d4", "2024-05-15", 13, valid_from="2023-05", valid_to="2024-04"),
            figure("f5", "d5", None, 20, qualifier="max", value=None, maximum=20),
        ]
    )
    found = {
        (s.valid_from, s.valid_to, s.basis, s.value, s.maximum): [f.iri for f in s.sources]
        for s in steps
    }
    assert found == {
        ("2022-12-13", "2022-12-13", TimeBasis.DOCUMENT, 13, None): ["f1", "f2"],
        ("2021-06-05", "2021-06-05", TimeBasis.DOCUMENT, 7, None): ["f3"],
        ("2023-05", "2024-04", TimeBasis.STATED, 13, None): ["f4"],
        (None, None, TimeBasis.NONE, None, 20): ["f5"],
    }


def test_consolidate_strength_leaves_out_unsure_figures_and_unknown_missions() -> None:
    steps = strength_steps(
        [
            figure("f1", "d1", "2021", 20, modality="negated"),
            figure("f2", "d1", "2021", 20, modality="possible"),
            figure("f3", "d1", "2021", 20, mission=NO_MISSION),
            figure("f4", "d1", "2021", 20, modality="planned"),
        ]
    )
    assert [(s.modality, [f.iri for f in s.sources]) for s in steps] == [("planned", ["f4"])]


def test_consolidate_strength_shows_the_latest_source() -> None:
    (step,) = strength_steps(
        [
            figure("f1", "d1", "2022-12-13", 13, valid_from="2022"),
            replace(figure("f2", "d2", "2023-01-10", 13, valid_from="2022"), begin=40),
            replace(figure("f3", "d2", "2023-01-10", 13, valid_from="2022"), begin=10),
        ]
    )
    assert step.representative.iri == "f3"  # of the latest document, the first in it


# --- the vocabulary ------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return Graph().parse(ontology_dir() / "vocabularies.ttl", format="turtle")


@pytest.mark.parametrize(
    ("scheme", "members"),
    [("consolidation-rule", Rule), ("side-status", SideStatus), ("time-basis", TimeBasis)],
)
def test_consolidate_every_rule_and_status_is_a_concept_with_a_definition(
    vocabularies: Graph, scheme: str, members: type
) -> None:
    for member in members:
        term = URIRef(concept(scheme, member.value))
        assert (term, RDF.type, None) in vocabularies, term
        assert str(vocabularies.value(term, SKOS.notation)) == member.value
        assert vocabularies.value(term, SKOS.definition) is not None, term
    readme = (ontology_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Consolidation", 1)[1].split("\n## ", 1)[0]
    if scheme == "consolidation-rule":  # each rule is written out for the user
        for member in members:
            assert f"**`{member.value}`" in section or f", `{member.value}`" in section, member


# --- letters built by kg build --------------------------------------------------------

LETTERS = {
    "a.txt": "Den Haag, 15 maart 2019\n\nSinds 1 februari 2019 is een Nederlands chirurgisch "
    "team ontplooid in Irak. De bijdrage van het chirurgisch team wordt op 31 december 2019 "
    "beëindigd.\n",
    "b.txt": "Den Haag, 20 november 2019\n\nHet kabinet heeft besloten de bijdrage van het "
    "chirurgisch team in Irak te verlengen tot en met 30 juni 2020.\n",
    "c.txt": "Den Haag, 10 april 2020\n\nDe bijdrage van het chirurgisch team in Irak is op "
    "15 maart 2020 beëindigd.\n",
}


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    inputs = folder / "in"
    inputs.mkdir()
    for name, text in LETTERS.items():
        (inputs / name).write_text(text, encoding="utf-8")
    assert not build([inputs], folder / "out").rejected
    return folder


def rows(out: Path, name: str) -> list[dict[str, str]]:
    table = run(open_store(out), named_queries()[name].text)
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def test_consolidate_letters_extended_then_stopped_early_are_one_phase(letters: Path) -> None:
    (phase,) = rows(letters / "out", "phases")
    assert {k: phase[k] for k in ("mission", "component", "start", "end", "docs")} == {
        "mission": "OIR",
        "component": "surgical-team",
        "start": "2019-02-01",
        "end": "2020-03-15",
        "docs": "a.txt b.txt c.txt",
    }
    assert (phase["start_status"], phase["end_status"], phase["sentences"]) == (
        "stated",
        "stated",
        "4",
    )
    life = {
        (r["date"], r["kind"], r["status"], r["doc"]) for r in rows(letters / "out", "lifecycle")
    }
    assert life == {
        ("2019-02-01", "start", "stated", "a.txt"),
        ("2019-12-31", "end", "superseded", "a.txt"),
        ("2020-06-30", "extension", "superseded", "b.txt"),
        ("2020-03-15", "end", "stated", "c.txt"),
    }


def test_consolidate_a_rebuild_reads_only_the_changed_letter(letters: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(letters / "out", out)
    inputs = tmp_path / "in"
    shutil.copytree(letters / "in", inputs)
    before = {p.name for p in (out / CONSOLIDATION_CACHE).iterdir()}
    (inputs / "c.txt").write_text(LETTERS["c.txt"].replace("15 maart", "1 maart"), "utf-8")
    report = build([inputs], out)
    assert [b.name for b in report.built] == ["c.txt"]
    now = {p.name for p in (out / CONSOLIDATION_CACHE).iterdir()}
    assert len(before - now) == len(now - before) == 1  # one document's mentions read again
    assert "consolidation" in report.timings
    (phase,) = rows(out, "phases")
    assert phase["end"] == "2020-03-01"
    fresh = tmp_path / "fresh"
    build([inputs], fresh)
    assert (out / "graph.trig").read_bytes() == (fresh / "graph.trig").read_bytes()


def test_consolidate_kept_mentions_are_those_read_from_the_store(letters: Path) -> None:
    store = open_store(letters / "out")
    keys = graph_keys(stored_documents(store).values(), rules_of(store))
    kept = read_mentions(store, letters / "out" / CONSOLIDATION_CACHE, keys)
    whole = mentions_of(store)
    assert sorted(kept.periods, key=lambda m: m.iri) == list(whole.periods)
    assert sorted(kept.events, key=lambda e: e.iri) == list(whole.events)
    assert mentions_from_json(mentions_json(whole)) == whole


# --- the seeds ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_phases(seed_build: SeedBuild) -> list[dict[str, str]]:
    assert seed_build.result.exit_code == 0, seed_build.result.output
    return rows(seed_build.out, "phases")


def test_consolidate_seeds_the_f16_detachment_of_2018_is_one_phase(
    seed_phases: list[dict[str, str]], seed_build: SeedBuild
) -> None:
    (f16,) = [p for p in seed_phases if p["component"] == "f16-detachment"]
    assert (f16["start"], f16["start_precision"], f16["start_status"]) == (
        "2018-01",
        "month",
        "stated",
    )
    assert (f16["end"], f16["end_precision"], f16["end_status"]) == ("2018-12-31", "day", "stated")
    assert f16["planned_end"] == "2018-12-31"  # "wordt zoals gepland beëindigd" is a plan
    assert f16["docs"] == "001_1044ea1259fcd4ce.txt"
    store = open_store(seed_build.out)
    solutions = store.query(
        """SELECT DISTINCT ?quote WHERE {
             ?p a kg:ContributionPhase ; kg:ofComponent/skos:notation "f16-detachment" ;
                kg:supportedBy/kg:sentence/nif:anchorOf ?quote }""",
        prefixes={
            "kg": "https://w3id.org/kg-iraq/ontology#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
        },
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, ox.QuerySolutions)
    quotes = sorted(" ".join(str(s["quote"].value).split()) for s in solutions)
    assert len(quotes) == int(f16["sentences"]) == 4
    assert quotes[0].startswith("De Nederlandse F-16 inzet in de strijd tegen ISIS")
    assert any(q.startswith("Sinds januari opereren vier F-16") for q in quotes)
    assert sum("31 december 2018" in q for q in quotes) == 3


def test_consolidate_seeds_the_start_in_october_2014_has_no_stated_end(
    seed_phases: list[dict[str, str]],
) -> None:
    started = [p for p in seed_phases if p["mission"] == "OIR" and p["start"] == "2014-10"]
    ended = [p for p in started if p["end_status"] == "stated"]
    open_ = [p for p in started if p["end_status"] == "unstated"]
    # "Van oktober 2014 tot en met juni 2016": the first F-16 period, which the text ends
    assert [p["end"] for p in ended] == ["2016-06"]
    # "sinds het begin van de inzet in oktober 2014" and "levert sinds 2014": no end
    (since,) = open_
    assert since["end"] == "" and "under-way" in since["rule"].split()
    assert since["docs"] == "000_aecc147fb1b91a27.txt 001_1044ea1259fcd4ce.txt"


def test_consolidate_seeds_no_phase_is_of_no_mission_and_no_stated_side_is_a_plan(
    seed_phases: list[dict[str, str]], seed_build: SeedBuild
) -> None:
    assert seed_phases and all(p["mission"] for p in seed_phases)
    store = open_store(seed_build.out)
    solutions = store.query(
        """SELECT ?p WHERE {
             ?p a kg:ContributionPhase ; kg:startTime|kg:endTime ?t .
             ?p kg:startMention|kg:endMention ?m . ?m kg:time ?t ; kg:modality ?mo .
             FILTER(?mo != <https://w3id.org/kg-iraq/id/modality/stated>) }""",
        prefixes={"kg": "https://w3id.org/kg-iraq/ontology#"},
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, ox.QuerySolutions)
    assert list(solutions) == []


def test_consolidate_seeds_strength_steps_have_a_time(seed_build: SeedBuild) -> None:
    steps = rows(seed_build.out, "strength")
    personnel = rows(seed_build.out, "personnel")
    assert 0 < len(steps) < len(personnel)
    assert all(s["valid_from"] or s["valid_to"] for s in steps)  # every seed has a date
    assert {s["time_basis"] for s in steps} == {"stated", "document"}
    for step in steps:
        assert " ".join(step["words"].split()) in " ".join(step["quote"].split())
    superseded = [s for s in steps if s["reconciled"] == "superseded"]
    assert [(s["component"], s["value"]) for s in superseded] == [("force-protection-erbil", "150")]


def test_consolidate_seeds_graph_passes_the_shapes(seed_build: SeedBuild) -> None:
    report = validate(seed_build.out)
    assert report.conforms, "\n".join(map(str, report.violations))
    graph = URIRef(CONSOLIDATION_GRAPH)
    store = open_store(seed_build.out)
    assert next(store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))), None)


def test_consolidate_seeds_a_build_keeps_the_text_of_its_graph(seed_build: SeedBuild) -> None:
    """The next build compares its graph with the text kept beside the store, which is
    the graph as the store holds it, line by line."""
    store = open_store(seed_build.out)
    held = held_text(store, seed_build.out / TRIG_CACHE, CONSOLIDATION_GRAPH)
    assert held is not None
    graph = ox.NamedNode(CONSOLIDATION_GRAPH)
    lines = held.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(f"{q} ." for q in store.quads_for_pattern(None, None, None, graph))


def test_consolidate_shapes_refuse_a_stated_end_from_a_plan(seed_build: SeedBuild) -> None:
    """A phase whose stated end is the time of a planned mention breaks a shape."""
    store = open_store(seed_build.out)
    kg = "https://w3id.org/kg-iraq/ontology#"
    solutions = store.query(
        f"""SELECT ?p ?t WHERE {{ ?p <{kg}endMention> ?m . ?m <{kg}time> ?t ;
               <{kg}periodEnd> ?e ; <{kg}modality> <{ID}modality/planned> .
               ?t <{kg}timeValue> ?e }} ORDER BY ?p LIMIT 1""",
        use_default_graph_as_union=True,
    )
    assert isinstance(solutions, ox.QuerySolutions)
    phase, time = next(iter(solutions))
    # the phase, its mentions and their times, and the ontology: what the shapes read
    facts = {q.object for q in store.quads_for_pattern(phase, None, None, None)}
    times = {
        q.object
        for f in facts
        for q in store.quads_for_pattern(f, ox.NamedNode(kg + "time"), None, None)
    }
    data = [
        q for s in (phase, *facts, *times) for q in store.quads_for_pattern(s, None, None, None)
    ]
    data += list(store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI)))
    changed = [
        q for q in data
        if not (q.subject == phase and q.predicate.value in (kg + "endStatus", kg + "endTime"))
    ]  # fmt: skip
    graph = ox.NamedNode(CONSOLIDATION_GRAPH)
    stated = ox.NamedNode(f"{ID}side-status/stated")
    changed += [
        ox.Quad(phase, ox.NamedNode(kg + "endStatus"), stated, graph),
        ox.Quad(phase, ox.NamedNode(kg + "endTime"), time, graph),
    ]
    shapes = load_shapes()
    # (the facts' sentences and documents are left out: only the phase's shape counts)
    message = "a plan never gives a phase its end"
    before = validate_graph(rdflib_graph(data), shapes).violations
    assert not [f for f in before if "phase" in str(f)], before
    after = validate_graph(rdflib_graph(changed), shapes).violations
    assert [f.focus for f in after if message in str(f)] == [phase.value]


def rdflib_graph(quads: list[ox.Quad]) -> Graph:
    memory = ox.Store()
    memory.extend(quads)
    return load_graph(memory)


def test_consolidate_lifecycle_finds_its_facts_whatever_the_file_name(tmp_path: Path) -> None:
    """lifecycle keys each start and end by date, file name and fact, and reads the
    fact back from the key: a file name with spaces gives the same rows."""
    seed = Path(__file__).resolve().parent.parent / "seeds" / "001_1044ea1259fcd4ce.txt"
    tables = []
    for name in ("plain.txt", "with two spaces.txt"):
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        shutil.copy(seed, folder / name)
        out = tmp_path / f"out-{folder.name}"
        assert not build([folder], out).rejected
        table = run(open_store(out), named_queries()["lifecycle"].text)
        doc = table.columns.index("doc")
        tables.append([row[:doc] + row[doc + 1 :] for row in table.rows])
    assert tables[0] and tables[0] == tables[1]
