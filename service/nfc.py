"""Query strings and paths in Unicode NFC (một dạng Unicode cho tham số truy vấn).

Request bodies are normalised by ``service.schemas.Body``; this ASGI step does the same for
what arrives in the URL, before routing and before any route reads a filter: ``?q=Sở Y tế``
typed as NFD (decomposed marks) finds the agency stored as NFC. It rewrites the scope only
when a parameter or the path actually changes.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from kg.notation import nfc


def nfc_query(query: bytes) -> bytes:
    """``query`` with every name and value in NFC (the same bytes when nothing changes)."""
    if not query or (b"%" not in query and query.isascii()):
        return query
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    normal = [(nfc(k), nfc(v)) for k, v in pairs]
    if normal == pairs:
        return query
    return urlencode(normal, quote_via=quote).encode("ascii")


class NfcQuery:
    """Pure ASGI middleware: NFC query string and path of every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query, path = scope.get("query_string", b""), scope.get("path", "")
            new_query, new_path = nfc_query(query), nfc(path)
            if new_query is not query or new_path is not path:
                scope = {**scope, "query_string": new_query, "path": new_path}
        await self.app(scope, receive, send)
