"""The README's commands work as written: every ``sh`` block after the Quickstart is run,
in order, in a copy of the checkout, after the README's own activation block.

The Quickstart's two commands are CI's own (``.ci/run`` runs them on a fresh clone), so
this test starts where the first one ends: the seeds built into ``out/``. A command that
serves (``oxigraph serve-read-only``, ``kg serve``) runs in the background until the
blocks after it have run, as a reader would leave it running in another terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# what the commands read: copied, so that they may write where the README says
COPIED = ("seeds", "notebooks", "tests/corpus", "tests/gold")
BLOCK = re.compile(r"^```sh\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
SERVER = re.compile(
    r"^\S+ serve(?:-read-only)?\b.*?(?:--bind\s+\S+:|--port\s+)(\d+).*$", re.MULTILINE
)
QUICKSTART = re.compile(r"^## Quickstart\b", re.MULTILINE)
BLOCK_SECONDS = 600

pytestmark = pytest.mark.slow


def blocks(readme: str) -> Iterator[tuple[int, str]]:
    """The ``sh`` blocks after the Quickstart: (line of the fence, commands)."""
    heading = QUICKSTART.search(readme)
    assert heading, "the README has a Quickstart section"
    quickstart = BLOCK.search(readme, heading.end())
    assert quickstart, "the Quickstart has its block"
    for match in BLOCK.finditer(readme, quickstart.end()):
        yield readme.count("\n", 0, match.start()) + 1, match.group(1)


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing answers on port {port} after {seconds} s")


def test_the_first_block_after_the_quickstart_activates_the_environment() -> None:
    """Without it a newcomer's `kg` is 'command not found'."""
    _, first = next(blocks(README.read_text(encoding="utf-8")))
    assert first.strip() == ". .venv/bin/activate"


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs the tests to run in a venv")
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    """Each block exits 0, run as `bash -e` after the activation block."""
    for name in COPIED:
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "KG_OUT", "KG_SEEDS")}
    env["PATH"] = "/usr/bin:/bin"  # no kg but the venv's: only the activation puts it there
    # the first Quickstart command, without its install: the seeds built into out/
    subprocess.run(
        [f"{sys.prefix}/bin/kg", "build", "seeds", "--out", "out", "-q"],
        cwd=tmp_path,
        check=True,
        env=env,
    )

    found = list(blocks(README.read_text(encoding="utf-8")))
    activate = found[0][1]
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for line, commands in found[1:]:
            serving = SERVER.search(commands)
            if serving:  # the server in the background, the rest of the block first
                before, server = commands[: serving.start()], serving.group(0)
                _run(line, activate + before, tmp_path, env)
                servers.append(
                    subprocess.Popen(
                        ["bash", "-c", activate + "exec " + server],
                        cwd=tmp_path,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
                _wait_for_port(int(serving.group(1)))
                _run(line, activate + commands[serving.end() :], tmp_path, env)
            else:
                _run(line, activate + commands, tmp_path, env)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def _run(line: int, script: str, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=BLOCK_SECONDS,
    )
    assert done.returncode == 0, (
        f"README.md line {line}: the block exits {done.returncode}\n{script}\n"
        f"--- stdout (end)\n{done.stdout[-2000:]}\n--- stderr (end)\n{done.stderr[-2000:]}"
    )
