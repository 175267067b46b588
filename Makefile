# One command sets up and runs the main job (make demo); one sets up and runs the tests (make test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install ontology lint clean bench-tools

$(STAMP): pyproject.toml
	@echo "Cài đặt môi trường / installing into $(VENV) (khoảng 1 phút / about a minute)…"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "  pip: kehoach và các thư viện / kehoach and its libraries…"
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo replays the 2023–2024 reports of data/langson up to the end of 2024.
demo: $(STAMP)
	$(BIN)/kehoach demo --as-of 2024-12-31

test: $(STAMP)
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
	rm -rf $(VENV) build *.egg-info .pytest_cache
