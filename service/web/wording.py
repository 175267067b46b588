"""What a person reads on the pages (chữ cho người đọc): agencies by their current name, dates
as dd/mm/yyyy, numbers with a decimal comma. The JSON keeps the machine forms; only the
templates (and the CLI's text) use these.

Explanations need nothing here: the rules write them in names, dd/mm/yyyy and labels
(``rules.vocabulary.explain``), and no page or command shows a persisted explanation of an
older version — they read the outcomes of a replay (the service's own session, or the CLI's),
and at the service's start ``rules.store.reconcile`` records that replay's outcomes over any
older ones in the outcome store. The leak tests of tests/service/test_pages_words.py hold this."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import pass_context

from kg.wording import plan_words, vn_date

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def agency_names(agencies: list[dict[str, Any]], lang: str = "vi") -> dict[str, str]:
    """id → the name a reader knows today: a merged agency's successor, "(trước đây …)"."""
    by_id = {a["id"]: a for a in agencies}
    names: dict[str, str] = {}
    for ident, info in by_id.items():
        current, seen = info, {ident}
        while current.get("succeeded_by") in by_id and current["succeeded_by"] not in seen:
            seen.add(current["succeeded_by"])
            current = by_id[current["succeeded_by"]]
        name = str(current.get("name") or ident)
        if current is not info:
            before = "formerly" if lang == "en" else "trước đây"
            name += f" ({before} {info.get('name') or ident})"
        names[ident] = name
    return names


def date_words(value: Any) -> str:
    """2024-10-15 → 15/10/2024; anything else as it is ("" for None)."""
    if value in (None, ""):
        return ""
    text = str(value)
    return ISO_DATE.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text) if len(text) >= 10 else text


def number_words(value: Any, digits: int = 1) -> str:
    """1234.5 → 1.234,5 (thousands dot, decimal comma); "" for None; text kept as written."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.{digits}f}" if number != number.to_integral_value() or digits == 0 \
        else f"{number:,.0f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def days_overdue_on(alert: dict[str, Any], when: date) -> int | None:
    """How overdue an open overdue alert's task is on ``when`` (the page's date): from the
    deadline the alert's details give; None when they give none or the alert is closed."""
    details = alert.get("details") or {}
    if alert.get("kind") != "overdue" or alert.get("superseded_by") or not details.get(
            "deadline"):
        return None
    try:
        deadline = date.fromisoformat(str(details["deadline"]))
    except ValueError:
        return None
    return max((when - deadline).days, 0)


@pass_context
def _agency(context: Any, ident: Any) -> str:
    if not ident:
        return "Chưa xác định" if context.get("lang") != "en" else "Not stated"
    return (context.get("names") or {}).get(str(ident), str(ident))


def install(env: Any) -> None:
    """The filters the templates use: ``vndate``, ``vnnum``, ``agency``."""
    env.filters.update(vndate=date_words, vnnum=number_words, agency=_agency)
    env.globals["vn_date"] = vn_date
    env.globals["plan_words"] = plan_words
