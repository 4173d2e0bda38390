"""The offline viewer (kg/render): its data and files, and the page in a real browser.

Browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright from PyPI;
they are skipped, with the reason, where either is missing (CI installs both).
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.pipeline import build
from kg.render import render_site, site, write_site
from kg.render.data import (
    PURPOSES,
    UNTYPED,
    Concept,
    Fact,
    Phase,
    SiteData,
    bounds,
    gather,
    headline,
    labels_of,
    phase_headline,
    same_people,
    script_safe,
    to_json,
    viewer_query,
)
from kg.serve import create_app
from kg.store import CONSOLIDATION_GRAPH, build_lock, open_store
from kg.vocab import PREFIXES, ontology_dir

if TYPE_CHECKING:
    from conftest import SeedBuild
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request

CHROMIUM = Path(site.CHROMIUM)
BROWSER_ARGS = list(site.CHROMIUM_ARGS)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVIL = (
    "Den Haag, 14 september 2018\n\n"
    "<script>alert(1)</script> Nederland levert 50 militairen aan de anti-ISIS-coalitie.\n\n"
    "Sinds januari 2018 levert Nederland <img src=x onerror=alert(2)> circa 10 militairen "
    "aan de NAVO-missie in Irak.\n"
)


# --- the data and the files, without a browser -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-09-14", ("2018-09-14", "2018-09-14")),
        ("2017-11", ("2017-11-01", "2017-11-30")),
        ("2019", ("2019-01-01", "2019-12-31")),
        ("2019-Q3", ("2019-07-01", "2019-09-30")),
        ("2019-H1", ("2019-01-01", "2019-06-30")),
        ("2018-FA", ("2018-09-01", "2018-11-30")),
        ("2018-W35", ("2018-08-27", "2018-09-02")),
        ("2014/2020", ("2014-01-01", "2020-12-31")),
        ("2016/", ("2016-01-01", None)),
        ("/2023", (None, "2023-12-31")),
        ("2019-02-31", (None, None)),
        ("", (None, None)),
    ],
)
def test_viewer_bounds_of_time_values(value: str, expected: tuple[str | None, ...]) -> None:
    first, last = bounds(value)
    assert (first and first.isoformat(), last and last.isoformat()) == expected


def test_viewer_script_safe_json_cannot_end_its_element() -> None:
    fact = Fact("d/p/0-1/0", "personnel", "d", "</script><!-- & \u2028", (0, 1), (0, 1))
    text = script_safe(to_json(SiteData(facts=(fact,), version="1")))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["sentences"] == {"d": ["</script><!-- & \u2028"]}


def test_viewer_build_writes_the_site(seed_build: SeedBuild) -> None:
    index = seed_build.out / "site" / "index.html"
    assert seed_build.result.exit_code == 0
    assert index.is_file()
    for name in (*site.ASSETS, *site.VIS_FILES):
        assert (index.parent / name).is_file(), name


def test_viewer_page_points_nowhere_outside_its_folder(seed_build: SeedBuild) -> None:
    html = (seed_build.out / "site" / "index.html").read_text("utf-8")
    references = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sorted(references) == sorted(["vis-network.css", "kg-style.css", *script_names()])
    page, _, rest = html.partition('id="kg-data">')
    assert "://" not in page + rest.partition("</script>")[2]  # only the data may hold URLs
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1) and "script-src 'self'" in csp.group(1)
    assert "unsafe" not in csp.group(1)
    assert "style=" not in html  # no inline styles: the policy would block them
    assert len(re.findall(r"<script", html)) == 1 + len(script_names())
    own = [seed_build.out / "site" / name for name in site.ASSETS]
    for path in own:
        code = path.read_text("utf-8").replace('"http://www.w3.org/2000/svg"', "")  # a name
        assert not re.search(r"https?://", code), path.name
        assert "innerHTML" not in path.read_text("utf-8"), path.name


def script_names() -> list[str]:
    return ["vis-network.min.js", "kg-charts.js", "kg-network.js", "kg-app.js"]


def test_viewer_same_build_gives_the_same_bytes(seed_build: SeedBuild, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seed_build.out / "store", out / "store")
    first = write_site(out).read_bytes()
    again = render_site(gather(open_store(out)), tmp_path / "again").read_bytes()
    assert first == again
    assert first == (seed_build.out / "site" / "index.html").read_bytes()


def test_viewer_data_has_every_fact_with_its_marked_figure(seed_build: SeedBuild) -> None:
    data = gather(open_store(seed_build.out))
    kinds = {kind: sum(f.kind == kind for f in data.facts) for kind in site_kinds()}
    assert kinds == {"personnel": 60, "budget": 33, "event": 243, "period": 34}
    for fact in data.facts:
        begin, end = fact.mark
        assert 0 <= begin < end <= len(fact.sentence), fact.id
    fact = next(f for f in data.facts if "31 december 2018" in f.sentence and f.kind == "period")
    assert fact.sentence[fact.mark[0] : fact.mark[1]] == "31 december 2018"
    groups = {node.group for node in data.nodes}
    assert groups == {"mission", "component", "document", "event", "organisation"} | {
        "country",
        "person",
    }
    ids = {node.id for node in data.nodes}
    assert all(edge.source in ids and edge.target in ids for edge in data.edges)


def site_kinds() -> tuple[str, ...]:
    return ("personnel", "budget", "event", "period")


def titles_allowed(data: SiteData) -> tuple[set[str], set[str]]:
    """What an event's or a period's title may be made of: what it is about (a
    component's label or a mission's code) and what happened (an event type's label,
    the sides a period states, or an event of no type)."""
    about = {c.label for c in data.concepts if c.kind == "component"}
    about |= {c.code for c in data.concepts if c.kind == "mission"}
    types = {c.code: c.label for c in data.concepts if c.kind == "event_type"}
    what = {*types.values(), UNTYPED, f"{types['start']} and {types['end']}"}
    return about, what


def is_title(title: str, about: set[str], what: set[str]) -> bool:
    scope, _, happened = title.rpartition(": ")
    return happened in what and (scope in about or (scope == "" and ": " not in title))


def is_title_scope(title: str, about: set[str]) -> bool:
    return title.rpartition(": ")[0] in about


def test_viewer_titles_say_what_happened_in_the_ontologys_words(seed_build: SeedBuild) -> None:
    """No event or period is called by words cut from its sentence ("2016 EUR 87
    miljoen aan FFS"): each title is what it is about and its type, from the concepts."""
    data = gather(open_store(seed_build.out))
    labels = labels_of(data.concepts)
    about, what = titles_allowed(data)
    titled = [f for f in data.facts if f.kind in ("event", "period")]
    titles = {f.id: headline(f, labels) for f in titled}
    assert all(titles.values()) and headline(data.facts[0], labels) is None
    bad = {t for t in titles.values() if not is_title(t or "", about, what)}
    assert bad == set()
    by_id = {f.id: f for f in titled}
    # the F-16 detachment ended on 31 December 2018; the EUAM began in November 2017
    end = next(f for f in titled if f.component == "f16-detachment" and f.period_end)
    assert titles[end.id] == "F-16 detachment: end"
    euam = next(f for f in titled if f.kind == "period" and f.mission == "EUAM")
    assert titles[euam.id] == "EUAM: start"
    untyped = [f for f in titled if f.kind == "event" and f.event_type is None]
    assert untyped and all(titles[f.id].endswith(UNTYPED) for f in untyped)
    # the page carries them
    page = json.loads(to_json(data))
    assert {r["id"]: r.get("title") for r in page["facts"] if r["id"] in by_id} == titles


def f16_phase(data: SiteData) -> Phase:
    """The F-16 detachment's phase of 2018 (operating since January, ended on 31
    December 2018)."""
    (phase,) = [p for p in data.phases if p.component == "f16-detachment"]
    return phase


def test_viewer_phases_are_read_from_the_consolidation_graph(seed_build: SeedBuild) -> None:
    """One bar per phase: the F-16 detachment of 2018 is one phase carrying every
    mention of its four sentences, the page's own facts; a side no text states has no
    day, and a planned end is kept apart from the stated one."""
    assert f"GRAPH <{CONSOLIDATION_GRAPH}>" in viewer_query("phases")
    data = gather(open_store(seed_build.out))
    facts = {f.id: f for f in data.facts}
    assert len(data.phases) == 21
    f16 = f16_phase(data)
    assert f16.title == "F-16 detachment: 2018-01 – 2018-12-31"
    assert (f16.start_status, f16.start_value, f16.start_precision, f16.start) == (
        "stated",
        "2018-01",
        "month",
        "2018-01-01",
    )
    assert (f16.end_status, f16.end_value, f16.end_precision, f16.end) == (
        "stated",
        "2018-12-31",
        "day",
        "2018-12-31",
    )
    assert f16.rules == ("run", "same-sentence")
    mentions = [facts[m] for m in f16.mentions]  # every mention is a fact of the page
    assert len(mentions) == 8 and len({(f.doc, f.sentence) for f in mentions}) == 4
    assert {f.kind for f in mentions} == {"period", "event"}
    ends = [mentions[n] for n in f16.end_by]
    assert ends and all(f.period_end for f in ends)
    assert [mentions[n].sentence[slice(*mentions[n].mark)] for n in f16.start_by] == ["januari"]
    # the start "in oktober 2014" that no seed ends
    (oir,) = [p for p in data.phases if p.mission == "OIR" and p.title == "OIR: 2014-10 – ?"]
    assert (oir.end_status, oir.end_value, oir.end, oir.plan_to) == ("unstated", None, None, None)
    # the surgical team: a start, and an end that is only planned
    (team,) = [p for p in data.phases if p.component == "surgical-team"]
    assert (team.end_status, team.end, team.planned_end, team.plan_to) == (
        "unstated",
        None,
        "2019-01",
        "2019-01-31",
    )
    assert team.title == "surgical team: 2018-01 – planned 2019-01"
    for phase in data.phases:  # a stated side only from a stated mention
        for side in ("start", "end"):
            if getattr(phase, f"{side}_status") != "stated":
                assert getattr(phase, side) is None and getattr(phase, f"{side}_value") is None


def test_viewer_page_hands_phases_the_ids_of_their_mentions(seed_build: SeedBuild) -> None:
    """The page holds each sentence once, with its document's facts: a phase has its
    mentions' ids, never their sentences."""
    data = gather(open_store(seed_build.out))
    page = json.loads(to_json(data))
    ids = {record["id"] for record in page["facts"]}
    assert len(page["phases"]) == len(data.phases)
    sentences = {text for texts in page["sentences"].values() for text in texts}
    for record in page["phases"]:
        assert set(record["mentions"]) <= ids
        assert not any(isinstance(v, str) and v in sentences for v in record.values())
    text = json.dumps(page["phases"], ensure_ascii=False)
    assert not [s for s in sentences if len(s) > 40 and s in text]
    record = next(r for r in page["phases"] if r["title"].startswith("F-16 detachment"))
    assert record["start"] == "2018-01-01" and record["end"] == "2018-12-31"


@pytest.mark.parametrize(
    ("phase", "title"),
    [
        (Phase("p", "OIR", "f16", "stated", "stated", "2018-01", "month", "2018-12-31"), None),
        (Phase("p", "OIR", start_status="stated", start_value="2014-10"), "OIR: 2014-10 – ?"),
        (Phase("p", "OIR", end_status="stated", end_value="2023-05"), "OIR: ? – 2023-05"),
        (
            Phase("p", "NMI", start_status="disputed", planned_end="2019-12-31"),
            "NMI: disputed – planned 2019-12-31",
        ),
        # a plan never reads as a stated side, and a stated side wins over a plan
        (Phase("p", "NMI", planned_start="2018-FA"), "NMI: planned 2018-FA – ?"),
        (
            Phase("p", "OIR", end_status="stated", end_value="2021", planned_end="2021-12-31"),
            "OIR: ? – 2021",
        ),
    ],
)
def test_viewer_phase_titles_are_what_and_when(phase: Phase, title: str | None) -> None:
    labels = labels_of([Concept("component", "f16", "F-16 detachment")])
    assert phase_headline(phase, labels) == (title or "F-16 detachment: 2018-01 – 2018-12-31")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # one person: the same surname without the particles, or a shorter name that
        # ends a longer one
        (
            ["Sudani", "al-Sudani", "Mohammed al-Sudani"],
            dict.fromkeys(["Sudani", "al-Sudani", "Mohammed al-Sudani"], "Mohammed al-Sudani"),
        ),
        (["Blok", "S.A. Blok"], {"Blok": "S.A. Blok", "S.A. Blok": "S.A. Blok"}),
        (
            ["Ollongren", "drs K.H. Ollongren"],
            dict.fromkeys(["Ollongren", "drs K.H. Ollongren"], "drs K.H. Ollongren"),
        ),
        (["Van der Maat", "Maat"], dict.fromkeys(["Van der Maat", "Maat"], "Van der Maat")),
        # ambiguous: "Blok" ends two different names, and is left alone
        (
            ["Blok", "S.A. Blok", "Kees Blok"],
            {"Blok": "Blok", "S.A. Blok": "S.A. Blok", "Kees Blok": "Kees Blok"},
        ),
        # a name is not a person for sharing a first name or a part of a surname
        (
            ["Mohammed", "Mohammed al-Sudani"],
            {"Mohammed": "Mohammed", "Mohammed al-Sudani": "Mohammed al-Sudani"},
        ),
        (
            ["Bijleveld", "A.Th.B. Bijleveld-Schouten"],
            {"Bijleveld": "Bijleveld", "A.Th.B. Bijleveld-Schouten": "A.Th.B. Bijleveld-Schouten"},
        ),
    ],
)
def test_viewer_people_are_one_whatever_the_spelling(
    names: list[str], expected: dict[str, str]
) -> None:
    assert same_people(names) == expected


