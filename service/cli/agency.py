"""``kehoach agency``: an office's agencies (cơ quan) — ``add``, ``import``, ``list`` — and an
agency's portfolio (``show``, also reached as ``kehoach agency NAME``). Thin doors over
``kg.agency_entries`` and ``kg.template``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from kg.agencies import AGENCY_KINDS, choose_kind
from kg.agency_entries import AgencyEntry, AgencyProblems, add_agencies, list_agencies
from kg.errors import Place
from kg.log import Source, open_existing_log, open_log
from kg.wording import vn_date
from service.cli import graph
from service.cli.options import DbOption, JsonOption, command, emit_json
from service.cli.template import run_import

SUBCOMMANDS = ("add", "import", "list", "show")
OPTION_OF = {"name": "NAME", "id": "--id", "short": "--short", "name_en": "--name-en",
             "kind": "--kind", "parent": "--parent", "jurisdiction": "--jurisdiction",
             "aliases": "--alias", "valid_from": "--valid-from", "valid_until": "--valid-until"}
OUTCOME_WORDS = {"new": "đã thêm / added", "version": "đã cập nhật / updated",
                 "duplicate": "đã có, không đổi / already recorded, unchanged"}


class AgencyGroup(TyperGroup):
    """``kehoach agency NAME`` (the portfolio, as before the subcommands) still works: a first
    word that is no subcommand is the agency of ``show``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    group = typer.Typer(cls=AgencyGroup, no_args_is_help=True,
                        help="Cơ quan / agencies: add, import, list; an agency's portfolio "
                        "(show). Example: kehoach agency add \"Sở Tài chính\" --parent "
                        "\"UBND tỉnh\"")
    group.command("add")(add)
    group.command("import")(import_agencies)
    group.command("list")(list_command)
    group.command("show")(graph.agency)
    app.add_typer(group, name="agency")


def _kind(text: str | None) -> str | None:
    return None if text is None else AGENCY_KINDS.get(choose_kind(text) or "", (text,))[0]


