"""Provenance checks: is a quoted sentence really in its source document at its line?

A source reference is ``{doc, line, quote}``: ``doc`` is the 3-digit prefix of a source file
name, ``line`` the 1-based line where the quote starts. Hard-wrapped text lets a quote run onto
the next non-blank line; whitespace runs compare as one space.

Run ``python -m kg.provenance FILE.yaml [...]`` to list rows whose quote is not found.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_DIR = Path(__file__).resolve().parents[1] / "data" / "langson" / "sources"
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=32)
def source_lines(doc: str, sources_dir: Path = SOURCES_DIR) -> tuple[str, ...]:
    """The lines of the source file whose name starts with ``doc`` (e.g. "002")."""
    matches = sorted(sources_dir.glob(f"{doc}_*.txt"))
    if not matches:
        raise FileNotFoundError(f"no source file for doc {doc!r} in {sources_dir}")
    return tuple(matches[0].read_text(encoding="utf-8").splitlines())


def quote_window(doc: str, line: int, sources_dir: Path = SOURCES_DIR) -> str:
    """Line ``line`` joined with the next non-blank line, whitespace collapsed."""
    lines = source_lines(doc, sources_dir)
    if not 1 <= line <= len(lines):
        return ""
    window = [lines[line - 1]]
    for following in lines[line:]:
        if following.strip():
            window.append(following)
            break
    return _squash(" ".join(window))


def quote_found(doc: str, line: int, quote: str, sources_dir: Path = SOURCES_DIR) -> bool:
    return bool(quote) and _squash(quote) in quote_window(doc, line, sources_dir)


def check_rows(rows: list[dict]) -> list[str]:
    """Messages for rows whose ``source`` quote is not at its line."""
    problems = []
    for row in rows:
        src = row.get("source") or {}
        doc, line, quote = src.get("doc"), src.get("line"), src.get("quote")
        if doc is None or line is None or not quote:
            if "basis" not in src:
                problems.append(f"{row.get('id')}: incomplete source {src!r}")
            continue
        if not quote_found(str(doc), int(line), str(quote)):
            problems.append(f"{row.get('id')}: quote not found at {doc}:{line}: {quote!r}")
    return problems


def main(argv: list[str]) -> int:
    bad = 0
    for name in argv:
        rows = yaml.safe_load(Path(name).read_text(encoding="utf-8")) or []
        for message in check_rows(rows):
            print(f"{name}: {message}")
            bad += 1
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
