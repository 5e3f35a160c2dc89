"""`docqa serve` as a service: the official openai client, curl, keys, per-caller collections, saved conversations."""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from browser_server import wait_until_up
from conftest import SEED_FILE, seed_text
from servers import free_port, stop

pytestmark = pytest.mark.slow

SEED_QUESTION = "Who criticised the decision as anti-democratic?"
FACT = "The lighthouse of Port Veyra is kept by Odalys Brennan, who climbs its 212 steps every evening.\n"
FACT_QUESTION = "Who keeps the lighthouse of Port Veyra?"
ADMIN, ANN = "admin-key-1", "ann-key-2"  # ann may use `docqa` and `future` (which does not exist yet)
ACCESS = f"{ADMIN}=*; {ANN}=docqa,future"
ASK_KEYS = {"question", "answer", "abstained", "citations", "passages", "timings_ms", "query", "generator",
            "confidence", "flags", "notice"}  # Answer.to_dict(): the `docqa ask --json` keys


@contextlib.contextmanager
def docqa_serve(base: Path, *extra: str) -> Iterator[str]:
    """A real `docqa serve` subprocess on a free loopback port over base/index; stopped at the end."""
    port = free_port()
    env = {**os.environ, "DOCQA_INDEX": str(base / "index"), "DOCQA_ACCESS": ACCESS}
    env.pop("DOCQA_AUTH", None)
    log_path = base / f"serve-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([str(Path(sys.executable).with_name("docqa")), "serve", "--port", str(port),
                                    "--api-key", ADMIN, "--api-key", ANN, *extra],
                                   env=env, cwd=base, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", timeout=180, process=process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    shutil.copy(SEED_FILE, base / SEED_FILE.name)
    return base