def test_viewer_network_has_each_person_once_and_no_office(seed_build: SeedBuild) -> None:
    data = gather(open_store(seed_build.out))
    people = {n.label: n for n in data.nodes if n.group == "person"}
    sudani = people["Mohammed al-Sudani"]
    assert set(sudani.aliases) == {"Sudani", "al-Sudani"}
    assert not {"Sudani", "al-Sudani"} & set(people)
    assert "Blok" not in people and "S.A. Blok" in people
    assert [name for name in people if name.startswith("van ")] == []  # "van Justitie"
    ids = {n.id for n in data.nodes}
    assert all(e.source in ids and e.target in ids and e.source != e.target for e in data.edges)
    # what its events name, a document names: a network without events still links them
    named = {(e.source, e.target) for e in data.edges if e.source.startswith("document:")}
    assert any(t == "person:Mohammed al-Sudani" for _s, t in named)
    assert any(t.startswith("organisation:") for _s, t in named)
    # no mission without a link (the gazetteer's many other missions)
    linked = {e.source for e in data.edges} | {e.target for e in data.edges}
    assert {n.id for n in data.nodes if n.group == "mission"} <= linked


def test_viewer_purposes_table_covers_every_purpose_the_shapes_allow() -> None:
    """The amounts chart tells Dutch spending from others' estimates by kg:purpose: a
    purpose the shapes allow and the table lacks would be shown as others'."""
    shapes = ox.Store()
    shapes.load(path=str(ontology_dir() / "shapes.ttl"), format=ox.RdfFormat.TURTLE)
    query = """SELECT ?pattern WHERE { ?shape sh:path kg:purpose ; sh:pattern ?pattern }"""
    (row,) = list(shapes.query(query, prefixes={**PREFIXES, "sh": "http://www.w3.org/ns/shacl#"}))
    match = re.fullmatch(r"\^\((.*)\)\$", row["pattern"].value)
    assert match is not None
    assert set(match.group(1).split("|")) == set(PURPOSES)
    assert {code for code, (_label, series) in PURPOSES.items() if series != "dutch"} == {
        "reconstruction_estimate"
    }


