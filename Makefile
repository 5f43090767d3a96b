# straitsim: the two commands a new machine needs (Python 3.11+ is the only prerequisite).
#   make demo   set up .venv, run every bundled scenario, write tables and plots to runs/demo/
#   make test   set up .venv, run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
DEMO_RUNS ?= 10000
SCENARIOS := full_invasion outer_islands blockade gray_zone

.PHONY: demo test bench bench-batch clean setup

setup: $(STAMP)

# The package and its runtime dependencies (enough for the demo).
$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "straitsim needs Python 3.11 or newer (set PY=python3.11)")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(STAMP)

# Plus the test tools.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(TEST_STAMP)

demo: $(STAMP)
	@for s in $(SCENARIOS); do \
	  echo "== $$s"; \
	  $(BIN)/straitsim run scenarios/$$s.yaml --runs $(DEMO_RUNS) --out runs/demo/$$s --force || exit $$?; \
	  $(BIN)/straitsim report runs/demo/$$s || exit $$?; \
	  echo; \
	done
	@echo "Tables, plots and reports are in runs/demo/<scenario>/ (outcomes.parquet, manifest.json, *.png, report.html)."

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_replication.py

# Throughput per executor (serial, 2 local processes, Dask LocalCluster) and the peak memory of
# a million-replication run; takes several minutes.
bench-batch: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dask]'
	$(BIN)/python benchmarks/bench_batch.py

# Rewrite the generated tables in docs/scenario-reference.md from the code (sim/docs.py).
.PHONY: docs
docs: $(STAMP)
	$(BIN)/python -m sim.docs

clean:
	rm -rf runs .pytest_cache .hypothesis
