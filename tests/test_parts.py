"""Long documents are read in parts of whole paragraphs, each with a Doc of its own
(issue 11: memory grows with the part, not the document), and give the same graph as
read whole: what the document says as a whole is read first, and what a paragraph
hands the next is carried from part to part."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from kg import pipeline
from kg.ingest import parse_bytes, read_document
from kg.model import BlockKind
from kg.nlp import make_doc
from kg.normalize import normalize, part_of, text_parts
from kg.pipeline import build, extracted, process
from kg.settings import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "corpus"
TINY = "2000"  # a part of a paragraph or two: every seed is read in many parts


def _dev_texts() -> list[Path]:
    return sorted(
        case / "text.txt"
        for case in CORPUS.iterdir()
        if (case / "case.json").is_file()
        and json.loads((case / "case.json").read_text(encoding="utf-8"))["split"] == "dev"
    )


def test_parts_are_whole_paragraphs_of_the_running_text() -> None:
    norm = normalize(read_document(SEEDS / "000_aecc147fb1b91a27.txt"))
    bounds = text_parts(norm, 2000)
    assert len(bounds) > 10
    assert bounds[0][0] == 0 and bounds[-1][1] == norm.running_end
    assert all(end == start for (_, end), (start, _) in pairwise(bounds))
    block_starts = {b.start for b in norm.blocks}
    assert all(start in block_starts for start, _ in bounds)
    longest = max(b.end - b.start for b in norm.blocks)
    assert all(end - start <= max(2000, longest) + 2 for start, end in bounds)  # + blank line


def test_parts_keep_the_offsets_into_the_original() -> None:
    source = read_document(SEEDS / "001_1044ea1259fcd4ce.txt")
    norm = normalize(source)
    for start, end in text_parts(norm, 3000):
        part = part_of(norm, start, end)
        assert part.text == norm.text[start:end]
        assert [(s + start, e + start) for s, e in part.sentences] == [
            s for s in norm.sentences if start <= s[0] < end
        ]
        for s, e in part.sentences:
            assert part.span(s, e) == norm.span(s + start, e + start)
            assert part.from_original(part.offsets[s]) == s


def test_parts_hold_the_tokens_of_the_whole_document_in_order() -> None:
    """Token i of a part is token ``tokens + i`` of the document read whole, which the
    mentions carried from part to part count on."""
    norm = normalize(read_document(SEEDS / "002_e50b7459da8d0f59.txt"))
    whole = [t.text for t in make_doc(norm) if t.idx < norm.running_end]
    parted = [t.text for s, e in text_parts(norm, 2000) for t in make_doc(part_of(norm, s, e))]
    assert parted == whole


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of the text of every Doc the pipeline makes, in order."""
    lengths: list[int] = []

    def counted(norm):  # type: ignore[no-untyped-def]
        lengths.append(len(norm.text))
        return make_doc(norm)

    monkeypatch.setattr(pipeline, "make_doc", counted)
    return lengths


def test_parts_each_doc_is_at_most_a_part(read: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DEFAULTS, "part_chars", TINY)
    source = read_document(SEEDS / "000_aecc147fb1b91a27.txt")
    process(source)
    norm = normalize(source)
    longest = max(b.end - b.start for b in norm.blocks if b.kind != BlockKind.FOOTNOTE)
    assert len(read) > 10 and max(read) <= max(int(TINY), longest) + 2  # + blank line


def test_parts_a_text_of_one_part_is_read_whole(read: list[int]) -> None:
    raw = "Den Haag, 14 september 2018\n\nNederland levert 50 militairen aan OIR.\n"
    process(parse_bytes(raw.encode(), "text/plain", "kort.txt"))
    assert read == [len(raw) - 1]  # one Doc of the whole normalized text


@pytest.mark.parametrize(
    "path",
    [SEEDS / "003_7ba65e5599d72e72.txt", *_dev_texts()[:3]],
    ids=lambda p: p.parent.name if p.name == "text.txt" else p.name,
)
def test_parts_give_the_facts_of_the_whole_document(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = read_document(path)
    whole = extracted(process(source)).nquads
    monkeypatch.setitem(DEFAULTS, "part_chars", "1")  # every paragraph a part of its own
    assert extracted(process(source)).nquads == whole


@pytest.mark.slow
def test_parts_give_the_graph_of_the_whole_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seeds and the dev split of tests/corpus built with parts of 2,000 characters
    give graph.trig byte for byte as built with the default part size (each read whole)."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, inputs / path.name)
    for path in _dev_texts():
        shutil.copy(path, inputs / f"{path.parent.name}.txt")
    assert max(len(p.read_text(encoding="utf-8")) for p in inputs.iterdir()) < int(
        DEFAULTS["part_chars"]
    )
    build([inputs], tmp_path / "whole", jobs=1)
    monkeypatch.setitem(DEFAULTS, "part_chars", TINY)
    build([inputs], tmp_path / "parts", jobs=1)
    whole = (tmp_path / "whole" / "graph.trig").read_bytes()
    assert (tmp_path / "parts" / "graph.trig").read_bytes() == whole