def test_viewer_missing_vis_network_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(site, "_package_folder", lambda package: tmp_path)
    with pytest.raises(KgError, match=r"no vis-network .* reinstall pyvis"):
        site.vis_network()


def test_viewer_kg_view_is_refused_while_a_build_writes_the_folder(
    seed_build: SeedBuild, tmp_path: Path
) -> None:
    """A build drops the viewer's parts it no longer uses: kg view must not read them
    meanwhile, nor write the page the build is writing."""
    out = tmp_path / "out"
    shutil.copytree(seed_build.out, out)
    page = (out / "site" / "index.html").read_bytes()
    with build_lock(out):
        result = CliRunner().invoke(cli, ["view", "--out", str(out)])
    assert result.exit_code != 0 and "another kg build" in result.output
    assert (out / "site" / "index.html").read_bytes() == page
    result = CliRunner().invoke(cli, ["view", "--out", str(out)])
    assert result.exit_code == 0 and (out / "site" / "index.html").read_bytes() == page
    missing = tmp_path / "none"
    result = CliRunner().invoke(cli, ["view", "--out", str(missing)])
    assert result.exit_code != 0 and "no kg build here" in result.output
    assert not missing.exists()  # no folder made where there is no build


def test_viewer_is_served_at_root(seed_build: SeedBuild) -> None:
    folder = seed_build.out / "site"
    app = create_app(None, folder, 10)  # type: ignore[arg-type]  # / needs no query pool

    async def fetch() -> dict[str, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kg") as client:
            names = ("", *site.ASSETS, *site.VIS_FILES)
            return {name: await client.get(f"/{name}") for name in names}

    answers = asyncio.run(fetch())
    assert answers[""].content == (folder / "index.html").read_bytes()
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)


# --- in the browser ---------------------------------------------------------------------------


@dataclass
class Visit:
    """A page and what it did: console errors, uncaught errors, requests and dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, index: Path, fragment: str = "") -> None:
        opened(self.page, index, fragment)

    def until(self, expression: str) -> None:
        until(self.page, expression)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def details(self) -> str:
        return self.page.inner_text("#details-body")

    def marked(self) -> str:
        return self.page.inner_text("#details-body blockquote.quote mark")


def opened(page: Page, index: Path, fragment: str = "") -> None:
    """Open the viewer and wait until it says it is ready (``window.kgReady``)."""
    page.goto(index.as_uri() + fragment)
    page.wait_for_selector("html[data-ready=true]", state="attached", timeout=20_000)


def until(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Wait until a JavaScript expression is true. (Playwright's wait_for_function would
    evaluate a string in the page, which the page's Content-Security-Policy forbids.)"""
    limit = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > limit:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    seen = Visit(page)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def request(request: Request) -> None:
        seen.requests.append(request.url)

    def dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("request", request)
    page.on("dialog", dialog)
    yield seen
    page.close()


@pytest.fixture(scope="module")
def seed_index(seed_build: SeedBuild) -> Path:
    return seed_build.out / "site" / "index.html"


@pytest.mark.slow
def test_viewer_loads_offline_without_errors(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index)
    assert visit.errors == []
    assert visit.requests, "the page requested nothing: the recording does not work"
    folder = seed_index.parent.as_uri() + "/"
    outside = [url for url in visit.requests if not url.startswith(folder)]
    assert outside == []
    summary = visit.page.inner_text("#summary")
    assert "5 documents" in summary and "60 personnel figures" in summary
    lanes = visit.page.eval_on_selector_all(
        "#timeline .lane-label", "els => els.map(e => e.getAttribute('data-mission'))"
    )
    # the missions in Iraq, then the other missions facts are about (the seeds name two)
    assert lanes == ["OIR", "NMI", "EUAM", "MoPA", "EUFOR", "MINUSMA", "other"]
    assert visit.page.locator("#personnel g.figure").count() > 30
    # Dutch spending; the two estimates by others (World Bank, UN) only when asked
    assert visit.page.locator("#spending g.amount").count() == 31
    assert "2 amounts are estimates by others" in visit.page.inner_text("#spending-box")
    visit.page.check("#f-estimates")
    visit.until("location.hash.includes('estimates=1')")
    others = visit.page.locator("#spending g[data-series=others] g.amount")
    assert others.count() == 2 and visit.page.locator("#spending g.amount").count() == 33
    visit.page.uncheck("#f-estimates")
    visit.shot("viewer-seeds.png")
    # the network is drawn by vis-network, from the page's folder too
    visit.page.click("#tab-network")
    visit.until("document.querySelector('#network canvas') !== null")
    visit.page.wait_for_timeout(1500)
    assert "nodes" in visit.page.inner_text("#network-note")
    visit.shot("viewer-network.png")
    assert visit.errors == []
    assert [url for url in visit.requests if not url.startswith(folder)] == []


