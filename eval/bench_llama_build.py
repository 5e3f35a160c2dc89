"""Price of portability: prompt and decode tokens/s of the portable llama.cpp build next to a native one, in one run.

Run:
    .venv/bin/python eval/bench_llama_build.py --native /tmp/llama-native [--runs 3] [--threads 2]

`--native DIR` is a directory holding another llama_cpp package (e.g. built with -DGGML_NATIVE=ON by
`CMAKE_ARGS="-DGGML_NATIVE=ON" pip install --no-cache-dir --no-binary llama-cpp-python --target DIR
llama-cpp-python==0.3.36`); without it only the installed build is measured. Each measurement is its own process
(the builds alternate, so drifting load hits both alike) that loads the packaged Qwen2.5-Coder-0.5B Q4_K_M,
evaluates one ~600-token prompt and decodes 64 tokens; rates come from llama.cpp's own counters
(llama_perf_context), medians over --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys
import llama_cpp
from qa.llm_model import packaged_gguf
llm = llama_cpp.Llama(model_path=str(packaged_gguf()), n_ctx=2048, n_batch=512, n_threads=int(sys.argv[1]),
                      verbose=False)
prompt = " ".join(f"Item {i} of the list is the number {i * 7 % 13}." for i in range(60))
llama_cpp.llama_perf_context_reset(llm.ctx)
llm.create_completion(prompt + "\nThe first item is", max_tokens=64, temperature=0.0)
data = llama_cpp.llama_perf_context(llm.ctx)
info = llama_cpp.llama_print_system_info()
print(json.dumps({"prompt_tokens": data.n_p_eval, "prompt_ms": data.t_p_eval_ms, "tokens": data.n_eval,
                  "decode_ms": data.t_eval_ms, "features": info.decode() if isinstance(info, bytes) else str(info)}))
llm.close()
"""


def run_once(threads: int, extra_path: str | None) -> dict:
    env = dict(os.environ)
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([extra_path, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run([sys.executable, "-c", CHILD, str(threads)], capture_output=True, text=True, env=env,
                          timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed ({done.returncode}): {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--native", type=Path, help="directory with a natively built llama_cpp package")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    builds = {"portable (installed)": None}
    if args.native:
        builds["native"] = str(args.native)
    samples: dict[str, list[dict]] = {name: [] for name in builds}
    for _ in range(args.runs):
        for name, path in builds.items():
            samples[name].append(run_once(args.threads, path))
    print("| build | prompt tok/s | decode tok/s | compiled for |")
    print("|---|---:|---:|---|")
    rates = {}
    for name, runs in samples.items():
        prompt = statistics.median(r["prompt_tokens"] / r["prompt_ms"] * 1000 for r in runs)
        decode = statistics.median(r["tokens"] / r["decode_ms"] * 1000 for r in runs)
        rates[name] = (prompt, decode)
        features = [f.split("=")[0].strip() for f in runs[0]["features"].split("|") if f.strip().endswith("= 1")]
        print(f"| {name} | {prompt:.1f} | {decode:.1f} | {' '.join(features)} |")
    if "native" in rates:
        portable, native = rates["portable (installed)"], rates["native"]
        print(f"\nportable / native: prompt {portable[0] / native[0]:.2f}x, decode {portable[1] / native[1]:.2f}x "
              f"({args.runs} runs each, {args.threads} threads, medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
