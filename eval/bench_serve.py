"""Load benchmark of `docqa serve`: N concurrent clients over every API, checked against sequential answers.

    python -m eval.bench_serve                     # N = 1, 10, 50 clients x 10 questions each, seeds/ corpus
    python -m eval.bench_serve --clients 1 --clients 10 --kinds chat,chat-stream,ask   # the /v1 API only

A real `docqa serve` runs on a free loopback port over a fresh index of the docs folder. Every client asks
its own sequence of questions from eval/sets/seeds.jsonl (first questions and follow-ups that carry their own
history), spreading its requests over the four ways in: /v1/chat/completions (plain and streaming), /v1/ask
and the Gradio queue's /ask. Before the concurrent rounds each distinct input is asked once, sequentially,
through /v1/ask; a concurrent answer that differs from it is counted as crossed (for instance another
client's history leaking in). Prints requests/s, latency percentiles and error and crossed counts per N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("chat", "chat-stream", "ask", "gradio")
KEY = "bench-key"


@dataclass(frozen=True)
class Case:
    question: str
    history: tuple[tuple[str, str], ...]  # (role, content)

    def messages(self) -> list[dict[str, str]]:
        return [{"role": r, "content": c} for r, c in self.history]


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(Case(row["question"], tuple((m["role"], m["content"]) for m in row.get("history", []))))
    return cases


def plan(cases: list[Case], clients: int, per_client: int, kinds: tuple[str, ...] = KINDS) -> list[list[tuple[str, Case]]]:
    """Each client's own (kind, case) list; follow-ups are spread so every client has some."""
    follow = [c for c in cases if c.history]
    first = [c for c in cases if not c.history]
    plans = []
    for i in range(clients):
        mine = []
        for j in range(per_client):
            pool = follow if j % 3 == 2 and follow else first
            mine.append((kinds[(i + j) % len(kinds)], pool[(i * 7 + j * 3) % len(pool)]))
        plans.append(mine)
    return plans


class Api:
    """One client's HTTP connection; each call returns the final answer text."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=300, headers={"Authorization": f"Bearer {KEY}"})

    def call(self, kind: str, case: Case) -> str:
        messages = [*case.messages(), {"role": "user", "content": case.question}]
        if kind == "chat":
            r = self.http.post("/v1/chat/completions", json={"model": "docqa", "messages": messages})
            r.raise_for_status()
            return r.json()["choices"][0]["message"]["content"]
        if kind == "chat-stream":
            return self._stream(messages)
        if kind == "ask":
            r = self.http.post("/v1/ask", json={"question": case.question, "history": case.messages()})
            r.raise_for_status()
            return r.json()["answer"]
        return self._gradio(case)

    def _stream(self, messages: list[dict[str, str]]) -> str:
        last = None
        body = {"model": "docqa", "messages": messages, "stream": True}
        with self.http.stream("POST", "/v1/chat/completions", json=body) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    event = json.loads(line[6:])
                    if "error" in event:
                        raise RuntimeError(event["error"]["message"])
                    last = event
        if last is None or "docqa" not in last:
            raise RuntimeError("the stream ended without its last chunk")
        return last["docqa"]["answer"]

    def _gradio(self, case: Case) -> str:
        """Gradio's own queue protocol: POST the call (every input, defaults as null), then read its events."""
        r = self.http.post("/gradio_api/call/ask", json={"data": [case.question, case.messages(), *[None] * 6]})
        r.raise_for_status()
        event_id = r.json()["event_id"]
        kind = None
        with self.http.stream("GET", f"/gradio_api/call/ask/{event_id}") as events:
            for line in events.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:].strip()
                elif line.startswith("data: ") and kind in ("complete", "error"):
                    if kind == "error":
                        raise RuntimeError(f"gradio error: {line[6:]}")
                    return json.loads(line[6:])[0]["answer"]
        raise RuntimeError("the Gradio call ended without a result")


