# PrepAI: `make run` starts the platform on http://localhost:8000; `make test` runs the whole suite.
# Both install what is missing first (apt packages, .venv, Python packages) and skip it the second time.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AGENT_REPLICAS ?= 1
TOOLS_REPLICAS ?= 1
STT_REPLICAS ?= 1
TTS_REPLICAS ?= 1
ANALYTICS_REPLICAS ?= 1
PYTEST_ARGS ?=

.PHONY: install frontend run test test-fast lint bench docs clean

$(STAMP): requirements.txt requirements-dev.txt requirements-llm.txt requirements-nodeps.txt deploy/install.sh
	bash deploy/install.sh
	touch $@

# The web app (frontend/): npm ci when the lockfile changes, a Vite build when a source changes.
FRONTEND_DEPS := frontend/node_modules/.package-lock.json
FRONTEND_BUILD := frontend/dist/index.html
FRONTEND_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/package.json \
	frontend/tsconfig.json frontend/vite.config.ts

$(FRONTEND_DEPS): frontend/package-lock.json $(STAMP)
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

$(FRONTEND_BUILD): $(FRONTEND_DEPS) $(FRONTEND_SRC)
	cd frontend && npm run build

frontend: $(FRONTEND_BUILD)

install: $(STAMP) frontend

run: install
	$(PY) -m deploy.run_local --agent-replicas $(AGENT_REPLICAS) --tools-replicas $(TOOLS_REPLICAS) \
		--stt-replicas $(STT_REPLICAS) --tts-replicas $(TTS_REPLICAS) --analytics-replicas $(ANALYTICS_REPLICAS)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Without the real-model and process-level tests: seconds, for the edit-test loop.
test-fast: install
	$(PY) -m pytest -m "not model and not integration" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared services deploy bench

# The AsyncAPI (NATS) and OpenAPI (REST, WebSocket) documents, generated from the code into docs/.
docs: install
	$(PY) -m deploy.api_docs docs

bench: install
	$(PY) bench/text_turns.py overhead
	$(PY) bench/text_turns.py model

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache frontend/node_modules frontend/dist
