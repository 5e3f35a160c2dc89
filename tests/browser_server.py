"""Starts the server (web chat and API, as `docqa serve` runs it) in this process on a free port, and always stops it."""

from __future__ import annotations

import contextlib
import time
import urllib.error
import urllib.request
from typing import Any, Iterator
from tests.servers import free_port


def wait_until_up(url: str, timeout: float = 60.0, process: Any = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering at {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (a login wall counts)
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"nothing answered at {url} within {timeout:.0f}s")


@contextlib.contextmanager
def running_app(docqa: Any, **options: Any) -> Iterator[tuple[Any, str]]:
    """(FastAPI app, url) of ui.server.serve(docqa, ...) on 127.0.0.1 and a free port; options as ServeOptions."""
    from ui.server import ServeOptions, serve

    running = serve(docqa, ServeOptions(host="127.0.0.1", port=free_port(), **options), block=False)
    try:
        wait_until_up(running.url)
        yield running.app, running.url
    finally:
        running.close()
