"""Commands pay only for what they use: listing, removing and unchanged re-ingest never import torch, and piped
output carries no third-party progress bars or warnings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCQA = shutil.which("docqa", path=str(Path(sys.executable).parent)) or "docqa"
TORCH_IMPORT = re.compile(r"^import time:.*\|\s+torch$", re.M)


def _run(args: list[str], cwd: Path, importtime: bool = False) -> subprocess.CompletedProcess:
    prefix = [sys.executable, "-X", "importtime", DOCQA] if importtime else [DOCQA]
    return subprocess.run([*prefix, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("startup")
    shutil.copytree(ROOT / "seeds", base / "seeds")
    done = _run(["--index", "idx", "ingest", "seeds"], base)
    assert done.returncode == 0, done.stderr
    return base


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["--help"], ["eval", "--help"], ["--index", "idx", "sources"], ["--index", "idx", "sources", "--json"],
    ["--index", "idx", "ingest", "seeds"], ["--index", "idx", "remove", "no-such-file.txt"],
], ids=["help", "eval-help", "sources", "sources-json", "unchanged-ingest", "remove"])
def test_commands_that_need_no_model_never_import_torch(ingested, args):
    done = _run(args, ingested, importtime=True)
    assert "Traceback" not in done.stderr
    assert not TORCH_IMPORT.search(done.stderr), f"docqa {' '.join(args)} imported torch"
    if args[-1] == "seeds":
        assert "1 unchanged" in done.stdout and done.returncode == 0
    if args[-1] == "no-such-file.txt":
        assert done.returncode == 1 and "no ingested source matches" in done.stderr


@pytest.mark.slow
def test_a_real_question_does_import_torch(ingested):
    """The check above can fail: asking needs the model, and the same probe sees torch arrive."""
    done = _run(["--index", "idx", "ask", "What range do ATACMS missiles have?"], ingested, importtime=True)
    assert done.returncode == 0 and TORCH_IMPORT.search(done.stderr)


@pytest.mark.slow
def test_piped_output_has_no_progress_bars_warnings_or_exit_tracebacks(ingested):
    for args in (["ask", "What range do ATACMS missiles have?"], ["ask", "Who is Keir Starmer?", "--json"],
                 ["ingest", "--rebuild", "seeds"]):
        done = _run(["--index", "idx", *args], ingested)
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", f"docqa {' '.join(args)} wrote to stderr: {done.stderr[:500]}"


@pytest.mark.slow
def test_model_facts_read_from_config_files_match_the_loaded_model(tmp_path):
    from qa.embedding import LazyEmbedder, SentenceTransformerEmbedder, default_model_path, make_embedder
    from qa.settings import Settings

    lazy = make_embedder(Settings(index=tmp_path))
    assert isinstance(lazy, LazyEmbedder) and lazy._model is None
    real = SentenceTransformerEmbedder(default_model_path())
    assert (lazy.model_id, lazy.dimension, lazy.max_tokens) == (real.model_id, real.dimension, real.max_tokens)
    assert lazy.token_offsets("two words") == real.token_offsets("two words")  # loads, and checks itself
    assert lazy._model is not None


def test_a_config_that_cannot_be_read_falls_back_to_loading(tmp_path):
    from qa.embedding import describe_sentence_transformer

    (tmp_path / "modules.json").write_text('[{"type": "some.custom.Module", "path": ""}]')
    (tmp_path / "sentence_bert_config.json").write_text('{"max_seq_length": 128}')
    assert describe_sentence_transformer(tmp_path) is None
    assert describe_sentence_transformer(tmp_path / "missing") is None
