"""Property-based run of the OpenAPI schema with schemathesis, in-process against the ASGI app
(bounded examples per operation): no input produces a 5xx, and every JSON error has the one
shape. (schemathesis' pytest plugin does not load under pytest 9 here, so the operations are
driven with hypothesis directly.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service.app import create_app
from tests.service.conftest import bearer, make_settings

pytestmark = pytest.mark.slow
EXAMPLES = 5


def test_no_input_gives_a_server_error(db):
    app = create_app(make_settings(db))
    # The live stream never ends by design; tests/service/test_sse.py covers it.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(
        path="/api/v1/alerts/stream")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            try:
                response = case.call(headers={**bearer("admin"), **(case.headers or {})})
            except Exception as err:  # noqa: BLE001 - the in-process client re-raises a 500
                failures.append(f"{case.method} {case.formatted_path} {case.query} "
                                f"{case.body!r:.200} → {type(err).__name__}: {err}")
                return
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} "
                                f"{case.body!r:.200} → {response.status_code}")
            elif response.status_code >= 400 and "json" in response.headers.get(
                    "content-type", ""):
                body = response.json()
                assert body["ok"] is False and body["error_vi"] and body["error_en"]

        run()
    app.state.runtime.close()
    assert not failures, "\n".join(failures)
