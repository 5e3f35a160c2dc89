"""Request body limits on every route of a real server on loopback: oversized JSON, chunked bodies without a
Content-Length, oversized uploads to /v1/ingest and to Gradio's own upload route all get 413 with a JSON error,
refused uploads leave no temp files, and the server goes on serving normal requests."""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

from browser_server import running_app
from test_retrieval import BagOfWordsEmbedder

MB = 2**20
UPLOAD_LIMIT_MB = 3  # DOCQA_MAX_UPLOAD_BODY_MB in these tests; the per-file limit is 1 MB


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("limits")
    gradio_temp = base / "gradio-temp"
    patch = pytest.MonkeyPatch()
    patch.setenv("GRADIO_TEMP_DIR", str(gradio_temp))  # Gradio reads it when the app is built
    (base / "docs").mkdir()
    (base / "docs" / "harbour.txt").write_text("The harbour master of Port Veyra is Odalys Brennan.\n", "utf-8")
    docqa = DocQA.open(index=base / "index", embedder=BagOfWordsEmbedder(), rerank=False,
                       max_body_mb=1.0, max_upload_body_mb=UPLOAD_LIMIT_MB)
    docqa.ingest([base / "docs"])
    try:
        with running_app(docqa, max_upload_mb=1) as (_, url):
            yield url.rstrip("/"), gradio_temp
    finally:
        patch.undo()
        docqa.close()


def raw_post(url: str, path: str, headers: dict[str, str], chunks: list[bytes], *, chunked: bool) -> tuple[int, dict]:
    """POST over a plain socket, piece by piece, stopping as soon as the server answers (as a client that
    watches its socket does), so an early 413 is read before the connection closes. Returns (status, JSON)."""
    where = urlparse(url)
    sock = socket.create_connection((where.hostname, where.port), timeout=30)
    try:
        head = [f"POST {path} HTTP/1.1", f"Host: {where.netloc}", *(f"{k}: {v}" for k, v in headers.items())]
        if chunked:
            head.append("Transfer-Encoding: chunked")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for piece in chunks + ([b""] if chunked else []):
            if select.select([sock], [], [], 0.05)[0]:
                break  # the answer is already there
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
            except (BrokenPipeError, ConnectionResetError):
                break
        return _read_response(sock)
    finally:
        sock.close()