class Served:
    """The module's server; `restart()` stops it and starts another on the same index."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._stack = contextlib.ExitStack()
        self.url = self._stack.enter_context(docqa_serve(base, "--ingest", SEED_FILE.name))

    def restart(self) -> str:
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self.url = self._stack.enter_context(docqa_serve(self.base))
        return self.url


@pytest.fixture(scope="module")
def served(base) -> Iterator[Served]:
    server = Served(base)
    yield server
    server._stack.close()


@pytest.fixture
def url(served) -> str:
    return served.url


def openai_client(url: str, key: str = ADMIN):
    from openai import OpenAI

    return OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=120)


def curl(*args: str) -> tuple[int, str]:
    """(HTTP status, body) of one curl call."""
    out = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", *args], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    body, _, status = out.stdout.rpartition("\n")
    return int(status), body


def auth(key: str = ADMIN) -> list[str]:
    return ["-H", f"Authorization: Bearer {key}"]


# OpenAI-compatible endpoints --------------------------------------------------------------------
def test_openai_client_gets_a_cited_answer_with_the_docqa_object(url):
    response = openai_client(url).chat.completions.create(
        model="docqa", messages=[{"role": "user", "content": SEED_QUESTION}])
    content = response.choices[0].message.content
    assert response.object == "chat.completion" and response.choices[0].finish_reason == "stop"
    assert "David Sacks" in content and "[1]" in content
    extra = response.model_extra["docqa"]
    assert {"citations", "passages", "abstained", "query"} <= set(extra) and extra["abstained"] is False
    citation = extra["citations"][0]
    assert citation["source"] == SEED_FILE.name and seed_text()[citation["start"]:citation["end"]] == citation["text"]
    status, body = curl("-X", "POST", f"{url}/v1/ask", *auth(), "-H", "Content-Type: application/json",
                        "-d", json.dumps({"question": SEED_QUESTION}))
    asked = json.loads(body)
    assert status == 200 and set(asked) == ASK_KEYS  # exactly the `docqa ask --json` object
    assert asked["answer"] == content and asked["citations"] == extra["citations"]


def test_openai_client_streams_chunks_and_the_last_carries_docqa(url):
    stream = openai_client(url).chat.completions.create(
        model="docqa", stream=True, messages=[{"role": "user", "content": SEED_QUESTION}])
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "David Sacks" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    extra = chunks[-1].model_extra["docqa"]
    assert extra["citations"] and extra["answer"] == text
    assert all("docqa" not in (c.model_extra or {}) for c in chunks[:-1])


def test_curl_streaming_ends_with_done_and_follow_ups_use_the_history(url):
    history = [{"role": "user", "content": SEED_QUESTION}, {"role": "assistant", "content": "David Sacks did."}]
    body = {"model": "docqa", "stream": True, "messages": [*history, {"role": "user", "content": "Whose ally is he?"}]}
    status, text = curl("-N", "-X", "POST", f"{url}/v1/chat/completions", *auth(),
                        "-H", "Content-Type: application/json", "-d", json.dumps(body))
    events = [line[len("data: "):] for line in text.splitlines() if line.startswith("data: ")]
    assert status == 200 and events[-1] == "[DONE]"
    last = json.loads(events[-2])
    assert "Sacks" in last["docqa"]["query"]  # the follow-up was rewritten with the conversation's terms


def test_unknown_model_and_bad_bodies_get_openai_errors(url):
    import openai

    with pytest.raises(openai.NotFoundError) as missing:
        openai_client(url).chat.completions.create(model="nope-collection",
                                                   messages=[{"role": "user", "content": "Who?"}])
    assert missing.value.code == "model_not_found" and "nope-collection" in missing.value.message
    for body, field in [({"model": "docqa"}, "messages"),
                        ({"model": "docqa", "messages": [{"role": "robot", "content": "x"}]}, "messages.0.role"),
                        ({"model": "docqa", "messages": [{"role": "user", "content": "x"}], "temperature": 9},
                         "temperature"),
                        ({"model": "docqa", "messages": [{"role": "assistant", "content": "x"}]}, "messages")]:
        status, text = curl("-X", "POST", f"{url}/v1/chat/completions", *auth(), "-H", "Content-Type: application/json",
                            "-d", json.dumps(body))
        error = json.loads(text)["error"]
        assert status == 400 and error["param"] == field and field.split(".")[0] in error["message"], text
    status, text = curl("-X", "POST", f"{url}/v1/ask", *auth(), "-H", "Content-Type: application/json",
                        "-d", json.dumps({"question": SEED_QUESTION, "k": 0}))
    assert status == 400 and json.loads(text)["error"]["param"] == "k"


# Keys and collections ----------------------------------------------------------------------------
def test_keys_are_enforced_on_v1_but_not_on_healthz(url):
    import openai

    for headers in ([], auth("wrong-key"), ["-H", f"Authorization: Basic {ADMIN}"]):
        status, text = curl(f"{url}/v1/models", *headers)
        assert status == 401 and json.loads(text)["error"]["code"] == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        openai_client(url, "wrong-key").models.list()
    assert curl(f"{url}/healthz") == (200, '{"status":"ok"}')
    status, text = curl(f"{url}/openapi.json")
    assert status == 200 and "/v1/chat/completions" in json.loads(text)["paths"]


def test_ingest_remove_and_collection_isolation(url, tmp_path):
    (tmp_path / "veyra.txt").write_text(FACT, "utf-8")
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    status, text = curl("-X", "POST", f"{url}/v1/ingest", *auth(), "-F", f"files=@{tmp_path / 'veyra.txt'}",
                        "-F", f"files=@{tmp_path / 'tool.exe'}", "-F", "collection=harbour")
    report = json.loads(text)
    assert status == 200 and {Path(f["source"]).name: f["status"] for f in report["files"]} == \
        {"veyra.txt": "added", "tool.exe": "skipped"}
    assert "unsupported file type .exe" in next(f["reason"] for f in report["files"] if f["status"] == "skipped")
    admin, ann = openai_client(url), openai_client(url, ANN)
    assert {m.id for m in admin.models.list()} == {"docqa", "harbour"}
    assert [m.id for m in ann.models.list()] == ["docqa"]
    answer = admin.chat.completions.create(model="harbour", messages=[{"role": "user", "content": FACT_QUESTION}])
    assert "Odalys Brennan" in answer.choices[0].message.content

    # ann never sees nor changes `harbour`, and may not create `future` (only an admin creates collections)
    question = json.dumps({"question": FACT_QUESTION, "collection": "harbour"})
    for args in (["-X", "POST", f"{url}/v1/ask", "-H", "Content-Type: application/json", "-d", question],
                 [f"{url}/v1/sources?collection=harbour"],
                 ["-X", "DELETE", f"{url}/v1/sources?source=veyra.txt&collection=harbour"],
                 ["-X", "POST", f"{url}/v1/ingest", "-F", f"files=@{tmp_path / 'veyra.txt'}", "-F", "collection=harbour"]):
        status, text = curl(*args, *auth(ANN))
        assert status == 404 and "harbour" in json.loads(text)["error"]["message"], (args, text)
    status, text = curl("-X", "POST", f"{url}/v1/ingest", *auth(ANN), "-F", f"files=@{tmp_path / 'veyra.txt'}",
                        "-F", "collection=future")
    assert status == 403 and "only an admin may create collections" in json.loads(text)["error"]["message"]
    status, text = curl(f"{url}/v1/sources?collection=harbour", *auth())
    assert status == 200 and [Path(s["source"]).name for s in json.loads(text)] == ["veyra.txt"]

    status, text = curl("-X", "DELETE", f"{url}/v1/sources?source=veyra.txt&collection=harbour", *auth())
    assert status == 200 and [f["status"] for f in json.loads(text)["files"]] == ["removed"]
    assert curl(f"{url}/v1/sources?collection=harbour", *auth()) == (200, "[]")
    status, text = curl("-X", "DELETE", f"{url}/v1/sources?source=veyra.txt&collection=harbour", *auth())
    assert status == 400 and "no ingested source matches 'veyra.txt'" in json.loads(text)["error"]["message"]


# Saved conversations ------------------------------------------------------------------------------
def test_conversations_persist_across_a_restart_and_export_with_citations(served, url):
    admin = openai_client(url)
    status, text = curl("-X", "POST", f"{url}/v1/conversations", *auth(), "-H", "Content-Type: application/json",
                        "-d", "{}")
    conversation = json.loads(text)["id"]
    assert status == 201
    first = admin.chat.completions.create(model="docqa", messages=[{"role": "user", "content": SEED_QUESTION}],
                                          extra_body={"conversation_id": conversation})
    follow = admin.chat.completions.create(model="docqa", stream=True,
                                           messages=[{"role": "user", "content": "Whose ally is he?"}],
                                           extra_body={"conversation_id": conversation})
    last = list(follow)[-1].model_extra["docqa"]
    assert "Sacks" in last["query"] and last["conversation_id"] == conversation  # the saved turns were the history
    status, text = curl(f"{url}/v1/conversations/{conversation}", *auth(ANN))
    assert status == 404  # another caller's conversation does not exist for ann
    assert json.loads(curl(f"{url}/v1/conversations", *auth(ANN))[1])["data"] == []

    again = served.restart()  # the same index, a new process
    listed = json.loads(curl(f"{again}/v1/conversations", *auth())[1])["data"]
    assert [(c["id"], c["title"]) for c in listed] == [(conversation, SEED_QUESTION)]
    saved = json.loads(curl(f"{again}/v1/conversations/{conversation}", *auth())[1])
    assert [t["question"] for t in saved["turns"]] == [SEED_QUESTION, "Whose ally is he?"]
    assert saved["turns"][0]["answer"]["answer"] == first.choices[0].message.content
    assert set(saved["turns"][0]["answer"]) == ASK_KEYS
    status, markdown = curl(f"{again}/v1/conversations/{conversation}?format=markdown", *auth())
    assert status == 200 and markdown.startswith(f"# {SEED_QUESTION}")
    for turn in saved["turns"]:
        for c in turn["answer"]["citations"]:
            quote = " ".join(c["text"].split())
            assert f"`{c['source']}` characters {c['start']}–{c['end']}: \"{quote}\"" in markdown
    status, text = curl("-X", "PATCH", f"{again}/v1/conversations/{conversation}", *auth(),
                        "-H", "Content-Type: application/json", "-d", json.dumps({"title": "Sacks"}))
    assert status == 200 and json.loads(text)["title"] == "Sacks"
    status, text = curl("-X", "DELETE", f"{again}/v1/conversations/{conversation}", *auth())
    assert status == 200 and json.loads(text)["deleted"] is True
    assert curl(f"{again}/v1/conversations/{conversation}", *auth())[0] == 404
    assert json.loads(curl(f"{again}/v1/conversations", *auth())[1])["data"] == []


# MCP tools ------------------------------------------------------------------------------------------
def test_mcp_tools_ask_and_sources_with_the_mcp_client(tmp_path):
    import asyncio

    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    shutil.copy(SEED_FILE, tmp_path / SEED_FILE.name)

    async def session_calls(endpoint: str, key: str):
        async with streamablehttp_client(endpoint, headers={"Authorization": f"Bearer {key}"}) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = await session.list_tools()
                asked = await session.call_tool("ask", {"question": SEED_QUESTION})
                listed = await session.call_tool("sources", {})
                return tools, asked, listed

    with docqa_serve(tmp_path, "--mcp", "--ingest", SEED_FILE.name) as served:
        endpoint = f"{served}/gradio_api/mcp/"
        tools, asked, listed = asyncio.run(session_calls(endpoint, ADMIN))
        status, text = curl("-X", "POST", endpoint, "-H", "Content-Type: application/json", "-d", "{}")
        assert status == 401 and json.loads(text)["error"]["code"] == "invalid_api_key"
    assert sorted(t.name for t in tools.tools) == ["ask", "sources"]  # read-only: no ingest, no remove
    assert not asked.isError and not listed.isError
    answer = ast.literal_eval(asked.content[0].text)  # Gradio's MCP server sends str() of the returned object
    assert "David Sacks" in answer["answer"] and set(answer) == ASK_KEYS
    citation = answer["citations"][0]
    assert seed_text()[citation["start"]:citation["end"]] == citation["text"]
    assert [s["source"] for s in ast.literal_eval(listed.content[0].text)] == [SEED_FILE.name]
