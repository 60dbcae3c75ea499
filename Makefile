# Two commands matter: `make run` and `make test`. Both set everything up from nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10. pyenv's shim for python3.10 fails when 3.10 is not the global version, so try
# the real interpreters too.
PY310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv build run test test-beside-training test-slow lint check evaluate browser clean bench bench-screen soak screenshots

help:
	@echo "make run    set up from nothing and start the assistant (web chat, staff app, outbox; SQLite, no credentials)"
	@echo "make test   set up from nothing and run every test but the slow ones;  make test-slow  the slow ones"
	@echo "make check  the content editor's gate;  make evaluate  accuracy on tests/data/eval.jsonl"
	@echo "make bench  latency, throughput, memory vs Rasa's default pipeline;  make soak  10 minutes of mixed traffic"

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -n "$(PY310)" || { echo "Python 3.10 not found (Rasa 3.6 needs it): install python3.10"; exit 1; }
	@echo "== creating $(VENV) with $(PY310) and installing the locked packages (about 2 minutes)"
	$(PY310) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --no-deps -r requirements.lock
	$(BIN)/pip install --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	@touch $@

venv: $(BIN)/.installed

build: venv
	$(BIN)/parentbot build

run: build
	$(BIN)/parentbot run

check: venv
	$(BIN)/parentbot check

# Both sets; their figures go to docs/figures/evaluation.json and from there into the README.
evaluate: build
	$(BIN)/parentbot evaluate tests/data/eval.jsonl --figures eval
	$(BIN)/parentbot evaluate tests/data/redflags.jsonl --figures redflags
	$(BIN)/python -m bench.figures

lint: venv
	$(BIN)/ruff check bot channels staff tests bench
	$(BIN)/ruff format --check bot channels staff tests bench
	$(BIN)/mypy

# Debian's Chromium for the health visitor inbox's browser test (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "== installing Debian's chromium"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| { echo "could not install chromium: the browser test needs /usr/bin/chromium"; exit 1; }; }

# The answer model trains in the background (about 5 minutes of TensorFlow, which leaves most of a core idle)
# while the type check, the editors' gate, `rasa data validate` and the tests that need no model run beside it;
# then the tests that need the model (marked `model` by tests/conftest.py). Its log: var/train.log.
test: venv browser
	$(BIN)/ruff check bot channels staff tests bench
	$(BIN)/ruff format --check bot channels staff tests bench
	$(BIN)/parentbot build --no-train
	@mkdir -p var
	@echo "== training the answer model in the background (log: var/train.log) while the checks and model-free tests run"
	@$(BIN)/parentbot build --train-only > var/train.log 2>&1 & train=$$!; \
	if ! { $(MAKE) --no-print-directory test-beside-training; }; then \
		kill $$train 2>/dev/null; wait $$train; exit 1; fi; \
	echo "== waiting for the answer model"; \
	if ! wait $$train; then tail -40 var/train.log; echo "training failed"; exit 1; fi; \
	grep "parentbot build" var/train.log || true
	@# Two pytest-xdist workers: the stack tests mostly wait on their servers. Each module stays on one worker and
	@# the shared production stack's modules on one (tests/conftest.py), so no stack starts twice but the session's.
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup --no-loadscope-reorder --durations=15 -m "not slow and model"

# The part of `make test` that needs no trained model (run while it trains).
test-beside-training:
	@# Strict type check of bot/, channels/ and staff/ (settings and the reasons for two relaxations: pyproject.toml).
	$(BIN)/mypy
	@# Review dates as of the same fixed day as tests/conftest.py, so the suite does not start failing when answers
	@# reach their review dates with no change; `make check` (the editors' gate) reads today's date.
	CONTENT_DATE=2026-12-01 $(BIN)/parentbot check
	@# The compiled domain (.build/domain) with the hand-written data: responses, rules and intents agree.
	$(BIN)/rasa data validate --domain .build/domain --data bot/data --config config.yml --quiet
	$(BIN)/pytest -p no:cacheprovider --durations=15 -m "not slow and not model"

# The long property tests (10,000 scrubbing examples) and anything else marked slow.
test-slow: build
	$(BIN)/pytest -p no:cacheprovider -m slow

clean:
	rm -rf $(VENV) .build models bot/spacy_en bot/data/generated var

# Benchmark (not a test): the whole stack and Rasa's default pipeline under the same load; last line is JSON.
# The baseline model is trained once (about 10 minutes on 2 cores) and cached under .build/baseline/.
bench: build
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.screen
	$(BIN)/python -m bench.figures

# The risk screen alone, in process (seconds, no servers): docs/figures/screen.json and the README table.
bench-screen: build
	$(BIN)/python -m bench.screen
	$(BIN)/python -m bench.figures

# Ten minutes of mixed traffic (SOAK_SECONDS=120 make soak for a shorter run); fails on any error, a lost
# escalation or memory growth over 10% after warm-up.
soak: build
	$(BIN)/python -m bench.soak
