"""Fixtures shared by the test modules: the seeds, one build of them per session,
and small inputs made on the fly (never third-party documents)."""

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_NAMES = sorted(path.name for path in SEEDS_DIR.glob("*.txt"))


@dataclass(frozen=True)
class SeedBuild:
    """The build folder of the five seeds and the result of the ``kg build`` that made it."""

    out: Path
    result: Result


@pytest.fixture(scope="session")
def seed_names() -> list[str]:
    """The file names of the five seed documents, sorted."""
    assert len(SEED_NAMES) == 5, f"expected 5 seeds in {SEEDS_DIR}, found {SEED_NAMES}"
    return SEED_NAMES


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> SeedBuild:
    """``kg build`` of a copy of the seeds, made once per session; tests only read it."""
    inputs = tmp_path_factory.mktemp("seed-inputs")
    for name in SEED_NAMES:
        shutil.copy(SEEDS_DIR / name, inputs / name)
    out = tmp_path_factory.mktemp("seed-build") / "out"
    result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(out)])
    return SeedBuild(out, result)


@pytest.fixture
def runner() -> CliRunner:
    """A click runner; ``result.stdout`` and ``result.stderr`` are kept apart (click >= 8.2)."""
    return CliRunner()


@pytest.fixture(scope="session")
def make_pdf() -> Callable[[Sequence[str]], bytes]:
    """A function that makes a PDF with one page per string (Helvetica, Latin-1 text)."""
    from fpdf import FPDF

    def make(pages: Sequence[str]) -> bytes:
        pdf = FPDF()
        pdf.set_font("Helvetica", size=11)
        for text in pages:
            pdf.add_page()
            if text:
                pdf.multi_cell(0, 6, text)
        return bytes(pdf.output())

    return make


def run_kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m kg ARGS`` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def three_seeds_and_a_broken_pdf(tmp_path: Path) -> Path:
    """A folder of three seeds and a truncated PDF, which every build rejects."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in SEED_NAMES[:3]:
        shutil.copy(SEEDS_DIR / name, folder / name)
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4 truncated")
    return folder
