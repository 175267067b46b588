"""Commands over the fact log: init, load, stats, observations, jurisdictions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.dataset import DEFAULT_DATASET, DatasetProblems, load_into
from kg.log import default_db_path, jurisdiction_rows, open_existing_log, open_log, redacted
from kg.matching import UnknownName, suggest
from kg.wording import kind_label
from service.cli.options import DbOption, JsonOption, command, emit_json, jurisdiction_code

STATS_KINDS = {
    "agencies": "agency",
    "documents": "document",
    "indicators": "indicator",
    "targets": "target",
    "tasks": "task",
    "observations": "observation",
}


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("load")(load)
    app.command("stats")(stats)
    app.command("observations")(observations)
    app.command("jurisdictions")(jurisdictions)


@command
def init(db: DbOption = None) -> None:
    """Tạo cơ sở dữ liệu rỗng / create an empty fact log.

    Example: kehoach init --db /tmp/kh.db
    """
    path = db or default_db_path()
    with open_log(path) as log:
        facts = sum(log.counts().values())
        typer.echo(f"Sổ dữ kiện / fact log: {redacted(str(path))} ({facts} facts)"
                   + _scope_note(log.jurisdiction))


@command
def load(
    directory: Annotated[Path, typer.Argument(help="Thư mục dữ liệu / dataset directory")] = (
        DEFAULT_DATASET
    ),
    db: DbOption = None,
) -> None:
    """Nạp bộ dữ liệu vào sổ dữ kiện / load a dataset into the fact log (all or nothing).

    Its facts go into the jurisdiction its dataset.yaml names (data/langson: lang-son),
    which becomes the database's default when it has none.

    Example: kehoach load data/langson --db /tmp/kh.db
    """
    with open_log(db) as log:
        try:
            outcomes = load_into(log, directory)
        except DatasetProblems as err:
            for problem in err.problems:
                typer.echo(f"[{problem.code}] {problem.message}", err=True)
            typer.echo(f"{len(err.problems)} lỗi, không ghi gì / problems, nothing written",
                       err=True)
            raise typer.Exit(2) from None
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    where = {o.fact.jurisdiction for o in outcomes}
    typer.echo(f"Đã nạp / loaded {len(outcomes)} facts: " +
               ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
               + (_scope_note(where.pop()) if len(where) == 1 else ""))


def _scope_note(code: str) -> str:
    return f" — địa bàn / jurisdiction: {code}" if code else ""


@command
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Đếm dữ kiện theo loại / count facts by kind.

    Example: kehoach stats --json
    """
    with open_existing_log(db) as log:
        counts = log.counts()
    data = {name: counts.get(kind, 0) for name, kind in STATS_KINDS.items()}
    if as_json:
        emit_json(data)
    else:
        for name, n in data.items():
            typer.echo(f"{name:14} {n}")


@command
def observations(
    doc: Annotated[
        str | None, typer.Option(help="Mã tài liệu nguồn / source doc, e.g. 002")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Liệt kê số liệu báo cáo / list report observations with their source.

    Example: kehoach observations --json --doc 002
    """
    with open_existing_log(db) as log:
        facts = log.current("observation")
        indicator_names = {f.key: f.payload.get("name") for f in log.current("indicator")}
    docs = sorted({f.source.doc for f in facts if f.source and f.source.doc})
    if doc is not None and doc not in docs:
        raise UnknownName("tài liệu nguồn", "source document", doc,
                          suggest(doc, [(d, [d]) for d in docs]) or docs, "--doc")
    rows = [
        {
            "id": f.key,
            "indicator": f.payload.get("indicator") or f.payload.get("indicator_text"),
            "period": f.payload.get("period"),
            "value": f.payload.get("value"),
            "unit": f.payload.get("unit"),
            "pct_of_plan": f.payload.get("pct_of_plan"),
            "plan_basis": f.payload.get("plan_basis"),
            "kind": f.payload.get("kind"),
            "as_of": f.as_of.isoformat() if f.as_of else None,
            "source": f.source.to_dict() if f.source else None,
        }
        for f in facts
        if doc is None or (f.source and f.source.doc == doc)
    ]
    if as_json:
        emit_json(rows)
    else:
        for r in rows:  # the indicator by its name, ids last in brackets as keys
            name = indicator_names.get(r["indicator"] or "") or r["indicator"]
            key = f" [{r['indicator']}]" if name != r["indicator"] else ""
            pct = f"{r['pct_of_plan']}%" if r["pct_of_plan"] else ""
            typer.echo(f"{r['period']:10} {r['value'] or '':>12} {pct:>8}  "
                       f"{name}{key} [{r['id']}]")


@command
def jurisdictions(
    db: DbOption = None,
    as_json: JsonOption = False,
    set_default: Annotated[str | None, typer.Option(
        "--set-default", help="Đặt địa bàn mặc định của cơ sở dữ liệu (một lần; dữ kiện cũ chưa "
        "gắn địa bàn thuộc về nó) / set the database's default jurisdiction (once; facts "
        "written before jurisdictions become its)")] = None,
) -> None:
    """Các địa bàn trong cơ sở dữ liệu và số dữ kiện / the jurisdictions the database holds,
    with their fact counts (the national view's starting point).

    Example: kehoach jurisdictions --json
    """
    code = jurisdiction_code(set_default, "--set-default")
    with open_existing_log(db) as log:
        if code:
            log.set_default_jurisdiction(code)
        data = jurisdiction_rows(log)
    if as_json:
        emit_json(data)
        return
    for row in data["data"]:
        marks = [m for m, on in (("mặc định / default", row["code"] == data["default"]),
                                 ("đang dùng / current", row["code"] == data["current"])) if on]
        code = row["code"] or "(chưa gắn địa bàn / unscoped)"
        kinds = ", ".join(f"{kind_label(kind)} {n}" for kind, n in row["facts"].items()) or "-"
        typer.echo(f"{code:24} {row['name'] or '':28} {row['total']:>7}  {kinds}"
                   + (f"  [{'; '.join(marks)}]" if marks else ""))
