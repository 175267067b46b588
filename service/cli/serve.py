"""Commands of the service: ``serve`` (API + web pages with uvicorn, one or several worker
processes), ``judge`` (the one judging process of workers that do not judge: ``service.judge``)
and ``user add | list | disable`` (accounts of the API and the dashboard)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kg.log import default_db_path
from kg.log.db import is_url, redacted
from service.cli.judge import judge
from service.cli.options import (
    AsOfOption,
    DbOption,
    JsonOption,
    JurisdictionOption,
    command,
    emit_json,
    jurisdiction_code,
    parse_as_of,
)
from service.security import MIN_PASSWORD, hash_password
from service.settings import Settings
from service.store import ROLES, ServiceStore, StoreError

user_app = typer.Typer(help="Tài khoản người dùng / user accounts", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("judge")(judge)
    app.add_typer(user_app, name="user")
    user_app.command("add")(user_add)
    user_app.command("list")(user_list)
    user_app.command("disable")(user_disable)


JUDGES = ("inline", "external")


@command
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option(help="Địa chỉ / host")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Cổng / port")] = 8000,
          as_of: AsOfOption = None,
          demo: Annotated[bool, typer.Option(help="Nạp dữ liệu Lạng Sơn và tạo tài khoản "
                                             "dùng thử / load demo data + demo users")] = False,
          workers: Annotated[int, typer.Option(min=1, help="Số tiến trình phục vụ (uvicorn) "
                                               "/ worker processes (uvicorn's)")] = 1,
          judge_mode: Annotated[str, typer.Option(
              "--judge", envvar="KEHOACH_JUDGE", metavar="inline|external",
              help="inline: mỗi tiến trình tự xét luật khi ghi; external: một tiến trình "
              "'kehoach judge' xét, các tiến trình phục vụ chỉ ghi và chuyển thông báo / "
              "inline: each worker judges its writes; external: one 'kehoach judge' process "
              "judges, workers append and forward its announcements")] = "inline",
          jurisdiction: JurisdictionOption = None,
          ) -> None:
    """Chạy API và bảng điều khiển / run the API and the web dashboard.

    Everything it serves is one jurisdiction's (--jurisdiction, else the global option,
    $KEHOACH_JURISDICTION, the database's default). With --workers N, uvicorn runs N worker
    processes on the port (put a reverse proxy in front to spread keep-alive connections:
    docs/deploy.md); with --judge external they leave the rules to one `kehoach judge`.

    Example: kehoach serve --db /tmp/kh.db --demo --as-of 2024-12-31 --port 8000 --workers 2
    """
    import uvicorn

    if judge_mode not in JUDGES:
        raise typer.BadParameter(f"cần một trong / expected one of: {', '.join(JUDGES)}",
                                 param_hint="--judge")
    settings = Settings(db=db or default_db_path(), as_of=parse_as_of(as_of), freeze_gc=True,
                        **_scope(jurisdiction))
    if demo:
        _print_demo(settings)
    typer.echo(f"http://{host}:{port}/  ·  API: http://{host}:{port}/docs  ·  "
               f"db: {_shown(settings.db)}"
               f"  ·  workers: {workers}  ·  judge: {judge_mode}"
               + (f"  ·  jurisdiction: {settings.jurisdiction}" if settings.jurisdiction else ""))
    # Every worker builds its app from the environment: same database, date and signing key.
    os.environ["KEHOACH_DB"] = str(settings.db)
    os.environ["KEHOACH_SECRET_KEY"] = settings.secret_key
    os.environ["KEHOACH_FREEZE_GC"] = "1"
    os.environ["KEHOACH_JUDGE"] = judge_mode
    if settings.as_of:
        os.environ["KEHOACH_AS_OF"] = settings.as_of.isoformat()
    if settings.jurisdiction:
        os.environ["KEHOACH_JURISDICTION"] = settings.jurisdiction
    uvicorn.run("service.serving:app_from_environment", factory=True, workers=workers,
                host=host, port=port, log_level="info")


def _shown(db: Path | str) -> str:
    """The database as the start line shows it: a PostgreSQL URL without its password."""
    return redacted(db) if is_url(db) else str(db)


def _scope(jurisdiction: str | None) -> dict[str, str]:
    """``serve --jurisdiction`` (checked) as a Settings argument; none given: the settings'
    own default (the global option, the environment)."""
    code = jurisdiction_code(jurisdiction)
    return {"jurisdiction": code} if code else {}


def _print_demo(settings: Settings) -> None:
    from kg.log import open_log
    from service.demo import prepare_demo

    store = ServiceStore(settings.db, jurisdiction=settings.jurisdiction)
    with open_log(settings.db, jurisdiction=settings.jurisdiction) as log:
        accounts = prepare_demo(log, store)
    store.close()
    for account in accounts:
        typer.echo(f"Tài khoản dùng thử / demo account: {account['username']} "
                   f"({account['role']}{', ' + account['agency'] if account['agency'] else ''})"
                   f" mật khẩu / password: {account['password']}")


def _store(db: DbOption) -> ServiceStore:
    return ServiceStore(db or default_db_path())


def _check_agency(db: DbOption, agency: str) -> None:
    """A reporter's agency must be one the fact log knows (else they could never report)."""
    from kg.log import open_log

    with open_log(db or default_db_path()) as log:
        known = log.get("agency", agency) is not None
    if not known:
        raise StoreError(f"không có cơ quan '{agency}' trong sổ dữ kiện (xem GET "
                         "/api/v1/agencies hoặc nạp dữ liệu trước: kehoach load)",
                         f"no agency '{agency}' in the fact log (see GET /api/v1/agencies, "
                         "or load the data first: kehoach load)",
                         code="unknown_agency", text=agency)


