"""The rules catalogue (danh mục luật) as JSON: vocabulary, rules, calendar, rules version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.loader import DEFINITIONS_DIR, load_calendar, load_rules
from rules.vocabulary import export_vocabulary


def export_catalogue(directory: Path = DEFINITIONS_DIR) -> dict[str, Any]:
    """Everything a planner, the docs or the board need to know about the rules."""
    book = load_rules(directory)
    return {
        "rules_version": book.digest,
        "files": list(book.files),
        **export_vocabulary(),
        "rules": [r.to_dict() for r in book.rules],
        "scales": [s.to_dict() for s in book.scales],
        "calendar": load_calendar(),
    }
