"""Builds the Typer app from the registry of command modules.

Each module in ``COMMAND_MODULES`` exposes ``register(app: typer.Typer) -> None``. Nothing is
registered at import time: ``build_app()`` does it, so tests can build a fresh app.
The global option ``kehoach --jurisdiction X <command>`` (or ``$KEHOACH_JURISDICTION``) confines
every fact log the command opens to jurisdiction X (``kg.log.use_jurisdiction``).
Exit codes: 0 ok, 1 findings (e.g. ``check`` found violations), 2 usage or load error.
"""

from __future__ import annotations

import importlib
import sys

import typer

from kg.errors import KehoachError
from kg.log import use_jurisdiction
from service.cli.options import JurisdictionOption, jurisdiction_code

# The registry of command groups, read by code, docs and tests.
COMMAND_MODULES: list[str] = [
    "service.cli.store",
    "service.cli.ontology",
    "service.cli.rules",
    "service.cli.template",
    "service.cli.graph",
    "service.cli.agency",
    "service.cli.extract",
    "service.cli.serve",
    "service.cli.report",
    "service.cli.national",
]

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

_display_type_rich = typer.core.TyperOption.display_type_rich


def _flag_without_type(self: typer.core.TyperOption, ctx: typer.Context) -> str | None:
    """A flag (``--json``, ``--help``) takes no value: its help line shows no type ("<bool>"
    was noise to a reader); options with a value keep theirs (``<path>``, ``<str>``)."""
    return None if self.is_flag else _display_type_rich(self, ctx)


typer.core.TyperOption.display_type_rich = _flag_without_type  # type: ignore[method-assign]


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="kehoach",
        help="kehoach — theo dõi kế hoạch phát triển kinh tế - xã hội / "
        "track a province's socio-economic plan.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(scope)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def scope(ctx: typer.Context, jurisdiction: JurisdictionOption = None) -> None:
    """Confine the command to one jurisdiction (for its whole run, then back)."""
    before = use_jurisdiction(jurisdiction_code(jurisdiction))
    ctx.call_on_close(lambda: use_jurisdiction(before))


def main() -> None:
    app = build_app()
    try:
        app(standalone_mode=True)
    except KehoachError as err:  # errors raised outside a command's own handling
        typer.echo(f"Lỗi / Error [{err.code}]: {err.message}", err=True)
        sys.exit(EXIT_ERROR)
