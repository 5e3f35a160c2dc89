"""The hostile cases of issue 15, each run through `docqa ingest` (or a running `docqa serve`) as a subprocess on a
generated hostile corpus, printed as a table: case, command, exit code, the one-line error, peak RSS, time.

Run from the checkout: `python -m eval.hostile_report [--workdir DIR]`. Peak RSS is the child and its children
together, sampled every 50 ms with psutil; the corpus comes from tests/hostile (built at run time)."""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import hostile  # noqa: E402 - the reusable hostile corpus lives with the tests

DOCQA = str(Path(sys.executable).with_name("docqa"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "ANONYMIZED_TELEMETRY": "False"}


@dataclass
class Row:
    case: str
    command: str
    code: str
    line: str
    rss_mb: float
    seconds: float


def ingest(work: Path, case: str, paths: list[str], wanted: str, extra: tuple[str, ...] = ()) -> Row:
    """`docqa ingest PATHS` under the memory watchdog; the row's line is the one naming `wanted`."""
    index = f"idx-{sum(1 for _ in work.glob('idx-*'))}"  # a fresh index per case: nothing is "unchanged"
    command = [DOCQA, "--index", index, "ingest", "-q", *extra, *paths]
    run = hostile.run_watched(command, cwd=work, env=ENV)
    lines = (run.stderr + run.stdout).splitlines()
    told = [line for line in lines if wanted in line] or [line for line in lines if line.strip()][-1:]
    if wanted.endswith("/"):  # every line naming the folder, the summary last
        told = ["\n".join([*told, next((line for line in lines if " added" in line and "," in line), "")])]
    summary = next((line for line in lines if " added" in line and "," in line), "")
    line = told[0] if told else ""
    if "Traceback" in run.stderr:
        line = "TRACEBACK: " + run.stderr.strip().splitlines()[-1]
    if summary and summary not in line:
        line += f"  [{summary.split(';')[0].strip()}]"
    return Row(case, "docqa ingest -q " + " ".join([*extra, *paths]), "killed" if run.killed else str(run.returncode),
               line, run.peak_rss / 2**20, run.seconds)


def file_cases(work: Path) -> list[Row]:
    corpus = hostile.build(work / "docs")
    hostile.pdf(work / "after.pdf", 1, "Lampreys climb the weir at night")
    rows = []
    for name, case in (("bomb.docx", "zip bomb, 3.3 MB -> 1.1 GB, beside a good PDF"),
                       ("liar.docx", "zip bomb lying about its size"), ("ratio.docx", "compression ratio 1000:1"),
                       ("flood.docx", "20,000 zip members"), ("pages.pdf", "PDF of 5,001 pages")):
        rows.append(ingest(work, case, [f"docs/{name}", "after.pdf"], name))
    # The whole folder once: one row per special file, all from that run (same exit code, RSS and time).
    whole = ingest(work, "", ["docs"], "docs/")
    lines = whole.line.split("\n")
    for name, case in (("pipe.txt", "FIFO"), ("zero.txt", "link to /dev/zero"), ("passwd.txt", "link to /etc/passwd"),
                       ("etcdir", "link to a folder outside"), ("noise.txt", "invalid UTF-8, no legacy encoding")):
        told = next((line for line in lines if f"docs/{name}:" in line), "(no line)")
        rows.append(Row(f"{case} (in the hostile folder)", whole.command, whole.code, told, whole.rss_mb,
                        whole.seconds))
    rows.append(Row("the hostile folder: totals", whole.command, whole.code, lines[-1], whole.rss_mb, whole.seconds))
    rows.append(ingest(work, "cp1252 text (decoded as cp1252)", ["docs/cp1252.txt"], "cp1252"))
    rows.append(ingest(work, "FIFO named on the command line", ["docs/pipe.txt", "after.pdf"], "pipe.txt"))
    rows.append(ingest(work, "1,500 nested folders + a file after", ["docs/deep", "after.pdf"], "bottom.txt"))
    hostile.remove_tree(corpus.root)
    return rows


def crash_case(work: Path, files: int = 200, kills: int = 3) -> list[Row]:
    """kill -9 `docqa ingest` at random points, re-run, and compare chunk ids with one clean run."""
    corpus = work / "reports"
    rng = random.Random(15)
    words = "harbour lantern quarry meadow falcon copper violet thunder orchard granite ember saddle lagoon".split()
    for i in range(files):
        path = corpus / f"part{i % 4}" / f"report{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = " ".join(" ".join(rng.choice(words) for _ in range(9)).capitalize() + f" {i}-{n}." for n in range(4))
        path.write_text(f"Report {i}\n\n{text}\nShared footer of the archive\n", "utf-8")
    started = time.monotonic()
    subprocess.run([DOCQA, "--index", "clean", "ingest", "-q", "reports"], cwd=work, env=ENV, check=True,
                   capture_output=True)
    clean_seconds = time.monotonic() - started
    peak = 0.0
    for k in range(kills):
        child = subprocess.Popen([DOCQA, "--index", "crashed", "ingest", "-q", "reports"], cwd=work, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * clean_seconds)
        child.send_signal(signal.SIGKILL)
        child.wait()
    run = hostile.run_watched([DOCQA, "--index", "crashed", "ingest", "-q", "reports"], cwd=work, env=ENV)
    peak = max(peak, run.peak_rss / 2**20)
    same, detail = _same_chunks(work / "clean", work / "crashed")
    return [Row(f"kill -9 x{kills} on {files} files, re-run", "docqa ingest -q reports (killed, then again)",
               str(run.returncode), f"chunk ids identical to a clean run: {same} ({detail})", peak,
               time.monotonic() - started)]


def _same_chunks(a: Path, b: Path) -> tuple[bool, str]:
    script = ("import json,sys\nfrom qa.settings import Settings\nfrom qa.store import make_client\n"
              "c=make_client(Settings(index=sys.argv[1])).get_collection('docqa', embedding_function=None)\n"
              "r=c.get(include=['documents'])\nprint(json.dumps(sorted(zip(r['ids'], r['documents']))))")
    got = [json.loads(subprocess.run([sys.executable, "-c", script, str(p)], cwd=ROOT, env=ENV, check=True,
                                     capture_output=True, text=True).stdout) for p in (a, b)]
    return got[0] == got[1], f"{len(got[0])} vs {len(got[1])} chunks"


class Server:
    """`docqa serve` on a free port over work/idx, its RSS sampled all along."""

    def __init__(self, work: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.gradio_temp = work / "gradio-temp"
        env = {**ENV, "GRADIO_TEMP_DIR": str(self.gradio_temp)}
        self.log = open(work / "serve.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([DOCQA, "--index", "idx", "serve", "--port", str(self.port)], cwd=work,
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.peak, self._stop = 0, threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("docqa serve did not start; see serve.log") from None
                time.sleep(0.5)

    def _sample(self) -> None:
        import psutil

        watched = psutil.Process(self.process.pid)
        while not self._stop.is_set() and self.process.poll() is None:
            try:
                self.peak = max(self.peak, watched.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.05)

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
        request = urllib.request.Request(self.url + path, data=body, headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=120) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                    f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n" for name, data in files)
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def server_cases(work: Path) -> list[Row]:
    (work / "seed").mkdir()
    (work / "seed" / "kestrel.txt").write_text("A kestrel hovered over the motorway verge at dawn.\n", "utf-8")
    subprocess.run([DOCQA, "--index", "idx", "ingest", "-q", "seed"], cwd=work, env=ENV, check=True, capture_output=True)
    hostile.docx_bomb(work / "bomb.docx")
    server = Server(work)
    rows = []
    try:
        base_rss = server.peak
        started = time.monotonic()
        body, kind = _multipart([("bomb.docx", (work / "bomb.docx").read_bytes()),
                                 ("good.txt", b"Otters hold hands while sleeping.\n")])
        status, report = server.post("/v1/ingest", body, kind)
        lines = [f"{f['status']}: {f['source']}: {f.get('reason') or f.get('chunks')}" for f in report.get("files", [])]
        rows.append(Row("zip bomb via web upload (+ a good file)", "POST /v1/ingest bomb.docx good.txt", str(status),
                        " | ".join(lines), server.peak / 2**20, time.monotonic() - started))
        uploads = sorted(p.name for p in (work / "idx" / "uploads").glob("*"))
        temp = [p for p in server.gradio_temp.rglob("*") if p.is_file()] if server.gradio_temp.exists() else []
        rows.append(Row("upload temp copies after ingest/refusal", "ls idx/uploads $GRADIO_TEMP_DIR", "-",
                        f"kept uploads: {uploads}; Gradio temp files: {len(temp)}", server.peak / 2**20, 0.0))
        started = time.monotonic()
        codes = {server.get(f"/v1/sources?collection=ghost{i}")[0] for i in range(10)}
        ghosts = [p.name for p in (work / "idx" / "lexical").glob("ghost*")]
        rows.append(Row("collection creation by a read", "GET /v1/sources?collection=ghost0..9 (x10)",
                        ",".join(map(str, sorted(codes))), f"lexical files for ghost*: {len(ghosts)}",
                        server.peak / 2**20, time.monotonic() - started))
        rows.append(_second_process(work, server))
        started = time.monotonic()
        status, answer = server.post("/v1/ask", json.dumps({"question": "x" * (2 * 2**20)}).encode(), "application/json")
        rows.append(Row("2 MB JSON body", "POST /v1/ask (2 MB)", str(status), answer.get("error", {}).get("message", ""),
                        server.peak / 2**20, time.monotonic() - started))
        rows[0].case += f" (server RSS before: {base_rss / 2**20:,.0f} MB)"
    finally:
        server.stop()
    return rows


def _second_process(work: Path, server: Server) -> Row:
    """`docqa ingest` in another process while the server runs; then the server is asked about the new file."""
    (work / "later").mkdir()
    (work / "later" / "heron.txt").write_text("The grey heron colony counted forty-two nests in March.\n", "utf-8")
    started = time.monotonic()
    run = subprocess.run([DOCQA, "--index", "idx", "ingest", "-q", "later"], cwd=work, env=ENV, capture_output=True,
                         text=True)
    done = time.monotonic()
    status, answer = server.post("/v1/ask", json.dumps({"question": "How many nests did the heron colony count?"})
                                 .encode(), "application/json")
    cited = [Path(c["source"]).name for c in answer.get("citations", [])]
    return Row("CLI ingest while docqa serve runs", "docqa ingest later/ ; POST /v1/ask", f"{run.returncode}/{status}",
               f"answer: {answer.get('answer', '')[:60]!r} cites {cited}; asked {time.monotonic() - done:.1f} s after "
               "the ingest ended", server.peak / 2**20, time.monotonic() - started)


def table(rows: list[Row]) -> str:
    out = ["| case | command | exit | one-line result | peak RSS MB | time s |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r.case} | `{r.command}` | {r.code} | {r.line.replace('|', '/')} | {r.rss_mb:,.0f} | "
                   f"{r.seconds:.1f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.hostile_report", description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, help="Where to build the corpus and indexes (default: a temp dir).")
    parser.add_argument("--skip", nargs="*", default=[], choices=["files", "crash", "server"])
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="docqa-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for name, step in (("files", file_cases), ("crash", crash_case), ("server", server_cases)):
        if name not in args.skip:
            (work / name).mkdir(exist_ok=True)
            done = step(work / name)
            rows += done
            print("\n".join(table(done).splitlines()[2:]), flush=True)  # as they come, then the whole table
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