@pytest.mark.slow
def test_viewer_click_on_timeline_shows_the_quote(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index, "#mentions=1")  # a bar per period fact, as its sentence states it
    # EUAM has one period: "die in november 2017 van start is gegaan"
    visit.page.click("#timeline g[data-mission=EUAM] rect.bar")
    assert visit.marked() == "november 2017"
    text = visit.details()
    assert "Mede op aandringen van Nederland bereidt de missie" in text
    assert "artikel 100-brief" in text and "2018-09-14" in text and "nr. U" in text
    assert "BRIEF VAN DE MINISTERS" in text
    visit.until("location.hash.includes('sel=')")
    # an event point, a personnel figure and an amount show theirs too
    for selector in ("#timeline circle.event", "#personnel g.figure", "#spending g.amount"):
        mark = visit.page.locator(selector).first
        fact = visit.page.evaluate(
            "i => { const f = KG.app.facts[i]; return f.sentenceText.slice(...f.mark); }",
            int(mark.get_attribute("data-fact") or -1),
        )
        mark.dispatch_event("click")
        assert visit.marked() == fact, selector
    visit.shot("viewer-details.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_zoom_and_pan_move_every_chart(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index)
    page = visit.page
    span = "[KG.app.charts.axis.t0, KG.app.charts.axis.t1]"
    bar = "#timeline g[data-mission=EUAM] rect.bar"
    amount = "#spending g.amount"
    home = page.evaluate(span)
    places = (page.get_attribute(bar, "x"), page.locator(amount).first.get_attribute("transform"))
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.6, box["y"] + 120
    page.mouse.move(x, y)
    page.mouse.wheel(0, -400)  # zoom in around the pointer
    visit.until(f"KG.app.charts.axis.t1 - KG.app.charts.axis.t0 < {(home[1] - home[0]) * 0.7}")
    zoomed = page.evaluate(span)
    page.wait_for_timeout(100)  # the next animation frame draws
    moved = (page.get_attribute(bar, "x"), page.locator(amount).first.get_attribute("transform"))
    assert moved[0] != places[0] and moved[1] != places[1]
    assert 2 <= page.locator("#timeline .xtick").count() <= box["width"] / 60
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y, steps=5)  # drag to the left: later times come into view
    page.mouse.up()
    panned = page.evaluate(span)
    assert panned[0] > zoomed[0] and abs((panned[1] - panned[0]) - (zoomed[1] - zoomed[0])) < 1
    page.click("#zoom-reset")
    assert page.evaluate(span) == home
    page.click("#zoom-in")
    page.click("#pan-left")
    after = page.evaluate(span)
    assert after[1] - after[0] < home[1] - home[0]
    page.wait_for_timeout(100)
    assert 2 <= page.locator("#timeline .xtick").count() <= box["width"] / 60
    page.check("#f-today")
    visit.until("location.hash.includes('today=1')")
    page.wait_for_timeout(100)
    assert page.locator("#timeline line.cursor.today").count() == 1
    visit.shot("viewer-zoomed.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_click_on_a_network_node_shows_it(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index, "#view=network&mission=EUAM")
    visit.until("document.querySelector('#network canvas') !== null")
    visit.page.wait_for_timeout(1500)
    point = visit.page.evaluate(
        """() => {
          const net = KG.app.network.network;
          const p = net.canvasToDOM(net.getPositions(['mission:EUAM'])['mission:EUAM']);
          const box = document.querySelector('#network').getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }"""
    )
    visit.page.mouse.click(point[0], point[1])
    assert "EU Advisory Mission Iraq" in visit.details()
    assert "node=mission%3AEUAM" in visit.page.evaluate("location.hash")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_mission_filter_hides_the_other_missions(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index)
    codes = visit.page.eval_on_selector_all("#f-mission input", "els => els.map(e => e.value)")
    assert {"OIR", "NMI", "EUAM", "MoPA", "other"} <= set(codes)
    for code in codes:
        if code != "NMI":
            visit.page.uncheck(f"#f-mission input[value={code}]")
    visit.until("location.hash === '#mission=NMI'")
    shown = visit.page.eval_on_selector_all(
        "[data-mission]", "els => [...new Set(els.map(e => e.getAttribute('data-mission')))]"
    )
    assert shown == ["NMI"]
    assert visit.page.locator("#timeline rect.bar").count() > 0
    assert visit.page.locator("#personnel g.figure").count() > 0
    visit.page.click("#tab-list")
    missions = visit.page.eval_on_selector_all(
        "#fact-rows tr td:nth-child(3)", "els => [...new Set(els.map(e => e.textContent))]"
    )
    assert missions == ["NMI"]
    visit.page.click("#tab-time")
    visit.shot("viewer-mission-nmi.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_fragment_state_round_trips(
    visit: Visit, browser: Browser, seed_index: Path
) -> None:
    fact = "001_1044ea1259fcd4ce.txt/period/35681-35694/0"  # EUAM "november 2017"
    fragment = (
        "#view=list&mission=EUAM,NMI&type=personnel,period&from=2018&to=2024-06"
        f"&q=nederland&sel={fact.replace('/', '%2F')}"
    )
    visit.open(seed_index, fragment)
    page = visit.page
    checked = page.eval_on_selector_all(
        "#filters input:checked", "els => els.map(e => e.value).sort()"
    )
    assert checked == sorted(["EUAM", "NMI", "personnel", "period"])
    assert page.input_value("#f-from") == "2018" and page.input_value("#f-to") == "2024-06"
    assert page.input_value("#f-q") == "nederland"
    assert page.get_attribute("#tab-list", "aria-selected") == "true"
    assert page.is_visible("#view-list") and not page.is_visible("#view-time")
    assert visit.marked() == "november 2017"
    assert page.evaluate("location.hash") == fragment
    rows = page.eval_on_selector_all("#fact-rows tr", "els => els.length")
    assert rows > 0
    # change the state in the page, then open its fragment in a fresh page
    page.select_option("#f-doc", "003_7ba65e5599d72e72.txt")
    page.fill("#f-q", "militairen")
    visit.until("location.hash.includes('q=militairen')")
    shared = page.evaluate("location.hash")
    assert "doc=003_7ba65e5599d72e72.txt" in shared
    state = page.evaluate(
        "JSON.stringify([...document.querySelectorAll('#filters input')]"
        ".map(e => e.type === 'checkbox' ? e.checked : e.value))"
    )
    listed = page.inner_text("#fact-rows")
    again = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        opened(again, seed_index, shared)
        assert again.evaluate("location.hash") == shared
        assert (
            again.evaluate(
                "JSON.stringify([...document.querySelectorAll('#filters input')]"
                ".map(e => e.type === 'checkbox' ? e.checked : e.value))"
            )
            == state
        )
        assert again.input_value("#f-doc") == "003_7ba65e5599d72e72.txt"
        assert again.inner_text("#fact-rows") == listed
        assert again.inner_text("#details-body") == page.inner_text("#details-body")
    finally:
        again.close()
    assert visit.errors == []


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one document with markup in its text."""
    folder = tmp_path_factory.mktemp("evil")
    (folder / "in").mkdir()
    (folder / "in" / "evil.txt").write_text(EVIL, "utf-8")
    report = build([folder / "in"], folder / "out")
    assert report.built and not report.rejected
    return folder / "out" / "site" / "index.html"


@pytest.mark.slow
def test_viewer_shows_markup_in_documents_as_text(visit: Visit, evil_index: Path) -> None:
    raw = evil_index.read_text("utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    visit.open(evil_index)
    page = visit.page
    assert page.locator("script").count() == 1 + len(script_names())
    assert page.locator("img").count() == 0
    page.locator("#personnel g.figure").first.dispatch_event("click")
    figures = page.locator("#personnel g.figure")
    texts = []
    for n in range(figures.count()):
        figures.nth(n).dispatch_event("click")
        texts.append(visit.details())
    assert any("<script>alert(1)</script> Nederland levert 50 militairen" in t for t in texts)
    assert any("<img src=x onerror=alert(2)>" in t for t in texts)
    page.fill("#f-q", "<script>")
    visit.until("location.hash.includes('q=')")
    page.click("#tab-list")
    assert "50 military personnel" in page.inner_text("#fact-rows")
    page.click("#fact-rows tr")
    assert "<script>alert(1)</script>" in page.inner_text("#details-body blockquote")
    visit.shot("viewer-markup.png")
    page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert visit.errors == []


# --- what the timeline, the figures and the network say, at every width ---------------


def at_width(browser: Browser, width: int) -> Visit:
    """A page of ``width`` pixels (a phone's height below 500), recording its errors."""
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 500 else 900})
    seen = Visit(page)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    return seen


