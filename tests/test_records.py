"""An official record (kg fetch's manifest, the file's metadata block) over what the
text suggests: which values it replaces, the warnings where the two differ, and what
the graph records of it."""

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fetchserver import FakeServices, seed_documents

from kg.cli import cli
from kg.extract.record import merged, record_digest, record_type
from kg.fetch.manifest import read_manifest, write_manifest
from kg.ingest import read_document
from kg.model import DocResult, DocType, SourceRecord
from kg.pipeline import process
from kg.query import answer, named_queries
from kg.rdf import document_quads
from kg.render import site
from kg.store import open_store
from kg.tables import LINKED, TABLED, lookup

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LETTER = SEEDS / "001_1044ea1259fcd4ce.txt"  # an artikel 100-brief of 14 september 2018
LIST = SEEDS / "002_e50b7459da8d0f59.txt"  # a list of questions, its date line left blank
DCT = "http://purl.org/dc/terms/"
KG = "https://w3id.org/kg-iraq/ontology#"

RECORD = SourceRecord(
    source="officielebekendmakingen",
    identifier="kst-27925-920",
    url="https://zoek.officielebekendmakingen.nl/kst-27925-920.html",
    download_url="https://repository.overheid.nl/frbr/officielepublicaties/kst/27925/kst-27925-920/1/xml/kst-27925-920.xml",
    retrieved="2026-12-03T16:20:00Z",
    doc_type="Lijst van vragen en antwoorden",
    dossier="27925",
    number="920",
    date="2022-11-24",
    title="Lijst van vragen en antwoorden over de verlenging",
    submitters=("W.B. Hoekstra", "W.B. Hoekstra", "K.H. Ollongren"),
)


def _read(path: Path, record: SourceRecord | None) -> DocResult:
    source = read_document(path, path.name)
    return process(replace(source, record=record))


def test_records_a_record_dates_a_list_whose_date_line_is_blank() -> None:
    bare, with_record_ = _read(LIST, None), _read(LIST, RECORD)
    assert bare.meta.date is None or bare.meta.date.inferred  # the text gives no date
    date = with_record_.meta.date
    assert date is not None and (date.iso, date.precision, date.inferred) == (
        "2022-11-24",
        "day",
        False,
    )
    assert date.stated_by == "officielebekendmakingen (kst-27925-920)"
    # the type both give keeps the text's evidence, marked as stated by the record
    doc_type = with_record_.meta.doc_type
    assert doc_type.value == DocType.VRAGEN and doc_type.evidence is not None
    assert doc_type.stated_by
    assert with_record_.meta.number is not None and with_record_.meta.number.value == "nr. 920"
    assert not [w for w in with_record_.warnings if "record" in w]  # nothing disagrees


def test_records_a_record_that_disagrees_wins_and_the_build_says_so() -> None:
    record = SourceRecord("tweedekamer", "kst-34 000", date="2018-09-15", doc_type="Motie")
    result = _read(LETTER, record)
    assert result.meta.date is not None and result.meta.date.iso == "2018-09-15"
    assert result.meta.date.evidence is None  # the text does not state this date
    assert result.meta.doc_type.value == DocType.OTHER
    warned = [w for w in result.warnings if "record of tweedekamer" in w]
    assert any("dated 2018-09-14" in w and "2018-09-15" in w for w in warned)
    assert any("artikel-100-brief" in w and "'Motie'" in w for w in warned)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Brief regering", DocType.ARTIKEL100),  # a letter the text reads more finely
        ("Kamerstuk", DocType.ARTIKEL100),  # a word naming no kind: the text's stands
        (None, DocType.ARTIKEL100),
        ("Verslag van een schriftelijk overleg", DocType.VERSLAG),
    ],
)
def test_records_the_records_word_for_a_kind_of_document(
    word: str | None, expected: DocType
) -> None:
    result = _read(LETTER, SourceRecord("officielebekendmakingen", doc_type=word))
    assert result.meta.doc_type.value == expected


def test_records_values_a_record_cannot_mean_are_left_to_the_text() -> None:
    text = _read(LETTER, None).meta
    for record in (
        SourceRecord("x", date="2018-13-45", dossier="27 9", number="nr. tien"),
        SourceRecord("x", date="2018", dossier="abc"),
        SourceRecord("x", date="14 september 2018"),
    ):
        meta = _read(LETTER, record).meta
        assert (meta.date, meta.dossier, meta.number) == (text.date, text.dossier, text.number)


