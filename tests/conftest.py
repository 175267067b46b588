"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.dataset import DEFAULT_DATASET, load_into
from kg.log import open_log


@pytest.fixture(scope="session")
def langson_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/langson loaded once per test session into a fact log. Treat it as read-only: a
    test that writes works on a copy."""
    path = tmp_path_factory.mktemp("langson") / "kehoach.db"
    with open_log(path) as log:
        load_into(log, DEFAULT_DATASET)
    return path