@pytest.mark.slow
def test_viewer_event_labels_are_type_and_mission_never_the_sentence(
    visit: Visit, seed_build: SeedBuild, seed_index: Path
) -> None:
    """Every event in the Facts tab (all its pages) and every label on the timeline
    says what happened in the concepts' words."""
    about, what = titles_allowed(gather(open_store(seed_build.out)))
    visit.open(seed_index, "#view=list&type=event")
    page = visit.page
    cells: list[str] = []
    while True:
        cells += page.eval_on_selector_all(
            "#fact-rows tr td:nth-child(4)", "els => els.map(e => e.textContent)"
        )
        following = page.locator("#pager-top button[data-page]").nth(2)  # next
        if not following.is_visible() or following.is_disabled():
            break
        following.click()
    assert len(cells) == 243
    # "2018-01 OIR: liberation": the date, then the title
    assert [c for c in cells if not is_title(c.partition(" ")[2], about, what)] == []
    visit.open(seed_index, "#mentions=1")  # every type: the periods' bars and their labels
    labels = page.eval_on_selector_all(
        "#timeline text.bar-label", "els => els.map(e => e.textContent).filter(Boolean)"
    )
    assert len(labels) > 20
    titles = page.evaluate("KG.app.facts.filter(f => f.kind === 'period').map(f => f.title)")
    cut = [label for label in labels if not any(t.startswith(label.rstrip("…")) for t in titles)]
    assert cut == []
    assert "F-16 detachment: end" in labels and "EUAM: start" in labels
    # the phases' bars: what they are about, and when, as the texts state it
    visit.open(seed_index)
    labels = page.eval_on_selector_all(
        "#timeline text.bar-label", "els => els.map(e => e.textContent).filter(Boolean)"
    )
    titles = page.evaluate("KG.app.phases.map(p => p.title)")
    assert len(labels) > 15 and len(titles) == 21
    cut = [label for label in labels if not any(t.startswith(label.rstrip("…")) for t in titles)]
    assert cut == []
    assert "F-16 detachment: 2018-01 – 2018-12-31" in labels and "EUAM: 2017-11 – ?" in labels
    side = r"(?:\?|disputed|(?:planned )?[0-9][0-9A-Z/-]*)"  # a value, planned, ?, disputed
    when = re.compile(f"{side} – {side}")
    wrong = [
        t
        for t in titles
        if not (is_title_scope(t, about) and when.fullmatch(t.rpartition(": ")[2]))
    ]
    assert wrong == []
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_an_unstated_side_of_a_mention_is_drawn_as_unstated(
    visit: Visit, seed_index: Path
) -> None:
    """With the mentions toggle: a period the text only starts is a short open stub
    with a "?", the same few pixels at any zoom, never a bar to the chart's edge; one
    it only ends likewise."""
    visit.open(seed_index, "#mentions=1")
    page = visit.page
    euam = "#timeline g[data-mission=EUAM] rect.bar"  # "in november 2017 van start"
    assert page.get_attribute(euam, "data-open") == "end"

    def geometry() -> dict[str, float]:
        return page.evaluate(
            """s => { const bar = document.querySelector(s), ax = KG.app.charts.axis;
              const x = Number(bar.getAttribute('x')), w = Number(bar.getAttribute('width'));
              return { x: x, width: w, right: ax.width - 20, left: ax.left,
                       start: ax.x(Date.UTC(2017, 10, 1)) }; }""",
            euam,
        )

    home = geometry()
    assert abs(home["x"] - home["start"]) < 1  # the stated start is where its date is
    assert home["width"] == 30 and home["x"] + home["width"] < home["right"] - 100
    # a bar of 2019, both sides stated, near the middle of the chart, which zooms in on it
    dated = page.evaluate(
        """() => { const f = KG.app.facts.find(f => f.kind === 'period'
              && f.start === '2019-01-01' && f.end === '2019-12-31');
            return '#timeline rect.bar[data-fact="' + f.index + '"]'; }"""
    )
    before = float(page.get_attribute(dated, "width") or 0)
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.wait_for_timeout(100)
    assert geometry()["width"] == 30  # no date: its length means nothing
    assert float(page.get_attribute(dated, "width") or 0) > before * 2
    page.click("#zoom-reset")
    page.wait_for_timeout(100)
    marks = page.locator("#timeline g[data-mission=EUAM] text.open-mark")
    assert marks.count() == 1 and marks.first.text_content() == "?"
    # one the text only ends: the stub ends at its date and starts after the left edge
    ended = page.evaluate(
        """() => { const ax = KG.app.charts.axis;
          return [...document.querySelectorAll('#timeline rect.bar[data-open=start]')]
            .map(b => Number(b.getAttribute('x')) - ax.left); }"""
    )
    assert ended and min(ended) > 0 and page.locator("#timeline text.open-mark").count() > 10
    page.click(euam)
    details = visit.details()
    assert "end not stated" in details and "EUAM: start" in details
    visit.shot("viewer-unstated.png")
    assert visit.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 800, 390])
