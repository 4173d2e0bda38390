"""The README stays true: the Quickstart, the commands and the named queries."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg.cli import cli
from kg.query import named_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, "the Quickstart has no fenced block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_docs_quickstart_has_two_commands_that_build_and_test() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert "kg build" in commands[0] and "--out out" in commands[0]
    assert "pytest" in commands[1]


def test_docs_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci


def test_docs_readme_names_every_command_and_option() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert f"kg {name}" in README, f"README does not show 'kg {name}'"
        for param in command.params:
            if isinstance(param, click.Option):
                long_names = [opt for opt in param.opts if opt.startswith("--")]
                assert any(opt in README for opt in long_names), f"README lacks {long_names}"


def test_docs_readme_lists_every_named_query() -> None:
    for name in named_queries():
        assert f"| `{name}` |" in README, f"README's query table lacks {name}"
