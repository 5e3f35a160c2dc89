# docqa: `make run` sets up and serves the chat over seeds/; `make test` sets up and runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DOCQA := $(VENV)/bin/docqa
STAMP := $(VENV)/.docqa-installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
# llama.cpp threads busy-wait by default and collapse when torch or another process shares the 2 cores.
export OMP_WAIT_POLICY := PASSIVE
# llama-cpp-python compiles from source; the multimodal part is not needed.
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF

.PHONY: install browser run test test-fast bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --progress-bar off -e '.[test,llm,llamacpp,bench]'
	touch $@

# Debian's Chromium drives the browser tests (a browser download is impossible here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: install
	$(DOCQA) ingest seeds
	$(DOCQA) serve --host 127.0.0.1 --port 7860

test: install browser
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow and not llm and not browser and not server"

clean:
	rm -rf .docqa eval/out
