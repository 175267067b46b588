"""The dashboard pages (bảng điều khiển). Each page calls the same data function as its API
route and renders that dict: board, alerts feed, alert, indicator chart, agency portfolio,
trace picture, and the reporter's form (figures as written, errors inline in Vietnamese)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kg.draw import to_svg
from kg.errors import KehoachError
from kg.jurisdictions import jurisdiction_of
from service.csrf import TOKEN_FIELD, page_token, secure_cookie
from service.deps import SESSION_COOKIE, CurrentUser, Filter, OptionalUser, RuntimeDep
from service.errors import ApiError, body, to_api_error
from service.security import issue_token, log_in
from service.views import board, catalog, national
from service.views import trace as trace_views
from service.web import forms, wording
from service.web.i18n import COOKIE, page_lang, translator

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


def _place(runtime: Any) -> dict[str, str]:
    """The jurisdiction the service works in, as pages name it (header and footer): its
    short name, full name and English name; nothing for a database without one."""
    code = getattr(getattr(runtime, "log", None), "jurisdiction", None)
    found = jurisdiction_of(code) if code else None
    if found is None:
        return {"place": code or "", "place_full": code or "", "place_en": code or ""}
    return {"place": found.name, "place_full": found.full_name, "place_en": found.name_en}


def build_web(app: FastAPI) -> APIRouter:
    """The page router; also registers the HTML rendering of the one error shape."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    templates.env.globals["labels"] = board.labels()
    templates.env.globals["national_roles"] = national.national_roles(app.state.runtime)
    wording.install(templates.env)
    router = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, data: dict[str, Any], status: int = 200,
               user: Any = None) -> HTMLResponse:
        lang = page_lang(request)
        runtime = getattr(request.app.state, "runtime", None)
        names = wording.agency_names(catalog.list_kind(runtime, "agency"), lang) \
            if runtime is not None else {}
        context = {"names": names, "data": data, **_place(runtime),
                   "user": user or getattr(request.state, "user", None), "lang": lang,
                   "t": translator(lang), "path": request.url.path,
                   "query": dict(request.query_params), "csrf_field": TOKEN_FIELD,
                   "csrf_token": page_token(request)}
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if request.query_params.get("lang") in ("vi", "en"):
            response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def render_error(request: Request, payload: dict[str, Any]) -> HTMLResponse:
        return render(request, "error.html", payload, payload["status"])

    app.state.render_error = render_error

    @router.get("/login")
    def login_page(request: Request, next: Filter = "/") -> HTMLResponse:
        return render(request, "login.html", {"next": next or "/", "error": None})

    @router.post("/login")
    def login(request: Request, rt: RuntimeDep, username: Annotated[str, Form()],
              password: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
        request.state.audit_target = username
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        client = request.client.host if request.client else None
        try:
            user = log_in(rt.store, rt.settings, username, password, client)
        except ApiError as err:  # locked: the page says until when (429, Retry-After)
            request.state.error = body(err.status, err.code, err.vi, err.en, err.errors)
            page = render(request, "login.html", {"next": target, "error": "locked",
                                                  "message": {"vi": err.vi, "en": err.en}},
                          err.status)
            page.headers.update(err.headers or {})
            return page
        request.state.user = user
        if user is None:
            return render(request, "login.html", {"next": target, "error": True}, 401)
        token, seconds = issue_token(user, rt.settings.secret_key, rt.settings.token_minutes)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=seconds, httponly=True,
                            samesite="lax", secure=secure_cookie(request, rt.settings))
        return response

    @router.post("/logout")
    def logout(request: Request, rt: RuntimeDep) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax",
                               secure=secure_cookie(request, rt.settings))
        return response

    @router.get("/")
    def board_page(request: Request, rt: RuntimeDep, user: CurrentUser, period: Filter = None,
                   agency: Filter = None, group: Filter = None,
                   status: Filter = None) -> HTMLResponse:
        data = board.board(rt, period=period or None, agency=agency or None,
                           group=group or None, status=status or None)
        data["agencies"] = catalog.list_kind(rt, "agency")
        return render(request, "board.html", data)

    @router.get("/alerts")
    def alerts_page(request: Request, rt: RuntimeDep, user: CurrentUser, agency: Filter = None,
                    kind: Filter = None, severity: Filter = None, period: Filter = None,
                    state: Filter = None,
                    page: Annotated[int, Query(ge=1, le=10000)] = 1) -> HTMLResponse:
        rows = board.alerts(rt, agency=agency or None, kind=kind or None,
                            severity=severity or None, period=period or None,
                            state=state or None)
        data = catalog.page(rows, 50, (page - 1) * 50)
        when = rt.as_of()
        data["data"] = [{**a, "days_now": wording.days_overdue_on(a, when)}
                        for a in data["data"]]
        data["as_of"] = when.isoformat()
        data.update(page=page, agencies=catalog.list_kind(rt, "agency"),
                    filters={"agency": agency, "kind": kind, "severity": severity,
                             "period": period, "state": state})
        return render(request, "alerts.html", data)

    @router.get("/tasks")
    def tasks_page(request: Request, rt: RuntimeDep, user: CurrentUser, agency: Filter = None,
                   status: Filter = None, bucket: Filter = None,
                   page: Annotated[int, Query(ge=1, le=10000)] = 1) -> HTMLResponse:
        rows = board.task_rows(rt, agency=agency or None, status=status or None,
                               bucket=bucket or None)
        data = catalog.page(rows, 50, (page - 1) * 50)
        data.update(page=page, as_of=rt.as_of().isoformat(), ageing=board.ageing_labels(),
                    filters={"agency": agency, "status": status, "bucket": bucket})
        return render(request, "tasks.html", data)

    @router.get("/alerts/{alert_id:path}")
    def alert_page(alert_id: str, request: Request, rt: RuntimeDep,
                   user: CurrentUser) -> HTMLResponse:
        return render(request, "alert.html", board.alert(rt, alert_id))

    @router.get("/indicators/{indicator_id}")
    def indicator_page(indicator_id: str, request: Request, rt: RuntimeDep,
                       user: CurrentUser) -> HTMLResponse:
        return render(request, "indicator.html", board.indicator(rt, indicator_id))

    @router.get("/agencies/{agency_id}")
    def agency_page(agency_id: str, request: Request, rt: RuntimeDep,
                    user: CurrentUser) -> HTMLResponse:
        return render(request, "agency.html", board.agency(rt, agency_id))

    @router.get("/trace/{ident:path}")
    def trace_page(ident: str, request: Request, rt: RuntimeDep,
                   user: CurrentUser) -> HTMLResponse:
        data = trace_views.trace(rt, ident)
        svg = to_svg(data, page_lang(request))
        return render(request, "trace.html", {**data, "svg": svg, "ident": ident})

    @router.get("/national")
    def national_page(request: Request, rt: RuntimeDep, user: CurrentUser) -> HTMLResponse:
        national.check_national_reader(rt, user)
        return render(request, "national.html", national.board(rt))

    @router.get("/national/alerts")
    def national_alerts_page(request: Request, rt: RuntimeDep, user: CurrentUser,
                             jurisdiction: Filter = None, agency: Filter = None,
                             kind: Filter = None, severity: Filter = None,
                             page: Annotated[int, Query(ge=1, le=10000)] = 1) -> HTMLResponse:
        national.check_national_reader(rt, user)
        found = national.alerts(rt, jurisdiction=jurisdiction or None, agency=agency or None,
                                kind=kind or None, severity=severity or None)
        rows = found["data"]
        data = {**found, "data": rows[(page - 1) * 50:page * 50], "count": len(rows),
                "page": page, "places": list(national.nation(rt).places().values()),
                "filters": {"jurisdiction": jurisdiction, "agency": agency, "kind": kind,
                            "severity": severity}}
        return render(request, "national_alerts.html", data)

    @router.get("/national/who")
    def national_who_page(request: Request, rt: RuntimeDep, user: CurrentUser,
                          agency: Filter = None) -> HTMLResponse:
        national.check_national_reader(rt, user)
        data = national.who(rt, agency) if agency else {"query": "", "data": []}
        return render(request, "national_who.html", data)

    @router.get("/national/trace/{jurisdiction}/{ident:path}")
    def national_trace_page(jurisdiction: str, ident: str, request: Request, rt: RuntimeDep,
                            user: CurrentUser) -> HTMLResponse:
        national.check_national_reader(rt, user)
        data = national.trace(rt, jurisdiction, ident)
        svg = to_svg(data, page_lang(request))
        return render(request, "national_trace.html", {**data, "svg": svg, "ident": ident})

    @router.get("/report")
    def report_form(request: Request, rt: RuntimeDep, user: CurrentUser) -> HTMLResponse:
        return render(request, "report.html", forms.report_context(rt, user, {}, []))

    @router.post("/report")
    async def report_submit(request: Request, rt: RuntimeDep, user: OptionalUser) -> Response:
        if user is None:
            return RedirectResponse("/login?" + urlencode({"next": "/report"}), 303)
        fields = {k: str(v) for k, v in (await request.form()).items()}
        try:
            result = await forms.submit_observation(rt, user, fields)
        except ApiError as err:
            request.state.audit_target = f"indicator:{fields.get('indicator')}"
            request.state.error = body(err.status, err.code, err.vi, err.en, err.errors)
            data = forms.report_context(rt, user, fields, forms.inline_errors(err),
                                        message={"vi": err.vi, "en": err.en})
            return render(request, "report.html", data, err.status, user)
        except KehoachError as exc:
            err = to_api_error(exc)
            data = forms.report_context(rt, user, fields, forms.inline_errors(err))
            return render(request, "report.html", data, err.status, user)
        request.state.audit_target = ",".join(f["id"] for f in result["facts"])
        data = forms.report_context(rt, user, {}, [], result)
        return render(request, "report.html", data, 201, user)

    return router
