"""Reconciliation: the rule on small synthetic figures, its graph, and what it finds
in the seeds, checked against the disagreements found there by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.api import Build
from kg.reconcile import (
    NEIGHBOURS,
    RECONCILIATION_GRAPH,
    Figure,
    Match,
    Relation,
    compare,
    reconcile,
    reconciliation_quads,
    same_figure,
    years,
)
from kg.vocab import KG, ontology_dir

if TYPE_CHECKING:
    from conftest import SeedBuild

# A figure as an analyst would state it; each test changes what it is about.
BASE = Figure(
    iri="doc/a/personnel/1",
    doc="doc/a",
    doc_date="2022-12-13",
    country="NL",
    mission="OIR",
    component="force-protection-erbil",
    role="military",
    qualifier="approx",
    value=150,
    minimum=None,
    maximum=None,
    valid_from=None,
    valid_to=None,
)
OTHER = replace(BASE, iri="doc/b/personnel/1", doc="doc/b", doc_date="2022-12-13")


# ------------------------------------------------------------------ the time


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "doc_date", "expected"),
    [
        (None, None, "2022-12-13", (2022, 2022)),  # no time stated: the document's year
        ("2019-01-01", "2019-12-31", "2018-09-14", (2019, 2019)),
        ("2023-05", "2024-04", "2024-05-15", (2023, 2024)),  # a reporting period
        ("2018-01", None, "2024-05-15", (2018, 2024)),  # "sinds januari 2018": to the letter
        ("2023-06-01", None, "2022-12-13", (2023, 2023)),  # an open end before the letter
        (None, "2019", "2018-09-14", (2018, 2019)),  # "tot en met 2019" from the letter
        ("2018-FA", "2019-Q1", None, (2018, 2019)),  # seasons, quarters: their year
        (None, None, None, None),  # no time and no date: not compared
        (None, None, "2021", (2021, 2021)),  # a document dated by year only
    ],
)
def test_reconcile_years_of_a_figure(
    valid_from: str | None,
    valid_to: str | None,
    doc_date: str | None,
    expected: tuple[int, int] | None,
) -> None:
    figure = replace(BASE, valid_from=valid_from, valid_to=valid_to, doc_date=doc_date)
    assert years(figure) == expected


# ---------------------------------------------------------------- the figure


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("exact", 9, None, None), ("exact", 9, None, None), True),
        (("exact", 9, None, None), ("exact", 10, None, None), False),
        (("approx", 150, None, None), ("approx", 145, None, None), True),  # within 10%
        (("approx", 150, None, None), ("exact", 135, None, None), True),  # 10% of 150
        (("approx", 150, None, None), ("exact", 134, None, None), False),
        (("approx", 150, None, None), ("approx", 100, None, None), False),
        (("max", None, None, 20), ("max", None, None, 20), True),
        (("max", None, None, 20), ("max", None, None, 50), False),
        (("min", None, 50, None), ("min", None, 50, None), True),
        (("range", None, 3, 12), ("range", None, 3, 12), True),
        (("range", None, 3, 12), ("range", None, 3, 10), False),
    ],
)
def test_reconcile_same_figure(
    a: tuple[str, int | None, int | None, int | None],
    b: tuple[str, int | None, int | None, int | None],
    same: bool,
) -> None:
    fa = replace(BASE, qualifier=a[0], value=a[1], minimum=a[2], maximum=a[3])
    fb = replace(OTHER, qualifier=b[0], value=b[1], minimum=b[2], maximum=b[3])
    assert same_figure(fa, fb) is same
    assert same_figure(fb, fa) is same


# ------------------------------------------------------------------ the pair


@pytest.mark.parametrize(
    "change",
    [
        {"doc": "doc/a"},  # the same document
        {"country": "DE"},
        {"mission": "NMI"},
        {"component": "f16-detachment"},
        {"component": None},  # one names a component, the other none
        {"role": "adviser"},
        {"qualifier": "max", "value": None, "maximum": 160},  # a ceiling is not a count
        {"valid_from": "2019", "valid_to": "2019"},  # another year
        {"doc_date": None},  # no time and no date
    ],
    ids=lambda change: "-".join(change),
)
def test_reconcile_compare_needs_the_same_thing_at_the_same_time(
    change: dict[str, object],
) -> None:
    assert compare(BASE, replace(OTHER, **change)) is None


def test_reconcile_compare_a_ceiling_and_an_approximation_are_not_a_conflict() -> None:
    ceiling = replace(BASE, qualifier="max", value=None, maximum=50)
    approx = replace(OTHER, qualifier="approx", value=45)
    assert compare(ceiling, approx) is None
    assert compare(ceiling, replace(OTHER, qualifier="max", value=None, maximum=40)) is not None


def test_reconcile_compare_same_figure_confirms() -> None:
    found = compare(OTHER, replace(BASE, value=145))
    assert found == Match(replace(BASE, value=145), OTHER, Relation.CONFIRMS)


def test_reconcile_compare_different_figure_same_date_conflicts() -> None:
    found = compare(OTHER, replace(BASE, value=100))
    assert found is not None and found.relation == Relation.CONFLICT
    assert (found.a.iri, found.b.iri) == (BASE.iri, OTHER.iri)  # sorted by IRI


@pytest.mark.parametrize(
    ("date_a", "date_b", "relation"),
    [
        ("2022-12-13", "2024-05-15", Relation.SUPERSEDES),
        ("2022-12", "2022-12-13", Relation.CONFLICT),  # the month holds the day
        ("2022", "2023-01", Relation.SUPERSEDES),
        ("2022-12-13", None, Relation.CONFLICT),  # an undated document is never later
    ],
)
def test_reconcile_compare_later_document_supersedes(
    date_a: str, date_b: str | None, relation: Relation
) -> None:
    a = replace(BASE, doc_date=date_a, valid_from="2023", valid_to="2023")
    b = replace(OTHER, doc_date=date_b, value=100, valid_from="2023", valid_to="2023")
    for first, second in ((a, b), (b, a)):
        found = compare(first, second)
        assert found is not None and found.relation == relation
        if relation == Relation.SUPERSEDES:
            assert (found.a, found.b) == (b, a)  # the later one supersedes


def test_reconcile_matches_are_sorted_and_skip_what_cannot_be_compared() -> None:
    third = replace(OTHER, iri="doc/c/personnel/1", doc="doc/c", value=100)
    unknown = replace(OTHER, iri="doc/d/personnel/1", doc="doc/d", doc_date=None)
    matches = reconcile([third, unknown, OTHER, BASE])
    assert [(m.a.iri, m.b.iri, m.relation) for m in matches] == [
        (BASE.iri, OTHER.iri, Relation.CONFIRMS),
        (BASE.iri, third.iri, Relation.CONFLICT),
        (OTHER.iri, third.iri, Relation.CONFLICT),
    ]
    assert reconcile([BASE, OTHER, third]) == reconcile([third, OTHER, BASE])


def test_reconcile_quads_link_both_ways_in_their_own_graph() -> None:
    base = replace(BASE, iri="http://x/a", valid_from="2022", valid_to="2022")
    later = replace(base, iri="http://x/b", doc="doc/b", doc_date="2024-05-15", value=100)
    same = replace(base, iri="http://x/c", doc="doc/c", value=145)
    quads = reconciliation_quads([base, later, same], reconcile([base, later, same]))
    assert {q.graph_name for q in quads} == {ox.NamedNode(RECONCILIATION_GRAPH)}
    links = {
        (q.subject.value[-1], q.predicate.value.rsplit("#", 1)[1], q.object.value[-1])
        for q in quads
        if isinstance(q.object, ox.NamedNode)
    }
    assert links == {
        ("a", "confirms", "c"),
        ("c", "confirms", "a"),
        ("b", "conflictsWith", "a"),
        ("a", "conflictsWith", "b"),
        ("b", "supersedes", "a"),
        ("b", "conflictsWith", "c"),
        ("c", "conflictsWith", "b"),
        ("b", "supersedes", "c"),
    }
    years_of_a = {
        q.predicate.value.rsplit("#", 1)[1]: q.object.value
        for q in quads
        if q.subject.value == "http://x/a" and isinstance(q.object, ox.Literal)
    }
    assert years_of_a == {"comparedFromYear": "2022", "comparedToYear": "2022"}
    assert quads == sorted(quads, key=str)


def test_reconcile_rule_is_documented_in_the_ontology() -> None:
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    for term in (KG.confirms, KG.conflictsWith, KG.supersedes, KG.comparedFromYear):
        assert ontology.value(URIRef(str(term)), SKOS.definition) is not None
    definition = str(ontology.value(URIRef(str(KG.conflictsWith)), SKOS.definition))
    for part in ("different documents", "kg:country", "kg:NoMission", "kg:role", "overlap"):
        assert part in definition
    readme = (ontology_dir() / "README.md").read_text(encoding="utf-8")
    assert "## Reconciliation" in readme


# --------------------------------------------------------------- the seeds

# Found by reading every contribution figure of the seeds (kg query personnel):
# the only figures of the same country, mission, component, role and kind that two
# documents give for an overlapping time and that differ. Force protection at
# Erbil: the list of questions of December 2022 (002) speaks of a company of
# "circa honderdvijftig militairen", stopped per 1 June 2023; the progress report
# of May 2024 (003) gives "circa 100 militairen per rotatie" for 2023. The later
# report supersedes the earlier figure.
EXPECTED_CONFLICTS = [
    {
        "mission": "OIR",
        "component": "force-protection-erbil",
        "country": "NL",
        "role": "military",
        "valid_from": "2023",
        "valid_to": "2023",
        "relation": "superseded",
        "doc_a": "002_e50b7459da8d0f59.txt",
        "figure_a": "approx 150",
        "quote_a": "circa honderdvijftig militairen",
        "doc_b": "003_7ba65e5599d72e72.txt",
        "figure_b": "approx 100",
        "quote_b": "circa 100 militairen per rotatie",
    }
]

# Figures two seeds give for the same thing that are NOT disagreements, with why:
# each must be absent from the conflicts (and, being of different years, from the
# confirmations too).
NOT_CONFLICTS = [
    # NMI advisers: seven in June 2021 (000), thirteen in December 2022 (002): growth.
    ("nmi-advisers", "exact 7", "exact 13"),
    # NMI advisers' mandate: "maximaal 20" in 2019 (000) and in 2022 (002): other years.
    ("nmi-advisers", "max 20", "max 20"),
    # the Target Support Cell: about ten in 2018 (001), nine when it stopped in 2023 (002).
    ("target-support-cell", "approx 10", "exact 9"),
    # EUAM experts: one in 2018-2019 (001), three in 2023-2024 (003).
    ("civilian-experts", "exact 1", "exact 3"),
    # staff officers: one planned in 2018 (001), six and two in 2023-2024 (003).
    ("staff-officers", "exact 1", "exact 6"),
    # MoPA: one adviser in 2018 (001) and in 2023-2024 (003): same figure, other years.
    ("mopa-adviser", "exact 1", "exact 1"),
]


@pytest.fixture(scope="module")
def seeds(seed_build: SeedBuild) -> Build:
    assert seed_build.result.exit_code == 0, seed_build.result.output
    return Build.open(seed_build.out)


def test_reconcile_seed_conflicts_are_the_ones_found_by_hand(seeds: Build) -> None:
    rows = seeds.query("conflicts")
    assert len(rows) == len(EXPECTED_CONFLICTS), rows
    for row, expected in zip(rows, EXPECTED_CONFLICTS, strict=True):
        for key, value in expected.items():
            if key.startswith("quote"):
                assert value in " ".join(row[key].split()), (key, row[key])
            else:
                assert row[key] == value, (key, row[key])


def test_reconcile_seed_conflicts_show_both_sources(seeds: Build) -> None:
    for row in seeds.query("conflicts"):
        for side in ("a", "b"):
            assert row[f"doc_{side}"] and row[f"date_{side}"] and row[f"quote_{side}"]
            assert row[f"figure_{side}"]
        assert row["doc_a"] != row["doc_b"] and row["figure_a"] != row["figure_b"]
        assert row["date_a"] < row["date_b"]  # superseded: a is the earlier


@pytest.mark.parametrize(("component", "figure_a", "figure_b"), NOT_CONFLICTS)
def test_reconcile_seed_figures_that_do_not_disagree_are_not_conflicts(
    seeds: Build, component: str, figure_a: str, figure_b: str
) -> None:
    for query in ("conflicts", "confirmations"):
        for row in seeds.query(query, component=component):
            assert {row["figure_a"], row["figure_b"]} != {figure_a, figure_b}, row


def test_reconcile_seeds_confirm_no_figure(seeds: Build) -> None:
    # no two seeds give the same figure for the same thing in the same year
    assert seeds.query("confirmations") == []


def test_reconcile_seed_graph_holds_only_links_and_years(seeds: Build) -> None:
    rows = seeds.query(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{RECONCILIATION_GRAPH}> {{ ?s ?p ?o }} }}"
        " GROUP BY ?p ORDER BY ?p"
    )
    counts = {row["p"].rsplit("#", 1)[1]: int(row["n"]) for row in rows}
    assert counts["conflictsWith"] == 2 and counts["supersedes"] == 1
    assert counts["comparedFromYear"] == counts["comparedToYear"] > 30
    assert set(counts) == {"comparedFromYear", "comparedToYear", "conflictsWith", "supersedes"}


# ---------------------------------------------- a build, and a rebuild of one document

LETTER = (
    "Den Haag, {date}\n\n"
    "Nederland levert in 2019 ongeveer {n} militairen aan de anti-ISIS coalitie.\n"
)


@pytest.mark.slow
def test_reconcile_rebuilding_a_document_updates_its_links(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "a.txt").write_text(LETTER.format(date="14 september 2018", n=70), "utf-8")
    (inputs / "b.txt").write_text(LETTER.format(date="1 maart 2019", n=70), "utf-8")
    with Build.make([inputs], out) as build:
        confirmed = build.query("confirmations")
        assert [(r["doc_a"], r["figure_a"], r["doc_b"], r["figure_b"]) for r in confirmed] == [
            ("a.txt", "approx 70", "b.txt", "approx 70")
        ]
        assert build.query("conflicts") == []

    # b's figure changes: the confirmation goes, b's later figure supersedes a's; only b
    # is read again, the reconciliation compares it with a's graph of the last build
    (inputs / "b.txt").write_text(LETTER.format(date="1 maart 2019", n=40), "utf-8")
    with Build.make([inputs], out) as build:
        assert build.query("confirmations") == []
        conflicts = build.query("conflicts")
        assert [
            (r["relation"], r["doc_a"], r["figure_a"], r["doc_b"], r["figure_b"]) for r in conflicts
        ] == [("superseded", "a.txt", "approx 70", "b.txt", "approx 40")]
        assert (conflicts[0]["valid_from"], conflicts[0]["valid_to"]) == ("2019", "2019")


def _dossier(documents: int) -> list[Figure]:
    """One figure per document for the same thing in 2022, documents a day apart."""
    return [
        replace(
            BASE,
            iri=f"doc/{n:03d}/personnel/1",
            doc=f"doc/{n:03d}",
            doc_date=f"2022-01-{n % 28 + 1:02d}",
        )
        for n in range(documents)
    ]


def test_reconcile_a_year_of_few_documents_compares_every_pair() -> None:
    figures = _dossier(NEIGHBOURS + 1)
    assert len(reconcile(figures)) == len(figures) * (len(figures) - 1) // 2


def test_reconcile_a_dossier_links_each_figure_to_its_nearest_documents() -> None:
    """Hundreds of documents with a figure for one year: links in proportion to the
    documents (each with the next NEIGHBOURS in date order), not every pair."""
    figures = _dossier(400)
    matches = reconcile(figures)
    assert len(matches) <= NEIGHBOURS * len(figures)
    linked: dict[str, int] = {}
    for match in matches:
        for side in (match.a.iri, match.b.iri):
            linked[side] = linked.get(side, 0) + 1
    assert set(linked) == {f.iri for f in figures}  # none is left out
    assert max(linked.values()) <= 2 * NEIGHBOURS
