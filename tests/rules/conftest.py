"""Fixtures of the rules tests: a fresh fact log in a temp file, and case-file facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.log import open_log


@pytest.fixture
def fresh_log(tmp_path: Path) -> Iterator[Any]:
    log = open_log(tmp_path / "kehoach.db")
    yield log
    log.close()