@pytest.mark.parametrize(
    ("dossier", "number", "expected"),
    [
        ("36200-V", "0012", ("36 200-V", "nr. 12")),
        ("27925", "AP", ("27 925", "AP")),
        ("21501-02", "3", ("21 501-02", "nr. 3")),
    ],
)
def test_records_dossier_and_number_are_written_as_kg_writes_them(
    dossier: str, number: str, expected: tuple[str, str]
) -> None:
    meta = _read(LETTER, SourceRecord("x", dossier=dossier, number=number)).meta
    assert meta.dossier is not None and meta.number is not None
    assert (meta.dossier.value, meta.number.value) == expected


def test_records_record_types_and_digests() -> None:
    assert record_type("Lijst met feitelijke vragen") == DocType.VRAGEN
    assert record_type("Voortgangsrapportage") == DocType.VOORTGANG
    assert record_type("Amendement") == DocType.OTHER
    assert record_type("") is None
    assert record_digest(None) == ""
    assert record_digest(RECORD) == record_digest(replace(RECORD))
    assert record_digest(RECORD) != record_digest(replace(RECORD, title="other"))
    # the service's record first, the file's own metadata block where it says nothing
    embedded = SourceRecord(
        "embedded", identifier="kst-1", title="From the file", submitters=("A",)
    )
    both = merged(replace(RECORD, title=None, submitters=()), embedded)
    assert (both.source, both.identifier, both.title, both.submitters) == (
        "officielebekendmakingen",
        "kst-27925-920",
        "From the file",
        ("A",),
    )


def test_records_the_graph_links_the_document_to_its_official_record() -> None:
    result = _read(LIST, RECORD)
    store = ox.Store()
    store.extend(document_quads(result, record_digest(RECORD)))

    def values(prop: str) -> list[str]:
        return sorted(
            q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(prop), None)
        )

    assert values(DCT + "identifier") == ["kst-27925-920"]
    assert values(DCT + "source") == [RECORD.url]
    assert values(KG + "sourceService") == ["officielebekendmakingen"]
    assert values(KG + "retrieved") == ["2026-12-03T16:20:00Z"]
    assert values(KG + "recordDigest") == [record_digest(RECORD)]
    assert len(values(DCT + "creator")) == 2  # each submitter once
    assert "officielebekendmakingen (kst-27925-920)" in values(KG + "statedBy")
    # a record (a manifest edited by hand) with an address that is not one, a time that
    # is not one, one person spelt twice: no link, no time, one person of one name
    odd = replace(
        RECORD,
        url="zoek.officielebekendmakingen.nl/kst 1",
        retrieved="gisteren",
        submitters=("W.B. Hoekstra", "W.B.  HOEKSTRA"),
    )
    store = ox.Store()
    store.extend(document_quads(_read(LIST, odd)))
    assert values(DCT + "source") == [] and values(KG + "recordDigest") == []
    assert values(KG + "retrieved") == []
    assert len(values(DCT + "creator")) == 1
    assert values("https://schema.org/name").count("W.B. Hoekstra") == 1
    assert "W.B.  HOEKSTRA" not in values("https://schema.org/name")


