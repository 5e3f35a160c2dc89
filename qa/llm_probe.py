"""Checks that in-process llama.cpp can run on this CPU by loading and decoding in a throwaway subprocess first.

A llama.cpp built with -march=native on one machine (or a CPU that advertises AMX/AVX-512 its VM cannot run)
dies with SIGSEGV/SIGILL inside the first matrix multiply, taking the whole Python process with it. The probe
pays one small model load in a child process so that such a build fails as a clear DocQAError instead.

    python -m qa.llm_probe --check-build     # fail if the installed llama.cpp was compiled for AVX-512/AMX
    python -m qa.llm_probe --model M.gguf    # the child side: load M, decode one token, exit 0
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from qa.errors import LlamaCrashError

# Set to "1" in the child's environment by tests: the child kills itself with SIGSEGV, as a bad build would.
CRASH_HOOK_ENV = "DOCQA_LLM_PROBE_CRASH"
PROBE_TIMEOUT_S = 300.0
# Instruction sets beyond the portable x86-64-v3 baseline that a prebuilt wheel must not be compiled for.
NON_PORTABLE_FEATURES = ("AVX512", "AMX", "AVX_VNNI")
LLAMA_VERSION = "0.3.36"
REBUILD_HINT = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" '
    f"pip install --force-reinstall --no-cache-dir --no-binary llama-cpp-python llama-cpp-python=={LLAMA_VERSION}"
    " (or `make install`, which builds the portable wheel)"
)


# Per-process memo: the crash hook's value is part of the key so that a test turning it on gets a fresh probe.
_verdicts: dict[tuple[str, int, str], str | None] = {}
_lock = threading.Lock()


def ensure_llama_runs(model_path: str | Path, n_threads: int = 1) -> None:
    """Raise LlamaCrashError unless a child process can load `model_path` and decode a token.

    The verdict is remembered for the life of the process (keyed by model and threads), so only the first
    in-process use pays for the probe.
    """
    key = (str(Path(model_path).resolve()), n_threads, os.environ.get(CRASH_HOOK_ENV, ""))
    with _lock:
        if key not in _verdicts:
            _verdicts[key] = _run_probe(key[0], n_threads)
        failure = _verdicts[key]
    if failure:
        raise LlamaCrashError(failure)


def _run_probe(model_path: str, n_threads: int) -> str | None:
    """None when the child succeeded, else the message for the user."""
    command = [sys.executable, "-m", "qa.llm_probe", "--model", model_path, "--threads", str(n_threads)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S,
                              env={**os.environ, "PYTHONFAULTHANDLER": "0"})
    except subprocess.TimeoutExpired:
        return (f"llama.cpp did not load {model_path} within {PROBE_TIMEOUT_S:.0f} s in a probe process; "
                f"the local LLM is disabled. If this persists, rebuild it: {REBUILD_HINT}")
    if done.returncode == 0:
        return None
    if done.returncode < 0:
        name = _signal_name(-done.returncode)
        return (f"llama.cpp crashed with {name} in a probe process (a build for CPU instructions this machine "
                f"cannot run, e.g. AVX-512/AMX from -march=native); the local LLM is disabled so docqa stays up. "
                f"Rebuild it for a portable baseline: {REBUILD_HINT}")
    detail = (done.stderr or done.stdout).strip().splitlines()
    return (f"llama.cpp could not load {model_path} in a probe process (exit {done.returncode}: "
            f"{detail[-1] if detail else 'no output'})")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def build_features() -> str:
    """llama.cpp's own description of the instruction sets it was compiled for."""
    from qa.llm_model import require_llama_cpp

    info = require_llama_cpp().llama_print_system_info()
    return info.decode("utf-8", "replace") if isinstance(info, bytes) else str(info)


def non_portable_features(info: str) -> list[str]:
    """Features enabled (`NAME = 1`) in a system-info string that lie beyond the portable baseline."""
    enabled = [part.split("=")[0].strip() for part in info.replace("\n", "|").split("|") if part.strip().endswith("= 1")]
    return [name for name in enabled if name.startswith(NON_PORTABLE_FEATURES)]


def _child(model_path: str, n_threads: int) -> int:
    if os.environ.get(CRASH_HOOK_ENV) == "1":
        os.kill(os.getpid(), signal.SIGSEGV)
    from qa.llm_model import require_llama_cpp

    llama_cpp = require_llama_cpp()
    llm = llama_cpp.Llama(model_path=model_path, n_ctx=64, n_batch=64, n_threads=n_threads, verbose=False)
    llm.create_completion("1 2 3", max_tokens=1, temperature=0.0)
    llm.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Probe in-process llama.cpp on this CPU.")
    parser.add_argument("--model", help="GGUF to load and decode one token with (the child side of the probe).")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--check-build", action="store_true",
                        help="Exit 1 when the installed llama.cpp was compiled for non-portable instruction sets.")
    args = parser.parse_args(argv)
    if args.check_build:
        info = build_features()
        extra = non_portable_features(info)
        if extra:
            print(f"llama.cpp is compiled for {', '.join(extra)}, which some CPUs and VMs cannot run: {info.strip()}\n"
                  f"Rebuild it: {REBUILD_HINT}", file=sys.stderr)
            return 1
        print(f"llama.cpp build is portable: {info.strip()}")
        return 0
    if args.model:
        return _child(args.model, args.threads)
    parser.error("give --model or --check-build")
    return 2


if __name__ == "__main__":
    sys.exit(main())
