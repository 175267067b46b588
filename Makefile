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

# The fact log's tests run on SQLite and on a real PostgreSQL that they start themselves from
# Debian's postgresql package (initdb/pg_ctl in a temporary directory; .ci/run installs it);
# without it those tests are skipped here, and fail in CI.
test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m pytest -q

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