# --- a fetched folder, built ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """Two seeds fetched from the stand-in for officielebekendmakingen, with their
    manifest."""
    corpus = tmp_path_factory.mktemp("fetched") / "corpus"
    with FakeServices(seed_documents(generated=0)) as fake:
        ids = sorted(fake.documents)[:2]
        result = CliRunner().invoke(
            cli,
            ["fetch", "ids", *ids, "--to", str(corpus), "--sru-url", fake.sru_url, "--rate", "100"],
        )
    assert result.exit_code == 0, result.output
    yield corpus, ids


def _documents(out: Path) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(cli, ["query", "documents", "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["doc"]: row for row in json.loads(result.stdout)}


@pytest.mark.slow
def test_records_a_fetched_folder_builds_with_its_official_records(
    fetched: tuple[Path, list[str]], tmp_path: Path
) -> None:
    source, ids = fetched
    corpus = tmp_path / "corpus"
    shutil.copytree(source, corpus)
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert built.exit_code == 0, built.output
    records = read_manifest(corpus)
    rows = _documents(out)
    assert sorted(rows) == [f"{i}.xml" for i in ids]
    for name, row in rows.items():
        record = records[name].record
        assert (row["identifier"], row["page"]) == (record.identifier, record.url)
        assert row["dossier"] == "27 925" and row["number"] == f"nr. {record.number}"
        assert row["date"] == record.date
    validated = CliRunner().invoke(cli, ["validate", "--out", str(out)])
    assert validated.exit_code == 0, validated.output
    # the viewer's details link to the official page
    page = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert all(json.dumps(records[name].record.url)[1:-1] in page for name in rows)

    # the service's record changes, the file does not: that document alone is read again
    first = sorted(records)[0]
    changed = replace(records[first].record, title="Een andere titel")
    write_manifest(
        corpus,
        [*(e for n, e in records.items() if n != first), replace(records[first], record=changed)],
    )
    again = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "1 read" in again.stderr or "read 1" in again.stderr, again.stderr
    assert _documents(out)[first]["title"] == "Een andere titel"
    # what is kept of its graph is kept anew: its TriG, and its query tables
    assert "Een andere titel" in (out / "graph.trig").read_text(encoding="utf-8")
    store = open_store(out)
    for name in (*TABLED, *LINKED):
        assert lookup(out, store, name) == answer(store, named_queries()[name].text), name
    del store

    # the file changes after the fetch: its record no longer applies, and the build says so
    path = corpus / first
    path.write_bytes(path.read_bytes().replace(b"</al>", b" Een toegevoegde zin.</al>", 1))
    edited = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert edited.exit_code == 0, edited.output
    assert f"{first}: changed since it was fetched" in edited.stderr
    assert _documents(out)[first]["identifier"] is None


@pytest.mark.slow
def test_records_the_viewer_links_a_fetched_document_to_its_official_page(
    fetched: tuple[Path, list[str]], tmp_path: Path
) -> None:
    chromium = Path(site.CHROMIUM)
    if not chromium.is_file():
        pytest.skip(f"no Chromium at {chromium} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    source, _ids = fetched
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(source), "--out", str(out), "-q"])
    assert built.exit_code == 0, built.output
    pages = {entry.record.url for entry in read_manifest(source).values()}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=list(site.CHROMIUM_ARGS)
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto((out / "site" / "index.html").as_uri())
        page.wait_for_selector("html[data-ready=true]", state="attached", timeout=20_000)
        page.locator("#personnel g.figure").first.dispatch_event("click")
        link = page.locator("#details-body a.official")
        link.wait_for(timeout=5_000)
        assert link.get_attribute("href") in pages
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.inner_text().startswith("kst-")
        browser.close()


def test_records_a_manifest_kg_cannot_read_leaves_the_documents_built_without_records(
    fetched: tuple[Path, list[str]], tmp_path: Path
) -> None:
    source, _ids = fetched
    corpus = tmp_path / "corpus"
    shutil.copytree(source, corpus)
    manifest = corpus / "kg-manifest.jsonl"
    manifest.write_text("{not json\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert built.exit_code == 0, built.output
    assert "kg-manifest.jsonl" in built.stderr and "line 1" in built.stderr
    assert "read without their records" in built.stderr
    assert all(row["identifier"] is None for row in _documents(out).values())


VERSLAG = SEEDS / "004_ca5156e8505345f5.txt"


@pytest.mark.parametrize("path", [LIST, VERSLAG])
def test_records_a_record_that_retitles_a_document_adds_no_events(path: Path) -> None:
    """The text's own title and date line stay the document's furniture when a
    record's values replace theirs: their years are no events."""
    record = SourceRecord(
        "officielebekendmakingen", "kst-1-2", title="Een titel", date="2001-02-03"
    )

    def happened(result: DocResult) -> list[tuple[str, str, str]]:
        found = [(e.event_type, e.mission, e.provenance.sentence.text) for e in result.events]
        return sorted(tuple(str(part) for part in fact) for fact in found)

    assert happened(_read(path, record)) == happened(_read(path, None))


def test_records_a_record_of_a_list_of_questions_has_its_questions_read() -> None:
    """A list of questions whose heading the text does not state is read as one when
    its record says so: its numbered questions are read too."""
    source = read_document(SEEDS / "000_aecc147fb1b91a27.txt", "lijst.txt")
    unheaded = source.text.replace("Lijst van vragen en antwoorden", "Stuk")
    bare = process(replace(source, text=unheaded))
    assert bare.meta.doc_type.value != DocType.VRAGEN and not bare.meta.questions
    record = SourceRecord("tweedekamer", "2021D1", doc_type="Lijst met vragen en antwoorden")
    read = process(replace(source, text=unheaded, record=record))
    assert read.meta.doc_type.value == DocType.VRAGEN
    assert len(read.meta.questions) == len(
        _read(SEEDS / "000_aecc147fb1b91a27.txt", None).meta.questions
    )
    assert read.meta.doc_type.evidence is None and read.meta.doc_type.stated_by


def test_records_a_manifest_in_a_subfolder_gives_its_documents_their_records(
    fetched: tuple[Path, list[str]], tmp_path: Path
) -> None:
    source, ids = fetched
    corpus = tmp_path / "corpus"
    shutil.copytree(source, corpus / "dossier-27925")
    (corpus / "brief.txt").write_bytes(LETTER.read_bytes())  # a document of no manifest
    out = tmp_path / "out"
    built = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert built.exit_code == 0, built.output
    rows = _documents(out)
    assert {name: row["identifier"] for name, row in rows.items()} == {
        "brief.txt": None,
        **{f"dossier-27925/{i}.xml": i for i in ids},
    }
