"""Fixtures shared by the test modules: the seeds, one build of them per session,
and small inputs made on the fly (never third-party documents)."""

import re
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
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


STARTUP = 30.0  # seconds a kg serve may take to say where it is


class Server:
    """``python -m kg serve --out OUT --port 0 ARGS`` in a subprocess, stopped with SIGINT."""

    def __init__(self, out: Path, *args: str) -> None:
        command = [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.announcement = self._first_line(STARTUP)
        found = re.search(r"http://([\d.]+):(\d+)/", self.announcement)
        if found is None:
            self.stop()
            raise AssertionError(f"kg serve did not say where it is: {self.announcement!r}")
        self.host, self.port = found.group(1), int(found.group(2))
        self.url = found.group(0)

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                self.process.kill()
                raise AssertionError(f"kg serve said nothing in {timeout} s")
        return self.process.stdout.readline()

    def stop(self) -> tuple[int, str]:
        """Ctrl-C the server: its exit status and what it wrote on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return self.process.returncode, stderr


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    """An HTTP client of the module's ``server`` fixture (a :class:`Server`)."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http
