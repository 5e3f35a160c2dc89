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
# llama-cpp-python compiles from source. It is built once for a portable x86-64-v3 baseline (AVX2/FMA/F16C),
# never -march=native: some CI CPUs advertise AVX-512/AMX that fault inside their VM. The wheel is kept in a
# wheelhouse named by version and flags, so pip's own cache can never hand back a native build.
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF \
	-DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_AVX_VNNI=OFF -DLLAVA_BUILD=OFF
WHEELHOUSE ?= $(HOME)/.cache/docqa/wheels/llama-cpp-python-$(LLAMA_CPP_VERSION)-x86-64-v3

.PHONY: install llama-wheel browser ocr run test test-fast bench clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(MAKE) --no-print-directory llama-wheel
	$(PIP) install --progress-bar off --find-links $(WHEELHOUSE) $(WHEELHOUSE)/llama_cpp_python-*.whl
	$(PIP) install --progress-bar off --find-links $(WHEELHOUSE) -e '.[test,llm,llamacpp,bench]'
	$(PY) -m qa.llm_probe --check-build
	touch $@

# The portable llama.cpp wheel (~3-7 min to compile on 2 cores, once per machine).
llama-wheel:
	@ls $(WHEELHOUSE)/llama_cpp_python-*.whl >/dev/null 2>&1 || { \
	  mkdir -p $(WHEELHOUSE).tmp && \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(PIP) wheel --no-deps --no-cache-dir \
	    --no-binary llama-cpp-python --progress-bar off -w $(WHEELHOUSE).tmp 'llama-cpp-python==$(LLAMA_CPP_VERSION)' && \
	  rm -rf $(WHEELHOUSE) && mv $(WHEELHOUSE).tmp $(WHEELHOUSE); }

# Debian's Chromium drives the browser tests (a browser download is impossible here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Tesseract does the OCR of scanned PDF pages and images (pytesseract drives the binary).
ocr:
	@command -v tesseract >/dev/null && test -n "$$(tesseract --list-langs 2>/dev/null | grep -x eng)" || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; }

run: install
	$(DOCQA) ingest seeds
	$(DOCQA) serve --host 127.0.0.1 --port 7860

# Tests write under one temp folder of the checkout's own; it is emptied first with find, which (unlike the
# rmtree pytest would use) copes with the 1,500-level folders that the hostile-input tests build.
PYTEST_TMP := $(CURDIR)/.pytest-tmp

test: install browser ocr
	@if [ -d $(PYTEST_TMP) ]; then find $(PYTEST_TMP) -depth -delete; fi
	$(PY) -m pytest -q -p no:cacheprovider --basetemp=$(PYTEST_TMP)

test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow and not llm and not browser and not server"

clean:
	rm -rf .docqa eval/out