def round_of(url: str, plans: list[list[tuple[str, Case]]], expected: dict[Case, str]) -> dict:
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {k: [] for k in KINDS}
    errors: list[str] = []
    crossed = 0
    lock = threading.Lock()
    apis = [Api(url) for _ in plans]
    start = threading.Barrier(len(plans) + 1)

    def client(api: Api, mine: list[tuple[str, Case]]) -> None:
        nonlocal crossed
        start.wait()
        for kind, case in mine:
            t0 = time.perf_counter()
            try:
                answer = api.call(kind, case)
            except Exception as exc:  # counted, and the client goes on with its next question
                with lock:
                    errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)
                by_kind[kind].append(latencies[-1])
                crossed += answer != expected[case]

    threads = [threading.Thread(target=client, args=(api, mine)) for api, mine in zip(apis, plans)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    for api in apis:
        api.http.close()
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"clients": len(plans), "requests": len(latencies) + len(errors), "seconds": wall,
            "throughput": len(latencies) / wall, "p50": q[49], "p95": q[94], "p99": q[98],
            "errors": len(errors), "crossed": crossed, "error_samples": errors[:3],
            "kind_p50": {k: statistics.median(v) for k, v in by_kind.items() if v}}


def start_server(index: Path, docs: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DOCQA_INDEX": str(index), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    docqa = shutil.which("docqa", path=str(Path(sys.executable).parent)) or "docqa"
    process = subprocess.Popen([docqa, "serve", "--port", str(port), "--api-key", KEY, "--ingest", str(docs)],
                               env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"docqa serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("docqa serve did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "seeds")
    parser.add_argument("--set", type=Path, default=ROOT / "eval" / "sets" / "seeds.jsonl")
    parser.add_argument("--clients", type=int, action="append", help="concurrent clients (repeatable; default 1 10 50)")
    parser.add_argument("--questions", type=int, default=10, help="questions per client")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"ways in, taken in turn (default {','.join(KINDS)})")
    args = parser.parse_args(argv)
    counts = args.clients or [1, 10, 50]
    kinds = tuple(k for k in args.kinds.split(",") if k)
    if not kinds or set(kinds) - set(KINDS):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    cases = load_cases(args.set)
    work = Path(tempfile.mkdtemp(prefix="docqa-bench-serve-"))
    process, url = start_server(work / "index", args.docs, work / "serve.log")
    try:
        plans = {n: plan(cases, n, args.questions, kinds) for n in counts}
        needed = {case for p in plans.values() for mine in p for _, case in mine}
        api = Api(url)
        api.call("ask", next(iter(needed)))  # warm-up
        expected = {case: api.call("ask", case) for case in needed}  # sequential answers, one request at a time
        rows = [round_of(url, plans[n], expected) for n in counts]
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"docqa serve, {len(expected)} distinct inputs, {args.questions} questions per client, "
          f"ways in {', '.join(kinds)} in turn; {os.cpu_count()} CPUs")
    print("| clients | requests | seconds | requests/s | p50 ms | p95 ms | p99 ms | errors | crossed |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['clients']} | {r['requests']} | {r['seconds']:.1f} | {r['throughput']:.1f} | {r['p50'] * 1000:.0f} "
              f"| {r['p95'] * 1000:.0f} | {r['p99'] * 1000:.0f} | {r['errors']} | {r['crossed']} |")
    print("\nmedian latency by way in (ms):", "; ".join(
        f"N={r['clients']}: " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in r["kind_p50"].items()) for r in rows))
    base = next((r for r in rows if r["clients"] == 1), None)
    for r in rows:
        if base and r is not base:
            print(f"throughput N={r['clients']} / N=1: {r['throughput'] / base['throughput']:.2f}")
        for sample in r["error_samples"]:
            print(f"  error at N={r['clients']}: {sample}")
    return 0 if all(r["errors"] == 0 and r["crossed"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