@command
def add(
    name: Annotated[str, typer.Argument(help="Tên cơ quan như văn bản viết / the agency's "
                                        "name as written")],
    short: Annotated[str | None, typer.Option("--short", help="Tên viết tắt / short name")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Loại / kind: sở, bộ, UBND tỉnh, UBND huyện, UBND xã, ngành dọc, cơ quan "
        "thuộc tỉnh, đoàn thể ... (default: read from the name's head word)")] = None,
    parent: Annotated[str | None, typer.Option(
        "--parent", help="Cơ quan cấp trên (tên hoặc mã) / parent agency, name or id")] = None,
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", help="Địa bàn của cơ quan (mã hoặc tên) / the agency's own "
        "jurisdiction, code or name")] = None,
    alias: Annotated[list[str] | None, typer.Option(
        "--alias", help="Tên gọi khác (lặp lại được) / another name (repeatable)")] = None,
    ident: Annotated[str | None, typer.Option(
        "--id", help="Mã: của cơ quan đã có để cập nhật nó, hoặc mã muốn đặt / a known "
        "agency's id to update it, or the id wanted")] = None,
    name_en: Annotated[str | None, typer.Option("--name-en", help="Tên tiếng Anh")] = None,
    valid_from: Annotated[str | None, typer.Option(
        "--valid-from", help="Hiệu lực từ / exists from (dd/mm/yyyy)")] = None,
    valid_until: Annotated[str | None, typer.Option(
        "--valid-until", help="Hiệu lực đến / exists until (dd/mm/yyyy)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra / check only")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Thêm hoặc cập nhật một cơ quan / add an agency (or update one named by --id).

    A name that is already a known agency's name, short name or alias is refused, naming it:
    to update that agency give its --id. The id of a new agency is made from its name.

    Example: kehoach agency add "Sở Nông nghiệp và Môi trường" --parent "UBND tỉnh"
    --jurisdiction dong-nai --alias "Sở NN&MT"
    """
    entry = AgencyEntry(name, Place(document="kehoach agency add"), id=ident, short=short,
                        name_en=name_en, kind=kind, parent=parent, jurisdiction=jurisdiction,
                        aliases=list(alias or []), valid_from=valid_from,
                        valid_until=valid_until, source=Source("kehoach agency add", None, name))
    with open_log(db) as log:
        try:
            facts, outcomes = add_agencies(log, [entry], dry_run=dry_run)
        except AgencyProblems as err:
            _problems(err, as_json)
            raise typer.Exit(2) from None
        names = {r["id"]: r["name"] for r in list_agencies(log)}
    status = outcomes[0].status if outcomes else ("checked" if dry_run else "duplicate")
    if as_json:
        return emit_json({"status": status, "dry_run": dry_run,
                          "agency": facts[0].payload if facts else None})
    payload = facts[0].payload if facts else {}
    verb = "hợp lệ, chưa ghi / valid, not written" if dry_run else OUTCOME_WORDS[status]
    typer.echo(f"{payload.get('name', name)} — {verb}")
    typer.echo(_details(payload, names))


def _details(p: dict[str, Any], names: dict[str, str]) -> str:
    parts = [f"loại/kind: {_kind(p.get('kind')) or '—'}"]
    if p.get("parent"):
        parts.append(f"cấp trên/parent: {names.get(p['parent'], p['parent'])}")
    if p.get("jurisdiction"):
        parts.append(f"địa bàn/jurisdiction: {p['jurisdiction']}")
    if p.get("short") or p.get("aliases"):
        parts.append("tên khác/other names: " + "; ".join(
            [n for n in (p.get("short"), *(p.get("aliases") or [])) if n]))
    return "  " + ", ".join(parts) + f" [{p.get('id', '')}]"


def _problems(err: AgencyProblems, as_json: bool) -> None:
    if as_json:
        emit_json({"written": 0, "problems": [p.to_dict() for p in err.problems]})
        return
    for problem in err.problems:
        option = OPTION_OF.get(problem.place.field or "", problem.place.field or "")
        typer.echo(f"Lỗi / Error [{problem.code}] {option}: {problem.vi} / {problem.en}",
                   err=True)
    typer.echo(f"{len(err.problems)} lỗi, không ghi gì / {len(err.problems)} problem(s), "
               "nothing written", err=True)


@command
def import_agencies(
    file: Annotated[Path, typer.Argument(help="Tệp CSV hoặc XLSX có bảng 'Cơ quan' / CSV or "
                                        "XLSX file with the agencies sheet")],
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra / check only")] = False,
    as_json: JsonOption = False,
) -> None:
    """Nhập danh sách cơ quan / import agencies: the template's "Cơ quan" sheet, or a CSV of it.

    The same import as `kehoach import` restricted to agencies (other sheets of the template
    must be empty): all or nothing, every bad row named with its column; re-importing the same
    file adds nothing. Columns: docs/import.md.

    Example: kehoach agency import co-quan.csv --db /tmp/kh.db
    """
    run_import(file, db, "agencies", dry_run, as_json)


@command
def list_command(
    kind: Annotated[str | None, typer.Option("--kind", help="Chỉ loại này / only this "
                                             "kind")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Danh sách cơ quan / the agencies, by kind then name (name first, the id last).

    Example: kehoach agency list --kind sở
    """
    wanted = choose_kind(kind) if kind else None
    if kind and wanted is None:
        words = ", ".join(vi for vi, _en, _w in AGENCY_KINDS.values())
        typer.echo(f"Lỗi / Error [not_a_choice] --kind: loại cơ quan '{kind}' không có; chọn: "
                   f"{words} / unknown agency kind '{kind}'", err=True)
        raise typer.Exit(2)
    with open_existing_log(db) as log:
        rows = list_agencies(log, wanted)
    if as_json:
        return emit_json(rows)
    typer.echo(f"{len(rows)} cơ quan / agencies")
    for r in rows:
        line = f"{r['name'] or r['id']} ({r['kind_label']})"
        if r["parent_name"] or r["parent"]:
            line += f" — cấp trên: {r['parent_name'] or r['parent']}"
        if r["jurisdiction"]:
            line += f"; địa bàn: {r['jurisdiction']}"
        if r["valid_until"]:
            line += f"; đến ngày {vn_date(r['valid_until'])}"
            if r["succeeded_by"]:
                line += f" → {r['succeeded_by_name'] or r['succeeded_by']}"
        typer.echo(f"  {line} [{r['id']}]")
