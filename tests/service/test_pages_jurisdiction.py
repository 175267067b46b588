"""Pages name the jurisdiction the service works in, never a hard-coded province (issue 16)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service.conftest import SECRET


@pytest.mark.parametrize(("code", "shown", "not_shown"), [
    ("dong-nai", "Đồng Nai", "Lạng Sơn"), (None, "Lạng Sơn", "Đồng Nai")])
def test_the_header_and_footer_name_the_services_jurisdiction(both: Path, code: str | None,
                                                              shown: str, not_shown: str):
    settings = Settings(db=both, secret_key=SECRET, as_of=date(2024, 12, 31), jurisdiction=code)
    with TestClient(create_app(settings)) as client:
        for lang in ("vi", "en"):
            page = client.get(f"/login?lang={lang}")
            assert page.status_code == 200
            header = page.text.split("</header>")[0]
            assert shown in header or shown.replace("Đồng", "Dong") in header
            assert not_shown not in page.text
