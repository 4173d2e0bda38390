"""The notebooks: stored without outputs, written against kg.api only, each opening
with its question and ending with what the data shows; and each runs top to bottom
(nbclient, the python3 kernel of this environment) on a fresh build of the seeds, and
on a build of the development corpus's dev split (tests/corpus), where a summary that a
code cell writes must read right too. That their prose states no figure of the data is
tests/test_notebook_prose.py.

Set KG_NOTEBOOK_FIGURES to a folder (test-artifacts/ is ignored by git) to keep the
charts the notebooks draw as PNG files, to look at them.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = {"consistency", "lifecycle", "money", "network", "strength"}
CELL_TIMEOUT = 120  # seconds
CLOSING = "## What the data shows, and its limits"
# What a summary computed from frames shows where it missed a case: a missing value
# printed as such, or a field of a template left unfilled.
UNREAD = re.compile(r"\b(?:nan|NaN|None|NaT|<NA>)\b|\{[^}]*\}")
# kg.api is the notebooks' only way into the graph
OTHER_KG_IMPORT = re.compile(r"^\s*(?:from\s+kg(?:\.(?!api\b)\w+)*\s+import|import\s+kg\b)", re.M)
STORE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:pyoxigraph|rdflib|oxrdflib)\b", re.M)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_notebooks_are_the_five_analyses() -> None:
    assert {path.stem for path in NOTEBOOKS} == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    notebook = read(path)
    nbformat.validate(notebook)
    assert set(notebook.metadata.get("language_info", {})) <= {"name"}, "no Python version"
    for cell in notebook.cells:
        assert "execution" not in cell.metadata, f"{path.name} is saved with cell timings"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name} is saved with outputs: clear them before saving (README)"
            )


def closing(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells of the closing section: from its heading to the end."""
    starts = [
        n for n, cell in enumerate(cells) if cell.cell_type == "markdown" and CLOSING in cell.source
    ]
    assert starts, f"no markdown cell with the heading {CLOSING!r}"
    return cells[starts[-1] :]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_ask_a_question_and_end_with_what_the_data_shows(path: Path) -> None:
    """The closing section is one markdown cell, or its heading, the code cells that write
    what the data shows, and the limits as the last cell."""
    cells = read(path).cells
    assert cells[0].cell_type == "markdown" and "**Question.**" in cells[0].source
    section = closing(cells)
    assert "**What it shows.**" in "\n".join(cell.source for cell in section)
    last = cells[-1]
    assert last.cell_type == "markdown"
    assert "**Limits.**" in last.source and "PLACEHOLDER" not in last.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_use_only_the_api_and_find_the_build_by_kg_out(path: Path) -> None:
    code = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")
    assert "from kg.api import Build" in code
    assert not OTHER_KG_IMPORT.search(code), "a notebook reads the graph through kg.api only"
    assert not STORE_IMPORT.search(code)
    assert 'os.environ.get("KG_OUT", "../out")' in code
    assert "Build.ensure(" in code


def test_notebooks_kernel_is_this_environment() -> None:
    # ipykernel's "python3" kernel; jupyter_client starts it with the Python running the tests
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.language == "python" and spec.argv[0] in ("python", sys.executable)


@pytest.fixture(scope="module")
def fresh_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder that does not exist yet: the first notebook to run builds the seeds."""
    return tmp_path_factory.mktemp("notebooks") / "out"


@pytest.fixture(scope="module")
def dev_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The texts of the dev split of tests/corpus, one folder per case as there (its
    documents are named NAME/text.txt, many without a date: nothing like the seeds)."""
    inputs = tmp_path_factory.mktemp("dev-corpus")
    for case in sorted((ROOT / "tests" / "corpus").glob("*/case.json")):
        if json.loads(case.read_text(encoding="utf-8"))["split"] == "dev":
            (inputs / case.parent.name).mkdir()
            shutil.copy(case.parent / "text.txt", inputs / case.parent.name / "text.txt")
    return inputs


def execute(
    path: Path, out: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> nbformat.NotebookNode:
    """The notebook run top to bottom on the build in ``out`` (made of ``inputs`` by the
    notebook if it is not there), with the closing summary it writes checked."""
    monkeypatch.setenv("KG_OUT", str(out))
    monkeypatch.setenv("KG_SEEDS", str(inputs))
    notebook = read(path)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    assert (out / "graph.trig").is_file()
    written = [
        output.data["text/markdown"]
        for cell in closing(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if "data" in output and "text/markdown" in output.data
    ]
    if any(cell.cell_type == "code" for cell in closing(notebook.cells)):
        assert written and written[0].startswith("**What it shows.**"), (
            f"{path.name}: the closing code cell shows no summary"
        )
    for text in written:
        assert not UNREAD.search(text), f"{path.name} writes {UNREAD.search(text)}: {text}"
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_run_top_to_bottom_on_the_seeds(
    path: Path, fresh_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = execute(path, fresh_out, ROOT / "seeds", monkeypatch)
    images = [
        base64.b64decode(output.data["image/png"])
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "data" in output and "image/png" in output.data
    ]
    assert images, f"{path.name} draws no chart"
    figures = os.environ.get("KG_NOTEBOOK_FIGURES")
    if figures:
        Path(figures).mkdir(parents=True, exist_ok=True)
        for n, image in enumerate(images, start=1):
            (Path(figures) / f"{path.stem}-{n}.png").write_bytes(image)


@pytest.fixture(scope="module")
def dev_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder that does not exist yet: the first notebook to run builds the dev split."""
    return tmp_path_factory.mktemp("notebooks-dev") / "out"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_run_top_to_bottom_on_another_corpus(
    path: Path, dev_corpus: Path, dev_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notebook reads right for any build: here, the dev split of the corpus."""
    execute(path, dev_out, dev_corpus, monkeypatch)
