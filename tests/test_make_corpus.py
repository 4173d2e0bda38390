"""bench/make_corpus.py: the synthetic benchmark corpus is deterministic, a prefix
of any larger one, varied, of every kind, and --change rewrites one file."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"kamerstuk", "vragen", "government", "news", "distractor"}


def _load() -> ModuleType:
    # bench/ is not a package: load the script by its path.
    path = ROOT / "bench" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mc = _load()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_same_bytes() -> None:
    first = list(mc.generate(30, seed=7))
    assert first == list(mc.generate(30, seed=7))
    assert first != list(mc.generate(30, seed=8))


def test_smaller_corpus_is_a_prefix() -> None:
    assert list(mc.generate(50))[:20] == list(mc.generate(20))


def test_documents_differ_and_copy_no_seed() -> None:
    docs = list(mc.generate(50))
    names = [name for name, _ in docs]
    texts = [text for _, text in docs]
    assert names == sorted(names)
    assert all(mc.NAME_PATTERN.match(name) for name in names)
    assert len(set(texts)) == len(texts)
    seeds = {path.read_text(encoding="utf-8") for path in (ROOT / "seeds").glob("*.txt")}
    assert seeds and not seeds & set(texts)
    assert all(text.endswith("\n") and text.strip() for text in texts)


def test_every_kind_occurs() -> None:
    kinds = {name.split("_", 1)[1].removesuffix(".txt") for name, _ in mc.generate(200)}
    assert kinds == KINDS


def test_only_dev_split_is_read() -> None:
    names = {name for _, name, _ in mc.sources()}
    for case in (ROOT / "tests" / "corpus").glob("*/case.json"):
        split = json.loads(case.read_text(encoding="utf-8")).get("split")
        assert (f"tests/corpus/{case.parent.name}" in names) == (split == "dev")


def test_change_rewrites_exactly_one_file(tmp_path: Path) -> None:
    mc.write_corpus(12, tmp_path)
    before = _snapshot(tmp_path)
    assert mc.main(["--change", "5", "--to", str(tmp_path)]) == 0
    after = _snapshot(tmp_path)
    assert after.keys() == before.keys()
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1 and changed[0].startswith("00005_")
    # Deterministic: the same change gives the same bytes.
    assert after[changed[0]] == mc.document(5, mc.DEFAULT_SEED, 1)[1].encode()


def test_non_empty_folder_needs_force(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("kept")
    with pytest.raises(mc.CorpusError, match="not empty"):
        mc.write_corpus(3, tmp_path)
    mc.write_corpus(5, tmp_path, force=True)
    mc.write_corpus(3, tmp_path, force=True)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [name for name, _ in mc.generate(3)] + ["notes.md"]
