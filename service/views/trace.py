"""The trace of any id (truy nguyên) for the API and the pages: plan items through the graph,
alerts and status changes through the live evaluation as of a date (``rules.trace``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.trace import impact as impact_of
from rules.trace import trace as trace_any
from service.runtime import Runtime


def trace(rt: Runtime, ident: str, as_of: date | None = None) -> dict[str, Any]:
    return trace_any(rt.graph(), rt.evaluation(as_of), ident)


def impact(rt: Runtime, document: str, as_of: date | None = None) -> dict[str, Any]:
    return impact_of(rt.graph(), rt.evaluation(as_of), document)
