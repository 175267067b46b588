"""Numbers for machines (số cho máy đọc): every figure in API JSON keeps the text as written
and carries the parsed number beside it, so a client never parses Vietnamese notation.

A record holding figures is a dict with an ``indicator`` or an ``observation`` (an
observation, a target, a board tile and its latest figure, an indicator's series). Its figure
fields get twins, parsed with ``kg.notation``:

- ``value`` "4.595,5" → ``value_number`` 4595.5 (``parse_quantity``: scale words applied);
- ``pct_of_plan``, ``yoy_change_pct``, ``same_period_last_year_pct`` "102,3" →
  ``…_number`` 102.3 (``parse_number``);
- ``baseline`` → ``baseline_number`` (``parse_quantity``);
- ``expression`` "7 - 7,5" / "≥5" / "10.000" → ``expression_number`` (the representative
  value the rules use), ``expression_low`` and ``expression_high`` (the bounds; ``null``
  where open: "≥5" has ``expression_high`` null).

A text that does not parse keeps ``null`` twins (the text is still there). Other dicts
(sources, SPARQL bindings with no ``observation`` / ``indicator`` variable) are left alone; a
binding row that has one gets twins of its text figures only (``kg.queries`` gives the graph's
``xsd:decimal`` values as JSON numbers, never as text to re-read). Every ``/api/v1`` JSON
answer goes through ``with_numbers`` (``FiguresJSONResponse``, and
``service.rendering.render`` for cached ones); every CLI ``--json`` output through
``for_json`` (the same twins, dates and times in ISO 8601).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kg import notation
from kg.errors import KehoachError


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _quantity(text: str) -> dict[str, float | None]:
    return {"number": _number(notation.parse_quantity(text).value)}


def _plain(text: str) -> dict[str, float | None]:
    return {"number": _number(notation.parse_number(text))}


def _expression(text: str) -> dict[str, float | None]:
    parsed = notation.parse_expression(text)
    return {"number": _number(parsed.representative), "low": _number(parsed.low),
            "high": _number(parsed.high)}


FIGURES: dict[str, Callable[[str], dict[str, float | None]]] = {
    "value": _quantity,
    "baseline": _quantity,
    "pct_of_plan": _plain,
    "yoy_change_pct": _plain,
    "same_period_last_year_pct": _plain,
    "expression": _expression,
}
"""Figure field → its parser; the twins are ``<field>_<part>`` for each part it returns."""

_PARTS = {"expression": ("number", "low", "high")}


def twins(field: str, text: Any) -> dict[str, float | None]:
    """``{<field>_number: …}`` (and ``_low``/``_high`` for an expression) for one figure."""
    parts = _PARTS.get(field, ("number",))
    parsed: dict[str, float | None] = {}
    if isinstance(text, str) and text.strip():
        try:
            parsed = FIGURES[field](text)
        except (KehoachError, ValueError, ArithmeticError):
            parsed = {}
    return {f"{field}_{part}": parsed.get(part) for part in parts}


def with_numbers(content: Any) -> Any:
    """A copy of ``content`` with the numeric twins beside every figure of every record
    inside it (a dict with an ``indicator`` or an ``observation``)."""
    if isinstance(content, dict):
        out = {key: with_numbers(item) for key, item in content.items()}
        if "indicator" in content or "observation" in content:
            for field in FIGURES:
                if field in content and (content[field] is None
                                         or isinstance(content[field], str)):
                    out.update(twins(field, content[field]))
        return out
    if isinstance(content, list | tuple):
        return [with_numbers(item) for item in content]
    return content


def for_json(content: Any) -> Any:
    """What a CLI ``--json`` output prints: ``with_numbers`` of ``content``, with every date
    and time as ISO 8601 text ("2024-09-30", "2024-09-30T08:00:00+00:00")."""
    return with_numbers(_iso(content))


def _iso(content: Any) -> Any:
    if isinstance(content, dt.date):  # datetime is a date too
        return content.isoformat()
    if isinstance(content, dict):
        return {key: _iso(item) for key, item in content.items()}
    if isinstance(content, list | tuple):
        return [_iso(item) for item in content]
    return content


def __getattr__(name: str) -> Any:
    """``FiguresJSONResponse``, made on first use: importing FastAPI costs the CLI, which
    only needs ``for_json``, more than half a second (PEP 562 module attribute)."""
    if name != "FiguresJSONResponse":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from fastapi.responses import JSONResponse

    class FiguresJSONResponse(JSONResponse):
        """The API's JSON response: the content with its figures' numeric twins."""

        def render(self, content: Any) -> bytes:
            return super().render(with_numbers(content))

    FiguresJSONResponse.__qualname__ = name
    globals()[name] = FiguresJSONResponse
    return FiguresJSONResponse
