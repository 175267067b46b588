"""Every command is documented: --help works, shows an example, and the README names it."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from service.cli.app import COMMAND_MODULES, build_app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
APP = build_app()


def command_paths(group, prefix=()):
    for name, sub in getattr(group, "commands", {}).items():
        if getattr(sub, "commands", None):
            yield from command_paths(sub, (*prefix, name))
        else:
            yield (*prefix, name)


PATHS = sorted(command_paths(typer.main.get_command(APP)))


def test_every_registered_module_adds_commands():
    assert len(COMMAND_MODULES) == len(set(COMMAND_MODULES))
    assert len(PATHS) >= len(COMMAND_MODULES)


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_of_command_shows_an_example(path):
    result = CliRunner().invoke(APP, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output or "Ví dụ" in result.output, result.output
    assert "<bool>" not in result.output  # flags take no value: no type shown (issue 17)


@pytest.mark.parametrize("name", sorted({p[0] for p in PATHS}))
def test_readme_names_every_command(name):
    assert f"kehoach {name}" in README, f"README does not mention `kehoach {name}`"
