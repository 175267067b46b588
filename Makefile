# One command sets up and runs the main job (make demo); one sets up and runs the tests (make test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Tools with pins that clash with ours get their own virtualenv: openapi-python-client (typer<0.28,
# httpx<0.29) generates, at test time, the Python client of tests/service/test_generated_client.py.
TOOLS := .venv-tools
OPENAPI_CLIENT_VERSION := 0.29.1
TOOLS_STAMP := $(TOOLS)/.installed-openapi-python-client-$(OPENAPI_CLIENT_VERSION)

.PHONY: demo test install ontology lint clean bench-tools

$(STAMP): pyproject.toml
	@echo "Cài đặt môi trường / installing into $(VENV) (khoảng 1 phút / about a minute)…"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "  pip: kehoach và các thư viện / kehoach and its libraries…"
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(TOOLS_STAMP):
	@echo "  pip: openapi-python-client vào / into $(TOOLS) (công cụ kiểm thử / a test tool)…"
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'openapi-python-client==$(OPENAPI_CLIENT_VERSION)'
	touch $(TOOLS_STAMP)

install: $(STAMP) $(TOOLS_STAMP)

# The demo replays the 2023–2024 reports of data/langson up to the end of 2024.
demo: $(STAMP)
	$(BIN)/kehoach demo --as-of 2024-12-31

# The fact log's tests, the service's storage tests (the modules tests/service/conftest.py
# names: writes, idempotency, audit, users and log-in throttling, permissions, ownership,
# If-Match edits, SSE, withdrawals, outcomes against a replay), the judge's and the crash tests
# (SIGKILL of server, judge, workers, import) run on SQLite and on a real PostgreSQL that they
# start themselves from Debian's postgresql package (initdb/pg_ctl in a temporary directory;
# .ci/run installs it); without it those halves are skipped here, and fail in CI.
# Cost (issue 19, machine shared, load 7 → 18–27 so CPU seconds are the figure): the 15
# storage-heavy service files went from 106 to 217 CPU s (+ ≈ 34 s in the PostgreSQL server);
# in that run their PostgreSQL halves took 467 s against 387 s for their SQLite halves, and the
# cases since left on SQLite (SQLITE_ONLY: parsing, cookies, field checks) ≈ 140 s of the 467.
# The crash test: 6 cases, 168 CPU s (583 s wall at load 15–19).
#
# The suite runs in one process per core (pytest-xdist), a test file's tests in one process
# (--dist loadfile: a file's shared fixtures are built once). Serial, it took 753 s on the 2-core
# machine; in two processes 414 s (bench/RESULTS.md, suite time). `pytest -q` alone still works.
test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m pytest -q -n auto --dist loadfile

ontology: $(STAMP)
	$(BIN)/kehoach ontology build

lint: $(STAMP)
	$(BIN)/ruff check ontology kg rules service tests bench

# The benchmarks' extras (run by hand, see bench/README.md): pyoxigraph, pyinstrument and wrk.
bench-tools: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

clean:
	rm -rf $(VENV) $(TOOLS) build *.egg-info .pytest_cache