@command
def user_add(username: Annotated[str, typer.Argument(help="Tên đăng nhập / username")],
             role: Annotated[str, typer.Option(help=f"Vai trò / role: {', '.join(ROLES)}")],
             agency: Annotated[str | None, typer.Option(help="Cơ quan (bắt buộc với reporter)"
                                                       " / agency id (reporters)")] = None,
             password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                                   confirmation_prompt=True,
                                                   envvar="KEHOACH_NEW_PASSWORD")] = "",
             db: DbOption = None) -> None:
    """Thêm người dùng / add a user (password asked, or $KEHOACH_NEW_PASSWORD).

    Example: kehoach user add lan --role reporter --agency so-y-te
    """
    if len(password) < MIN_PASSWORD:
        typer.echo(f"Lỗi / Error: mật khẩu tối thiểu {MIN_PASSWORD} ký tự / password needs "
                   f"at least {MIN_PASSWORD} characters", err=True)
        raise typer.Exit(2)
    if agency is not None:
        _check_agency(db, agency)
    store = _store(db)
    user = store.add_user(username, hash_password(password), role, agency)
    typer.echo(f"Đã thêm / added {user.username} ({user.role}"
               f"{', ' + user.agency if user.agency else ''})")


@command
def user_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Liệt kê người dùng / list users.

    Example: kehoach user list --json
    """
    users = [u.public() for u in _store(db).users()]
    if as_json:
        emit_json(users)
        return
    for u in users:
        state = "khóa/disabled" if u["disabled"] else "hoạt động/active"
        typer.echo(f"{u['username']:20} {u['role']:9} {u['agency'] or '-':40} {state}")


@command
def user_disable(username: Annotated[str, typer.Argument(help="Tên đăng nhập / username")],
                 db: DbOption = None) -> None:
    """Khóa người dùng (không xóa) / disable a user (never deleted).

    Example: kehoach user disable lan
    """
    user = _store(db).set_disabled(username, True)
    typer.echo(f"Đã khóa / disabled {user.username}")
