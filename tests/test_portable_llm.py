"""The local LLM cannot take docqa down: portable llama.cpp build, and a crash probe in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa.errors import LlamaCrashError
from qa.llm_probe import CRASH_HOOK_ENV, ensure_llama_runs, non_portable_features

ROOT = Path(__file__).resolve().parent.parent
DOCQA = shutil.which("docqa", path=str(Path(sys.executable).parent)) or "docqa"


def test_feature_parsing_flags_only_instructions_beyond_the_baseline():
    native = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 |"
    portable = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | OPENMP = 1 |"
    assert non_portable_features(native) == ["AVX512", "AVX512_VNNI", "AMX_INT8"]
    assert non_portable_features(portable) == []
    assert non_portable_features("CPU : AVX512 = 0 | AMX_INT8 = 0 |") == []


def test_a_probe_that_dies_by_sigsegv_becomes_a_clear_error(tmp_path, monkeypatch):
    model = tmp_path / "any.gguf"
    model.write_bytes(b"not read: the child crashes first")
    monkeypatch.setenv(CRASH_HOOK_ENV, "1")
    with pytest.raises(LlamaCrashError) as caught:
        ensure_llama_runs(model)
    message = str(caught.value)
    assert "SIGSEGV" in message and "GGML_NATIVE=OFF" in message and "--no-binary llama-cpp-python" in message
    # This process survived the child's crash and can still do work.
    assert sum(range(4)) == 6


def test_a_probe_that_cannot_load_the_file_names_it(tmp_path, monkeypatch):
    pytest.importorskip("llama_cpp")
    monkeypatch.delenv(CRASH_HOOK_ENV, raising=False)
    model = tmp_path / "broken.gguf"
    model.write_bytes(b"GGUF but not really")
    with pytest.raises(LlamaCrashError, match="could not load .*broken.gguf|crashed"):
        ensure_llama_runs(model)


@pytest.mark.llm
def test_installed_llama_cpp_is_a_portable_build():
    pytest.importorskip("llama_cpp")
    done = subprocess.run([sys.executable, "-m", "qa.llm_probe", "--check-build"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "AVX2 = 1" in done.stdout and "AVX512" not in done.stdout and "AMX" not in done.stdout


@pytest.mark.llm
def test_the_real_model_passes_the_probe(monkeypatch):
    pytest.importorskip("llama_cpp")
    from qa.llm_model import packaged_gguf

    monkeypatch.delenv(CRASH_HOOK_ENV, raising=False)
    ensure_llama_runs(packaged_gguf(), 2)  # raises when the child fails


@pytest.mark.llm
def test_web_chat_falls_back_to_extractive_with_a_visible_notice(seeded, monkeypatch):
    pytest.importorskip("llama_cpp")
    from qa.api import DocQA
    from ui.views import answer_html
    from ui.webchat import AskOptions, WebChat

    monkeypatch.setenv(CRASH_HOOK_ENV, "1")
    docqa = DocQA(seeded.settings, embedder=seeded.embedder)
    chat = WebChat(docqa)
    answer = chat.ask("What range do ATACMS missiles have?", [], AskOptions(generator="llamacpp"))
    assert answer.generator == "extractive" and "190" in answer.answer
    assert "generator-unavailable" in answer.flags
    assert "local LLM is unavailable" in answer.notice and "SIGSEGV" in answer.notice
    assert "docqa-notice" in answer_html(answer, 0)
    # The next question is still served (the chat stayed up), still by the fallback.
    again = chat.ask("Who criticised the decision as anti-democratic?", [], AskOptions(generator="llamacpp"))
    assert again.notice and not again.abstained


@pytest.mark.llm
def test_cli_ask_with_a_crashing_llm_exits_1_with_the_fix(tmp_path):
    pytest.importorskip("llama_cpp")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([DOCQA, "--index", "idx", "ingest", "seeds"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([DOCQA, "--index", "idx", "ask", "What range do ATACMS missiles have?", "--generator",
                           "llamacpp"], cwd=tmp_path, env={**env, CRASH_HOOK_ENV: "1"}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert "crashed with SIGSEGV" in done.stderr and "GGML_NATIVE=OFF" in done.stderr
    assert "Traceback" not in done.stderr
