"""Demo accounts (tài khoản dùng thử) for a demo database: one per role, random passwords
returned once so ``kehoach serve --demo`` can print them."""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any

from kg.dataset import load_into
from service.security import hash_password
from service.store import ServiceStore


def busiest_agency(log: Any) -> str | None:
    """The agency that leads the most indicators (the demo reporter's agency)."""
    leads = Counter(f.payload.get("lead_agency") for f in log.current("indicator")
                    if f.payload.get("lead_agency"))
    return leads.most_common(1)[0][0] if leads else None


def prepare_demo(log: Any, store: ServiceStore) -> list[dict[str, Any]]:
    """Load the Lạng Sơn dataset into an empty log and create the demo users that do not
    exist yet; returns the accounts created now, each with its password."""
    if not log.counts():
        load_into(log)
    agency = busiest_agency(log)
    wanted = [("demo-admin", "admin", None), ("demo-reporter", "reporter", agency),
              ("demo-auditor", "auditor", None), ("demo-viewer", "viewer", None)]
    created = []
    for username, role, bound in wanted:
        if store.get_user(username) is not None or (role == "reporter" and not bound):
            continue
        password = secrets.token_urlsafe(9)
        store.add_user(username, hash_password(password), role, bound)
        created.append({"username": username, "role": role, "agency": bound,
                        "password": password})
    return created
