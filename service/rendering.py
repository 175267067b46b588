"""Rendered JSON kept per log position (phản hồi JSON dựng sẵn).

The read routes clients poll most (alert, status and target pages, ``who``, ``trace``) answer
the same bytes until the log or the evaluation date moves. ``cached_json`` renders a route's
content once — through its response model when it has one (validated, then dumped by
pydantic, as FastAPI would), else as FastAPI renders a plain dict (``jsonable_encoder`` then
``JSONResponse``) — and keeps the bytes in ``Runtime.rendered`` under (route, the query
values it uses, log position, as-of date). Every later request gets those bytes as a plain
``Response``: FastAPI neither validates nor serialises it again, and the route's
``response_model`` still documents the schema.

Every such response also says how far in the log the rules' answers go (``judged_headers``):
``X-Kehoach-Judged-Upto`` (the log position judged), ``X-Kehoach-Log-Seq`` (the log's last) and
``X-Kehoach-Judged`` (``current``, or ``behind`` while an external judge has not judged the
latest facts — an empty alert list then means "none up to that position", not "none").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from functools import lru_cache
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from service.figures import with_numbers
from service.runtime import Runtime

JSON = "application/json"
JUDGED_UPTO, LOG_SEQ, JUDGED = "X-Kehoach-Judged-Upto", "X-Kehoach-Log-Seq", "X-Kehoach-Judged"


@lru_cache(maxsize=64)
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def render(content: Any, model: Any | None = None) -> bytes:
    """The bytes FastAPI would send for ``content``: through ``model`` (validated from
    attributes, dumped by alias) when the route has one, else ``jsonable_encoder`` +
    ``JSONResponse``. A content the model refuses raises (a 500, as FastAPI would)."""
    content = with_numbers(jsonable_encoder(content))  # figures' numeric twins (API JSON)
    if model is None:
        return bytes(JSONResponse(content).body)
    adapter = _adapter(model)
    return adapter.dump_json(adapter.validate_python(content, from_attributes=True),
                             by_alias=True)


def cached_json(rt: Runtime, key: Hashable, as_of: date | None, build: Callable[[], Any],
                model: Any | None = None, judged_only: bool = False) -> Response:
    """``build()`` rendered once per (``key``, log position, as-of date) and served as bytes.

    ``key`` names the route and every query value ``build`` reads (filters, limit, offset):
    two requests with one key must be answered alike. ``build`` may raise (an unknown id):
    nothing is cached then and the error answers as usual. ``judged_only``: ``build`` reads
    the rules' evaluation and no fact of the log (``Runtime.rendered``).
    """
    body = rt.rendered(("json", key), as_of, lambda _evaluation: render(build(), model),
                       judged_only)
    return Response(body, media_type=JSON, headers=judged_headers(rt, as_of))


def judged_headers(rt: Runtime, as_of: date | None) -> dict[str, str]:
    """How far the rules' answers as of that date go in the log (see the module's text)."""
    upto, last = rt.position(as_of)
    return {JUDGED_UPTO: str(upto), LOG_SEQ: str(last),
            JUDGED: "current" if upto >= last else "behind"}