def _read_response(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    deadline = time.monotonic() + 30
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        assert time.monotonic() < deadline, data[:500]
        part = sock.recv(65536)
        if not part:
            break
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body.strip().startswith(b"{") else {"raw": body[:200].decode("latin-1")}


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def pieces(payload: bytes, size: int = 64 * 1024) -> list[bytes]:
    return [payload[i : i + size] for i in range(0, len(payload), size)]


def multipart(name: str, size: int) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    text = (b"Quay notes. " * (size // 12 + 1))[:size]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + text + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def big_json(size: int) -> bytes:
    return json.dumps({"question": "Who is the harbour master?", "padding": "x" * size}).encode()


def assert_refused(status: int, body: dict) -> None:
    assert status == 413, body
    assert body["error"]["code"] == "request_too_large" and "MB" in body["error"]["message"], body


def get_json(url: str, data: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(data).encode() if data is not None else None,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def still_serving(url: str) -> None:
    status, body = get_json(f"{url}/v1/ask", {"question": "Who is the harbour master of Port Veyra?"})
    assert status == 200 and "Odalys Brennan" in body["answer"], body
    status, body = get_json(f"{url}/v1/chat/completions", {
        "model": "docqa", "messages": [{"role": "user", "content": "Who is the harbour master of Port Veyra?"}]})
    assert status == 200 and "Odalys Brennan" in body["choices"][0]["message"]["content"], body


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/ask"])
def test_oversized_json_is_refused_before_it_is_read(server, path):
    url, _ = server
    payload = big_json(int(1.5 * MB))
    headers = {"Content-Type": "application/json", "Content-Length": str(len(payload))}
    status, body = raw_post(url, path, headers, pieces(payload), chunked=False)
    assert_refused(status, body)
    still_serving(url)


def test_a_body_under_the_limit_reaches_the_route(server):
    url, _ = server
    payload = big_json(int(0.9 * MB))  # an unknown field: the route's own 400, not the size limit's 413
    status, body = raw_post(url, "/v1/ask", {"Content-Type": "application/json",
                                             "Content-Length": str(len(payload))}, [payload], chunked=False)
    assert status == 400 and "padding" in body["error"]["message"], body


def test_chunked_json_without_content_length_is_counted(server):
    url, _ = server
    payload = big_json(int(1.5 * MB))
    status, body = raw_post(url, "/v1/ask", {"Content-Type": "application/json"}, pieces(payload), chunked=True)
    assert_refused(status, body)
    status, body = raw_post(url, "/v1/ask", {"Content-Type": "application/json"},  # small and chunked: answered
                            pieces(json.dumps({"question": "Who is the harbour master of Port Veyra?"}).encode(), 16),
                            chunked=True)
    assert status == 200 and "Odalys Brennan" in body["answer"], body
    still_serving(url)


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_uploads_to_the_api_are_refused(server, chunked):
    url, _ = server
    content_type, payload = multipart("quay.txt", (UPLOAD_LIMIT_MB + 1) * MB)
    headers = {"Content-Type": content_type, **({} if chunked else {"Content-Length": str(len(payload))})}
    status, body = raw_post(url, "/v1/ingest", headers, pieces(payload), chunked=chunked)
    assert_refused(status, body)
    # A small upload is still taken (its own per-file limit of 1 MB applies as before).
    content_type, payload = multipart("tides.txt", 2000)
    status, body = raw_post(url, "/v1/ingest", {"Content-Type": content_type, "Content-Length": str(len(payload))},
                            [payload], chunked=False)
    assert status == 200 and [f["status"] for f in body["files"]] in (["added"], ["unchanged"]), body
    still_serving(url)


def test_oversized_uploads_to_gradio_are_refused_and_leave_no_temp_files(server):
    url, gradio_temp = server
    before = {p for p in gradio_temp.rglob("*") if p.is_file()} if gradio_temp.exists() else set()
    content_type, payload = multipart("quay.txt", (UPLOAD_LIMIT_MB + 1) * MB)
    # Many files of under the per-file limit each: only the request limit can stop them. Chunked, so Gradio
    # has started spooling them to disk when the limit is reached.
    boundary = content_type.split("boundary=")[1]
    parts = []
    for i in range(UPLOAD_LIMIT_MB * 2 + 2):
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"part{i}.txt\"\r\n"
                     f"Content-Type: text/plain\r\n\r\n".encode() + (b"Quay notes. " * 80000)[: MB - 4096] + b"\r\n")
    payload = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, body = raw_post(url, "/gradio_api/upload", {"Content-Type": content_type}, pieces(payload), chunked=True)
    assert_refused(status, body)
    time.sleep(0.5)  # the parser's clean-up runs as the app unwinds
    after = {p for p in gradio_temp.rglob("*") if p.is_file()} if gradio_temp.exists() else set()
    assert after - before == set(), sorted(after - before)[:5]
    # Gradio's upload route still takes a normal file.
    content_type, payload = multipart("tides.txt", 2000)
    status, body = raw_post(url, "/gradio_api/upload", {"Content-Type": content_type,
                                                        "Content-Length": str(len(payload))}, [payload], chunked=False)
    assert status == 200 and body["raw"].startswith("[") and "tides.txt" in body["raw"], body
    still_serving(url)


def test_a_client_that_sends_its_whole_body_first_still_reads_the_413(server):
    """urllib writes the whole body before reading: the server drops the rest of it instead of resetting."""
    url, _ = server
    for _ in range(3):
        request = urllib.request.Request(f"{url}/v1/ask", data=big_json(int(1.5 * MB)),
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        assert_refused(refused.value.code, json.loads(refused.value.read()))
    still_serving(url)
