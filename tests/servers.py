"""Helpers for tests that run real servers on loopback: free ports, waiting for them, stopping them."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server on port {port} did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """A real `chroma run` on a free loopback port, storing under `folder`; always stopped at the end."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI ships with chromadb"
    port = free_port()
    log_path = folder / "chroma.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder / "server")],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)