def test_viewer_details_are_in_view_after_a_click(
    browser: Browser, seed_index: Path, width: int
) -> None:
    """Wide, the details are beside the charts; narrower, a drawer over the page that
    a click opens; nothing is wider than the screen."""
    visit = at_width(browser, width)
    try:
        visit.open(seed_index)
        page = visit.page
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        height = 844 if width < 500 else 900

        def in_view(*parts: str) -> None:
            for part in parts:
                box = page.locator(part).first.bounding_box()
                assert box is not None, part
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, part
                assert box["y"] >= 0 and box["y"] + box["height"] <= height, part

        # a phase's bar: its details, with its first sentence, in view
        bar = page.locator(phase_bar(page, "p => p.component === 'f16-detachment'"))
        bar.scroll_into_view_if_needed()
        bar.click()
        page.wait_for_timeout(300)  # the drawer slides in
        assert page.inner_text("#details-body h3") == "Contribution phase"
        in_view("#details-body h3", "#details-body blockquote.quote")
        visit.shot(f"viewer-phase-details-{width}.png")
        # one of its mentions, from the list: its own details, in view
        page.locator("#details-body ul.mentions button").first.click()
        page.wait_for_timeout(100)
        assert page.inner_text("#details-body h3") in ("Period", "Event")
        in_view("#details-body h3", "#details-body blockquote.quote")
        if width <= 980:
            page.click("#details-close")
            page.wait_for_timeout(300)
        # a period's bar with the mentions toggle
        page.check("#f-mentions")
        bar = page.locator("#timeline g[data-mission=EUAM] rect.bar")
        bar.scroll_into_view_if_needed()
        bar.click()
        page.wait_for_timeout(300)
        assert visit.marked() == "november 2017"
        in_view("#details-body h3", "#details-body blockquote.quote")
        visit.shot(f"viewer-details-{width}.png")
        # a figure far down the page shows its details in view too
        figure = page.locator("#personnel g.figure").last
        if width <= 980:
            page.click("#details-close")
            page.wait_for_timeout(300)
            assert not page.locator("#details-body h3").is_visible()
        figure.scroll_into_view_if_needed()
        figure.dispatch_event("click")
        page.wait_for_timeout(300)
        box = page.locator("#details-body blockquote.quote").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] < height
        if width <= 980:  # the drawer is over the page until it is closed
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
        for view in ("network", "list"):
            page.click(f"#tab-{view}")
            page.wait_for_timeout(200)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, view
        visit.shot(f"viewer-list-{width}.png")
        assert visit.errors == []
    finally:
        visit.page.close()


def phase_bar(page: Page, predicate: str) -> str:
    """The selector of the body of the one phase's bar for which the JavaScript
    ``predicate`` of a phase is true."""
    indexes = page.evaluate(f"KG.app.phases.filter({predicate}).map(p => p.index)")
    assert len(indexes) == 1, indexes
    return f'#timeline rect.bar[data-phase="{indexes[0]}"]'


def geometry(page: Page, selector: str) -> dict[str, float]:
    """Where an element of the timeline is drawn, and the plot's edges."""
    return page.evaluate(
        """s => { const e = document.querySelector(s), ax = KG.app.charts.axis;
          const x = Number(e.getAttribute('x')), w = Number(e.getAttribute('width'));
          return { x: x, width: w, end: x + w, left: ax.left, right: ax.width - 20 }; }""",
        selector,
    )


def x_of(page: Page, iso: str) -> float:
    """Where a day begins on the timeline."""
    return page.evaluate(
        "d => { const [y, m, n] = d.split('-').map(Number);"
        " return KG.app.charts.axis.x(Date.UTC(y, m - 1, n)); }",
        iso,
    )


