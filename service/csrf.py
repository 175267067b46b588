"""Cross-site request forgery defence (chống giả mạo yêu cầu) and the session cookie's flags.

A browser sends the session cookie with any request to this host, whoever's page made it, so
a state change (POST, PUT, PATCH, DELETE) that is not authenticated by a bearer header must:

1. come from this site: ``Origin`` — or ``Referer`` when ``Origin`` is absent — names the
   request's own host (``Origin: null`` or a foreign host is refused; a request with neither
   header is not a cross-site browser request and goes on to the token check);
2. when it carries the session cookie (and so is authenticated by it), also carry the
   synchronizer token: the form field ``csrf_token`` or the header ``X-CSRF-Token``, equal to
   an HMAC of the session cookie under the service's secret. Pages embed it; another site
   cannot read the cookie or the pages, so it cannot compute or copy it. The log-in routes
   authenticate by password, not by the cookie: they get the origin check only.

Requests with ``Authorization: Bearer …`` are left alone: a browser never adds that header
to a cross-site request by itself, and such requests do not use the cookie. Refusals are
403 ``csrf_failed`` in the one error shape (a page for the web), and the audit records them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from fastapi import Request

from service.deps import SESSION_COOKIE
from service.errors import ApiError, field_error
from service.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PASSWORD_LOG_INS = frozenset({"/login", "/api/v1/auth/token"})
TOKEN_FIELD = "csrf_token"
TOKEN_HEADER = "X-CSRF-Token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
LOCAL_HOSTS = frozenset({"localhost"})


def csrf_token(secret: str, session: str) -> str:
    """The token of one session (stateless: every worker with the same secret agrees)."""
    return hmac.new(secret.encode(), b"csrf\0" + session.encode(), hashlib.sha256).hexdigest()


def page_token(request: Request) -> str:
    """The token a page embeds for its viewer's session ('' without a session)."""
    session = request.cookies.get(SESSION_COOKIE)
    settings: Settings = request.app.state.settings
    return csrf_token(settings.secret_key, session) if session else ""


def _host(netloc: str) -> str:
    """``host[:port]`` lower-cased, without a default port (browsers omit it in ``Origin``)."""
    netloc = netloc.lower()
    for default in (":80", ":443"):
        netloc = netloc.removesuffix(default)
    return netloc


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    return _host(parts.netloc) if parts.scheme in ("http", "https") else ""


def same_origin(request: Request) -> bool:
    """Whether ``Origin`` (else ``Referer``) names this request's host; True when neither is
    sent (not a browser's cross-site request)."""
    claimed = request.headers.get("origin")
    if claimed is None:
        claimed = request.headers.get("referer")
    if claimed is None:
        return True
    host = _host(request.headers.get("host") or "")
    return bool(host) and _netloc(claimed) == host


def _bearer(request: Request) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(credentials.strip())


async def _given_token(request: Request) -> str:
    header = request.headers.get(TOKEN_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(TOKEN_FIELD)  # cached: the route reads it again
        return value if isinstance(value, str) else ""
    return ""


def csrf_failed(field: str, vi: str, en: str) -> ApiError:
    return ApiError(403, "csrf_failed", f"yêu cầu bị từ chối (chống giả mạo yêu cầu): {vi}",
                    f"request refused (cross-site request forgery check): {en}",
                    [field_error(field, "csrf_failed", vi, en)])


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse a forged cookie-authenticated state change (403)."""
    if request.method in SAFE_METHODS or _bearer(request):
        return
    if not same_origin(request):
        raise csrf_failed("Origin", "yêu cầu đến từ một trang web khác",
                          "the request comes from another site")
    session = request.cookies.get(SESSION_COOKIE)
    if not session or request.url.path in PASSWORD_LOG_INS:
        return
    settings: Settings = request.app.state.settings
    given = await _given_token(request)
    expected = csrf_token(settings.secret_key, session)
    if not given or not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode()):
        raise csrf_failed(TOKEN_FIELD, f"thiếu hoặc sai mã chống giả mạo ({TOKEN_FIELD} / "
                          f"{TOKEN_HEADER}); hãy tải lại trang",
                          f"missing or wrong anti-forgery token ({TOKEN_FIELD} / "
                          f"{TOKEN_HEADER}); reload the page")


def secure_cookie(request: Request, settings: Settings) -> bool:
    """Whether the session cookie is ``Secure``: as ``KEHOACH_COOKIE_SECURE`` says, else yes
    unless the request's host is localhost or a loopback address (plain-HTTP development)."""
    if settings.cookie_secure is not None:
        return settings.cookie_secure
    host = (request.url.hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True
