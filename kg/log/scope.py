"""Which jurisdiction (địa bàn, cơ quan: tỉnh, bộ, cả nước) a fact log handle is confined to.

A handle's scope is resolved, first match wins: the code passed to ``open_log`` → the code the
running command chose (``use_jurisdiction``: the CLI's global ``--jurisdiction``) →
``$KEHOACH_JURISDICTION`` → the database's default jurisdiction → ``''`` (a database that has
none yet: the legacy, unscoped log).

Codes are kebab-case ASCII (``lang-son``, ``bo-tai-chinh``, ``viet-nam``; the reference list is
``data/jurisdictions.yaml``); the log only checks their form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kg.errors import LogError

ENV_JURISDICTION = "KEHOACH_JURISDICTION"
LEGACY = ""  # rows written before the log knew jurisdictions

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_chosen: str | None = None  # the running command's choice (CLI global option)


def check_code(code: str, field: str = "jurisdiction") -> str:
    """``code`` if it is a well-formed jurisdiction code, else ``LogError``
    (``bad_jurisdiction``)."""
    if not isinstance(code, str) or len(code) > 64 or not _CODE.fullmatch(code):
        raise LogError(
            f"Mã địa bàn '{code}' không hợp lệ ({field}): chỉ gồm chữ thường không dấu, số và "
            "dấu gạch ngang, ví dụ 'lang-son', 'bo-tai-chinh'",
            f"Invalid jurisdiction code '{code}' ({field}): lowercase ASCII letters, digits and "
            "hyphens only, e.g. 'lang-son', 'bo-tai-chinh'",
            code="bad_jurisdiction", text=str(code)[:100],
        )
    return code


def known_code(text: str, field: str = "--jurisdiction") -> str:
    """The code of the jurisdiction ``text`` names in the reference list
    (``data/jurisdictions.yaml``): its code ("lang-son") or a name as documents write it
    ("Lạng Sơn", "tỉnh Đồng Nai", "Bộ Tài chính"). Anything else — a typo, a code of no
    jurisdiction — is ``UnknownName`` with the closest codes, so a command never starts
    a jurisdiction by mistake."""
    from kg.jurisdictions import default_jurisdictions
    from kg.matching import UnknownName, suggest

    text = text.strip()
    listed = default_jurisdictions()
    if _CODE.fullmatch(text) and text in listed:
        return text
    found = listed.resolve(text)
    if found is not None:
        return found.code
    items = [(j.code, [j.code, j.full_name, *j.aliases]) for j in listed.listing()]
    raise UnknownName("địa bàn (data/jurisdictions.yaml)", "jurisdiction (data/"
                      "jurisdictions.yaml)", text, suggest(text, items), field)


def use_jurisdiction(code: str | None) -> str | None:
    """Set (or clear, with None) the jurisdiction every log opened from now on without one is
    confined to — the CLI's global ``--jurisdiction``; the previous choice. Checked here, so
    a bad code fails before any command runs."""
    global _chosen
    before, _chosen = _chosen, check_code(code, "--jurisdiction") if code else None
    return before


def chosen_jurisdiction() -> str | None:
    """The scope asked for without a database: ``use_jurisdiction``, else the environment."""
    if _chosen:
        return _chosen
    env = os.environ.get(ENV_JURISDICTION, "").strip()
    return check_code(env, ENV_JURISDICTION) if env else None


@contextmanager
def jurisdiction_chosen(code: str | None) -> Iterator[None]:
    """``use_jurisdiction(code)`` for the duration of a block, then back to what it was."""
    global _chosen
    before = use_jurisdiction(code)
    try:
        yield
    finally:
        _chosen = before


def jurisdiction_rows(log: Any) -> dict[str, Any]:
    """What ``kehoach jurisdictions`` and ``GET /api/v1/jurisdictions`` show: the handle's
    jurisdiction (``current``), the database's ``default``, and one row per jurisdiction the
    database holds — ``code``, its ``name``, ``name_en`` and ``kind`` from the reference list
    (None for a code the list lacks), ``facts`` (distinct keys per kind), ``total`` — by
    code. The scope in use is listed even while it holds nothing yet; code ``''`` is the
    unscoped log (facts written before jurisdictions, in a database without a default)."""
    from kg.jurisdictions import jurisdiction_of

    held = log.jurisdictions()
    current = log.jurisdiction
    if current:
        held.setdefault(current, {})
    rows = []
    for code, kinds in sorted(held.items()):
        known = jurisdiction_of(code) if code else None
        rows.append({"code": code, "name": known.full_name if known else None,
                     "name_en": known.name_en if known else None,
                     "kind": known.kind if known else None,
                     "facts": dict(sorted(kinds.items())), "total": sum(kinds.values())})
    return {"current": current, "default": log.default_jurisdiction(), "data": rows}
