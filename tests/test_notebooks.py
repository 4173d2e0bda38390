"""The notebooks: stored without outputs, written against kg.api only, each opening
with its question and ending with what the data shows; and each runs top to bottom
(nbclient, the python3 kernel of this environment) on a fresh build of the seeds.

Set KG_NOTEBOOK_FIGURES to a folder (test-artifacts/ is ignored by git) to keep the
charts the notebooks draw as PNG files, to look at them.
"""

from __future__ import annotations

import base64
import os
import re
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_ask_a_question_and_end_with_what_the_data_shows(path: Path) -> None:
    cells = read(path).cells
    assert cells[0].cell_type == "markdown" and "**Question.**" in cells[0].source
    last = cells[-1]
    assert last.cell_type == "markdown"
    assert "What the data shows, and its limits" in last.source
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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_run_top_to_bottom_on_the_seeds(
    path: Path, fresh_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_OUT", str(fresh_out))
    monkeypatch.setenv("KG_SEEDS", str(ROOT / "seeds"))
    notebook = read(path)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    assert (fresh_out / "graph.trig").is_file()
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
