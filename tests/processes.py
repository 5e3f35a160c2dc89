"""Helper for the crash tests: run a child process and SIGKILL it at a chosen moment after it says it is ready."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_and_kill(script: str, args: list[str], delay: float, env: dict[str, str] | None = None) -> tuple[bool, float]:
    """Run `python -c SCRIPT ARGS...` (from the repository root); once it prints "ready", give it `delay` seconds,
    then SIGKILL it unless it has ended (or killed itself) by then. Returns (killed, seconds it ran after ready)."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                             env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", f"child did not start: {line!r}"
        ready = time.monotonic()
        try:
            child.wait(timeout=delay)
            return child.returncode == -signal.SIGKILL, time.monotonic() - ready
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            return True, time.monotonic() - ready
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
