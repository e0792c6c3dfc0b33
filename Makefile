# dachu — the two commands that work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo live test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dachu demo --out out/demo

# The war room replaying a simulated Double 11 of the double11 example (stock, warehouse, service) at 120×
# (an hour in 30 s); Ctrl-C stops both. Starts fresh each time: out/live is rewritten.
LIVE_PORT ?= 8000
LIVE_SPEED ?= 120
LIVE_ORDERS ?= 20000
live: $(STAMP)
	rm -rf out/live && mkdir -p out/live
	$(BIN)/dachu init out/live --example double11 --lang en >/dev/null
	$(BIN)/dachu simulate out/live/campaign.yaml --orders $(LIVE_ORDERS) --formats parquet,ad_spend --out out/live/sim --format json >/dev/null
	@DACHU_INGEST_TOKEN=live-ingest DACHU_DASHBOARD_TOKEN=live $(BIN)/dachu serve out/live/campaign.yaml --port $(LIVE_PORT) & \
	  server=$$!; trap 'kill $$server 2>/dev/null' EXIT INT TERM; sleep 3; \
	  echo; echo "War room / 作战室: http://127.0.0.1:$(LIVE_PORT)/?token=live&lang=zh  (English: &lang=en)"; echo; \
	  $(BIN)/dachu replay out/live/sim --url http://127.0.0.1:$(LIVE_PORT) --token live-ingest --speed $(LIVE_SPEED); \
	  wait $$server

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