@pytest.mark.slow
def test_viewer_a_phase_shows_its_mentions_on_click(visit: Visit, seed_index: Path) -> None:
    """The F-16 detachment of 2018 is one bar, January 2018 to 31 December 2018, whose
    details give its sides, the rules that joined it and its 8 mentions in their 4
    sentences, each sentence with the mentions' words marked and each mention a link
    to its own details, which lead back to the phase."""
    visit.open(seed_index)
    page = visit.page
    assert page.locator("#timeline rect.bar[data-fact]").count() == 0  # no bar per mention
    f16 = phase_bar(page, "p => p.component === 'f16-detachment'")
    assert page.locator(f16).count() == 1 and page.get_attribute(f16, "data-open") is None
    bar = geometry(page, f16)
    assert abs(bar["x"] - x_of(page, "2018-01-01")) < 1
    assert abs(bar["end"] - x_of(page, "2019-01-01")) < 1
    page.click(f16)
    visit.until("location.hash.includes('phase=OIR%2Ff16-detachment')")
    details = visit.details()
    assert "F-16 detachment: 2018-01 – 2018-12-31" in details
    assert "2018-01 (month; from 2018-01-01), stated" in details
    assert "2018-12-31 (day), stated" in details
    assert "one run of a component" in details
    assert "8 mentions (4 periods, 4 events) in 4 sentences of 1 document" in details
    assert "2018-09-14 · artikel 100-brief" in details
    quotes = page.locator("#details-body blockquote.quote")
    links = page.locator("#details-body ul.mentions button[data-fact]")
    assert quotes.count() == 4 and links.count() == 8
    # each sentence marks the words of its mentions, and each link opens its mention
    mentions = page.evaluate(
        """() => [...document.querySelectorAll('#details-body ul.mentions button')].map(b => {
          const f = KG.app.facts[Number(b.dataset.fact)];
          const marks = [...b.closest('ul').previousElementSibling.querySelectorAll('mark')];
          return [f.index, f.sentenceText.slice(...f.mark), marks.map(m => m.textContent)]; })"""
    )
    assert [words for _i, words, marks in mentions if not any(words in m for m in marks)] == []
    assert {words for _i, words, _m in mentions} >= {"januari", "31 december 2018"}
    start = next(n for n, (_i, words, _m) in enumerate(mentions) if words == "januari")
    links.nth(start).click()
    assert page.inner_text("#details-body h3") == "Period" and visit.marked() == "januari"
    visit.until("location.hash.includes('sel=')")
    page.click("#details-body button[data-phase-link]")
    assert page.inner_text("#details-body h3") == "Contribution phase"
    assert page.locator(f16 + ".selected").count() == 1
    visit.shot("viewer-phase-details.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_a_phase_with_no_stated_end_is_drawn_open(visit: Visit, seed_index: Path) -> None:
    """The start "in oktober 2014" that no seed ends is a short open stub from October
    2014 with a "?", the same few pixels at any zoom, never a bar to the chart's edge."""
    visit.open(seed_index)
    page = visit.page
    oir = phase_bar(page, "p => p.title === 'OIR: 2014-10 – ?'")
    assert page.get_attribute(oir, "data-open") == "end"
    home = geometry(page, oir)
    assert abs(home["x"] - x_of(page, "2014-10-01")) < 1
    assert home["width"] == 30 and home["end"] < home["right"] - 100
    index = page.get_attribute(oir, "data-phase")
    assert page.locator(f'#timeline text.open-mark[data-phase="{index}"]').all_text_contents() == [
        "?"
    ]
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.wait_for_timeout(100)
    assert geometry(page, oir)["width"] == 30  # no date: its length means nothing
    page.click("#zoom-reset")
    page.wait_for_timeout(100)
    # phases the texts only end: a stub that ends at the end, after the chart's left edge
    ended = page.evaluate(
        """() => { const ax = KG.app.charts.axis;
          return [...document.querySelectorAll('#timeline rect.bar[data-phase][data-open=start]')]
            .map(b => Number(b.getAttribute('x')) - ax.left); }"""
    )
    assert len(ended) >= 5 and min(ended) > 0
    page.click(oir)
    details = visit.details()
    assert "end not stated: no text gives one" in details and "2014-10 (month" in details
    visit.shot("viewer-phase-unstated.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_a_planned_end_is_not_drawn_as_stated(visit: Visit, seed_index: Path) -> None:
    """The surgical team's start is stated, its end only planned (January 2019): the
    bar is a stub with a "?" at its start, and the plan is dotted beside it up to the
    planned end; the details say the end is not stated and the plan is a plan."""
    visit.open(seed_index)
    page = visit.page
    team = phase_bar(page, "p => p.component === 'surgical-team'")
    index = page.get_attribute(team, "data-phase")
    plan = f'#timeline rect.plan[data-phase="{index}"]'
    assert page.get_attribute(team, "data-open") == "end"
    bar, planned = geometry(page, team), geometry(page, plan)
    assert abs(bar["x"] - x_of(page, "2018-01-01")) < 1 and bar["width"] == 30
    assert abs(planned["end"] - x_of(page, "2019-02-01")) < 1  # the end of January 2019
    assert bar["end"] < planned["end"] - 10  # the stated part stops short of the plan
    dotted = page.eval_on_selector(plan, "e => getComputedStyle(e).strokeDasharray")
    assert dotted not in ("", "none")
    assert page.eval_on_selector(team, "e => getComputedStyle(e).strokeDasharray") != dotted
    # where a stated end and a plan agree (the F-16s), nothing is dotted, a tick only
    f16 = phase_bar(page, "p => p.component === 'f16-detachment'")
    f16_plan = f'#timeline rect.plan[data-phase="{page.get_attribute(f16, "data-phase")}"]'
    assert page.get_attribute(f16_plan, "display") == "none"
    page.click(team)
    details = visit.details()
    assert "end not stated" in details
    assert "2019-01 (a plan, not a stated end: drawn dotted)" in details
    assert visit.errors == []


LETTERS = {  # two letters of the same day disagree about a start; one plans the end
    "a.txt": "Den Haag, 15 maart 2019\n\nSinds 1 februari 2019 is een Nederlands chirurgisch "
    "team ontplooid in Irak. Het chirurgisch team zal tot en met 31 december 2019 in Irak "
    "blijven.\n",
    "b.txt": "Den Haag, 15 maart 2019\n\nSinds 1 maart 2019 is het Nederlandse chirurgisch "
    "team in Irak ontplooid.\n",
}


@pytest.fixture(scope="module")
def letters_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    (folder / "in").mkdir()
    for name, text in LETTERS.items():
        (folder / "in" / name).write_text(text, "utf-8")
    report = build([folder / "in"], folder / "out")
    assert report.built and not report.rejected
    return folder / "out" / "site" / "index.html"


@pytest.mark.slow
def test_viewer_a_disputed_start_is_marked_as_disputed(visit: Visit, letters_index: Path) -> None:
    """Letters of the same day that give different starts: the start is drawn as the
    days they give, hatched, with a "≠", never as one date; the planned end is dotted."""
    visit.open(letters_index)
    page = visit.page
    (index,) = page.evaluate("KG.app.phases.map(p => p.index)")
    zone = f'#timeline rect.zone[data-phase="{index}"]'
    assert page.get_attribute(zone, "data-side") == "start"
    days = geometry(page, zone)
    assert abs(days["x"] - x_of(page, "2019-02-01")) < 1
    assert abs(days["end"] - x_of(page, "2019-03-02")) < 1
    body = geometry(page, f'#timeline rect.bar[data-phase="{index}"]')
    assert abs(body["x"] - days["end"]) < 1 and body["width"] == 30  # the end: unstated
    assert page.locator(
        f'#timeline text.disputed-mark[data-phase="{index}"]'
    ).all_text_contents() == ["≠"]
    plan = geometry(page, f'#timeline rect.plan[data-phase="{index}"]')
    assert abs(plan["end"] - x_of(page, "2020-01-01")) < 1
    page.click(zone)
    details = visit.details()
    assert "surgical team: disputed – planned 2019-12-31" in details
    assert "disputed: the latest documents disagree (2019-02-01; 2019-03-01)" in details
    assert page.locator("#details-body section.phase-doc").count() == 2
    visit.shot("viewer-phase-disputed.png")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_the_mentions_toggle_brings_back_the_period_bars(
    visit: Visit, seed_index: Path
) -> None:
    """Phases are the default; the toggle draws one bar per period fact instead, as
    its sentence states it, and is kept in the fragment."""
    visit.open(seed_index)
    page = visit.page
    phases = "#timeline rect.bar[data-phase]"
    periods = "#timeline rect.bar[data-fact]"
    drawn = page.evaluate("KG.app.phases.filter(p => p.t0 !== null || p.t1 !== null).length")
    dated = page.evaluate(
        "KG.app.facts.filter(f => f.kind === 'period' && (f.t0 !== null || f.t1 !== null)).length"
    )
    assert page.locator(phases).count() == drawn and page.locator(periods).count() == 0
    assert page.is_visible("#timeline-box [data-mode=phases]")
    page.check("#f-mentions")
    visit.until("location.hash.includes('mentions=1')")
    assert page.locator(periods).count() == dated == 34 and page.locator(phases).count() == 0
    assert not page.is_visible("#timeline-box [data-mode=phases]")
    assert page.is_visible("#timeline-box [data-mode=mentions]")
    # a planned period is dotted, as the phases' plans are
    planned = page.evaluate(
        "KG.app.facts.filter(f => f.kind === 'period' && f.modality === 'planned').length"
    )
    assert page.locator("#timeline rect.bar.unsure").count() >= planned > 0
    visit.shot("viewer-mentions.png")
    page.uncheck("#f-mentions")
    visit.until("!location.hash.includes('mentions=1')")
    assert page.locator(phases).count() == drawn and page.locator(periods).count() == 0
    # the filters hold the phases too: a document's phases are those it gives a mention
    page.select_option("#f-doc", "003_7ba65e5599d72e72.txt")
    visit.until("location.hash.includes('doc=')")
    shown = page.evaluate("KG.app.shownPhases.map(p => p.title)")
    assert "OIR: ? – 2024-04" in shown and "F-16 detachment: 2018-01 – 2018-12-31" not in shown
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_every_fact_row_is_reachable(visit: Visit, seed_index: Path) -> None:
    visit.open(seed_index, "#view=list")
    page = visit.page
    total = page.evaluate("KG.app.facts.length")
    seen: list[int] = []
    for _ in range(100):
        seen += page.eval_on_selector_all(
            "#fact-rows tr", "els => els.map(e => Number(e.dataset.fact))"
        )
        following = page.locator("#pager-bottom button[data-page]").nth(2)
        if following.is_disabled():
            break
        following.click()
    assert sorted(seen) == list(range(total)) and total == 370
    visit.until("location.hash.includes('page=4')")
    # the last page's fragment opens the last page; a filter goes back to the first
    again = page.evaluate("location.hash")
    page.reload()
    page.wait_for_selector("html[data-ready=true]", state="attached")
    assert page.evaluate("location.hash") == again
    assert page.inner_text("#pager-top .page-no") == "page 4 of 4"
    page.fill("#f-q", "militairen")
    visit.until("!location.hash.includes('page=')")
    assert "page 1 of" in page.inner_text("#pager-top") or page.is_hidden("#pager-top")
    assert visit.errors == []


@pytest.mark.slow
def test_viewer_network_starts_without_events_and_office_names(
    visit: Visit, seed_index: Path
) -> None:
    visit.open(seed_index, "#view=network")
    page = visit.page
    visit.until("KG.app.network.network !== null && KG.app.network.labelPixels() !== null")
    page.wait_for_timeout(1500)

    def drawn() -> list[str]:
        return page.evaluate("KG.app.network.network.body.data.nodes.getIds()")

    ids = drawn()
    groups = {node.partition(":")[0] for node in ids}
    assert groups == {"mission", "component", "document", "organisation", "person"}
    people = [node.partition(":")[2] for node in ids if node.startswith("person:")]
    assert "Mohammed al-Sudani" in people and not {"Sudani", "al-Sudani", "Blok"} & set(people)
    assert [name for name in people if name.startswith("van ")] == []  # "van Justitie"
    assert page.evaluate("KG.app.network.labelPixels()") >= 11
    visit.shot("viewer-network-start.png")
    page.check("#legend-network input[value=event]")
    visit.until("location.hash.includes('kinds=')")
    page.wait_for_timeout(500)
    assert any(node.startswith("event:") for node in drawn())
    visit.shot("viewer-network-events.png")
    assert visit.errors == []


# --- more marks than pixels: a density, drawn from the visible span ----------------------


@pytest.fixture(scope="module")
def dense_index(seed_build: SeedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds with 1,500 more OIR events, 1,000 more Dutch OIR figures and 600 more
    OIR periods, a day apart from 2015: more than the charts' pixels can show one by one."""
    data = gather(open_store(seed_build.out))
    oir = [f for f in data.facts if f.mission == "OIR"]
    event = next(f for f in oir if f.kind == "event" and f.start)
    figure = next(f for f in oir if f.kind == "personnel" and f.country == "NL")
    period = next(f for f in oir if f.kind == "period" and f.modality == "stated")
    first = dt.date(2015, 1, 1)
    more = []
    for n in range(1500):
        day = (first + dt.timedelta(days=n)).isoformat()
        more.append(replace(event, id=f"{event.id}/dense-{n}", start=day, end=day, date=day))
        if n < 1000:
            more.append(
                replace(
                    figure,
                    id=f"{figure.id}/dense-{n}",
                    start=day,
                    end=day,
                    scope="contribution",
                    qualifier="exact",
                    value=1 + n % 300,
                    minimum=None,
                    maximum=None,
                )
            )
        if n < 600:
            later = (first + dt.timedelta(days=n + 90)).isoformat()
            more.append(
                replace(
                    period,
                    id=f"{period.id}/dense-{n}",
                    start=day,
                    end=later,
                    period_start=day,
                    period_end=later,
                )
            )
    facts = sorted((*data.facts, *more), key=lambda f: (f.doc, f.offsets, f.id))
    folder = tmp_path_factory.mktemp("dense") / "site"
    return render_site(replace(data, facts=tuple(facts)), folder)


def frame(page: Page) -> None:
    """Wait until the page has drawn a frame."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")


def on_density(page: Page, selector: str, day: str | None = None) -> tuple[float, float]:
    """Where in the page a density's first shape is (its first column or bar), or the
    column of ``day``: its lower part for the events, its middle for the bars."""
    x, y = page.eval_on_selector(
        selector,
        """(path, day) => {
          const [x, y] = path.getAttribute('d').slice(1).split(/[^0-9.-]/).map(Number);
          const box = path.ownerSVGElement.getBoundingClientRect();
          const at = day ? KG.app.charts.axis.x(Date.parse(day)) : x + 1;
          const events = path.classList.contains('events');
          return [box.left + at, box.top + (events ? y - 2 : y + 5)]; }""",
        day,
    )
    return x, y


@pytest.mark.slow
def test_viewer_draws_more_marks_than_pixels_as_a_density(visit: Visit, dense_index: Path) -> None:
    visit.open(dense_index)
    page = visit.page
    lane = "#timeline g[data-mission=OIR]"
    density = f"{lane} path.density.events"
    # OIR's 1,500 more events are one density; NMI's few are a dot each, as on the seeds
    assert page.locator(density).count() == 1 and page.locator(f"{lane} circle.event").count() == 0
    assert page.locator("#timeline g[data-mission=NMI] circle.event").count() > 0
    assert page.locator("#personnel g[data-mission=OIR] g.figure").count() == 0
    assert page.locator("#personnel g[data-mission=OIR] path.density.cells").count() >= 1
    assert page.locator("#personnel g[data-mission=NMI] g.figure").count() > 0
    assert page.locator("svg.chart *").count() < 2500  # fewer elements than the facts added
    # the pointer over the density names the nearest event and how many more are near
    page.locator(density).scroll_into_view_if_needed()
    page.mouse.move(*on_density(page, density, "2016-06-15"))
    assert "more here: zoom in to see each" in page.inner_text("#tip")
    # a click on it opens the nearest event's details and draws that event on its own
    page.mouse.click(*on_density(page, density, "2016-06-15"))
    assert page.inner_text("#details-body h3") == "Event"
    frame(page)
    selected = page.locator(f"{lane} circle.event.selected")
    assert selected.count() == 1 and page.locator(f"{lane} circle.event").count() == 1
    assert "OIR" in visit.details()
    # zoomed in to January 2016, the lane has the pixels for a dot per event again:
    # of those whose days are in view, and the density is gone
    page.evaluate(
        """() => { const ax = KG.app.charts.axis;
          ax.t0 = Date.UTC(2016, 0, 1); ax.t1 = Date.UTC(2016, 1, 1); ax.onChange(); }"""
    )
    frame(page)
    assert page.get_attribute(density, "display") == "none"
    days = page.evaluate(
        """() => [...document.querySelectorAll('#timeline g[data-mission=OIR] circle.event')]
          .map((c) => KG.app.facts[Number(c.getAttribute('data-fact'))])
          .map((f) => [f.start || f.end, f.end || f.start])"""
    )
    assert all(start <= "2016-02-01" and end >= "2015-12-31" for start, end in days)
    assert {f"2016-01-{n:02d}" for n in range(1, 32)} <= {start for start, _ in days}
    assert len(days) < 100  # not the 1,500
    page.click("#zoom-reset")
    frame(page)
    assert page.get_attribute(density, "display") is None
    # a fact chosen on another tab is drawn on its own when the timeline shows again
    page.click("#tab-list")
    index = page.evaluate(
        "KG.app.facts.findIndex((f) => f.kind === 'event' && f.id.endsWith('/dense-700'))"
    )
    page.evaluate(f"KG.app.select({index})")
    page.click("#tab-time")
    frame(page)
    assert page.get_attribute(f"{lane} circle.event.selected", "data-fact") == str(index)
    # the mentions toggle: OIR's periods are per row one path of where bars are
    page.check("#f-mentions")
    frame(page)
    bars = f"{lane} path.density.bars"
    assert page.locator(bars).count() >= 1
    assert page.locator(f"{lane} rect.bar[data-fact]").count() == 0
    page.locator(bars).first.scroll_into_view_if_needed()
    page.mouse.click(*on_density(page, f"{bars}:not([d=''])"))
    assert page.inner_text("#details-body h3") == "Period"
    visit.shot("viewer-dense.png")
    assert visit.errors == []
