"""``kehoach ontology``: regenerate and inspect the ontology (bản thể học).

Thin front door over ``ontology.build``: ``build`` → ``generate``, ``show`` → ``describe``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ontology.build import ONTOLOGY_DIR, TTL_NAME, describe, generate
from ontology.errors import OntologyError
from service.cli.options import JsonOption, emit_json

EXIT_ERROR = 2

OutOption = Annotated[
    Path,
    typer.Option("--out", help="Thư mục ghi tệp / output directory.", file_okay=False),
]


def _fail(err: OntologyError) -> typer.Exit:
    typer.echo(f"Lỗi / Error [{err.code}]: {err.message}", err=True)
    return typer.Exit(EXIT_ERROR)


def build(out: OutOption = ONTOLOGY_DIR) -> None:
    """Sinh lại kehoach.ttl, kehoach.owl, namespace.py / regenerate the ontology files.

    Example: kehoach ontology build --out /tmp/onto
    """
    try:
        files = generate(out)
    except OntologyError as err:
        raise _fail(err) from None
    for path in (files.ttl, files.owl, files.namespace):
        typer.echo(f"đã ghi / wrote {path}")


def show(
    path: Annotated[Path, typer.Option("--ttl", help="Tệp Turtle / Turtle file.")] = (
        ONTOLOGY_DIR / TTL_NAME
    ),
    as_json: JsonOption = False,
) -> None:
    """Đếm lớp, thuộc tính và nhãn / count classes, properties and show labels.

    Example: kehoach ontology show --json
    """
    try:
        info = describe(path)
    except OntologyError as err:
        raise _fail(err) from None
    if as_json:
        emit_json(info)
        return
    typer.echo(", ".join(f"{kind}: {n}" for kind, n in info["counts"].items()))
    for term in info["terms"]:
        typer.echo(f"{term['kind']:<16} kh:{term['name']:<28} {term['label_vi']} / "
                   f"{term['label_en']}")


def register(app: typer.Typer) -> None:
    """Add the ``ontology`` command group to ``app``."""
    group = typer.Typer(help="Bản thể học / the ontology: build, show.", no_args_is_help=True)
    group.command("build")(build)
    group.command("show")(show)
    app.add_typer(group, name="ontology")
