"""Time to first token: docqa's DocQA.stream (retrieval included) against llama.cpp alone on the same prompt.

    python -m eval.bench_ttft                  # seeds/, the packaged local model, 3 runs per question
    python -m eval.bench_ttft --runs 5 --threads 2 --question "How far can Himars rockets reach?"

For each run the model's KV cache is cleared first, so both sides process the whole prompt. The
llama.cpp side is timed twice: its own prompt-evaluation counter (llama_perf_context) for docqa's
call, and a direct create_chat_completion(stream=True) on the identical messages. The headline ratio is
docqa's first token over llama.cpp's own prompt-processing time for that same call (the overhead is
retrieval, prompt building and the first decoded token); the target is at most 1.10.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ("How far can Himars rockets reach?", "What was Downing Street still waiting for?",
             "Who is the shadow defence secretary?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "seeds")
    parser.add_argument("--question", action="append", help="question to time (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores, max 8)")
    parser.add_argument("--passages", type=int, default=3, help="passages in the prompt (settings.llm_passages)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.threads:
        os.environ["DOCQA_LLM_THREADS"] = str(args.threads)

    from qa.api import DocQA
    from qa.generate import GenerationRequest
    from qa.llm_model import require_llama_cpp
    from qa.models import Answer

    llama_cpp = require_llama_cpp()
    base = Path(tempfile.mkdtemp(prefix="docqa-ttft-"))
    try:
        docqa = DocQA.open(index=base / "index", generator="llamacpp", llm_context_tokens=2048, llm_max_tokens=8,
                           llm_passages=args.passages)
        docqa.ingest([args.docs])
        generator = docqa.generator("llamacpp")
        llama = generator.model.llama
        docqa.ask(QUESTIONS[0])  # warm-up: model load, embedding model, caches

        rows = []
        for question in args.question or QUESTIONS:
            for _ in range(args.runs):
                llama.reset()
                llama_cpp.llama_perf_context_reset(llama._ctx.ctx)
                answer = next(e for e in docqa.stream(question) if isinstance(e, Answer))
                perf = llama_cpp.llama_perf_context(llama._ctx.ctx)
                prompt_tokens, prompt_ms = perf.n_p_eval, perf.t_p_eval_ms

                request = GenerationRequest(question, answer.query, answer.passages)
                messages = [{"role": r, "content": c} for r, c in generator.prompt(request).messages]
                llama.reset()
                started = time.perf_counter()
                for event in llama.create_chat_completion(messages=messages, stream=True, max_tokens=8, temperature=0):
                    if (event["choices"][0].get("delta") or {}).get("content"):
                        break
                direct_ms = (time.perf_counter() - started) * 1000
                ttft = answer.timings_ms.get("first_token", answer.timings_ms["total"])
                rows.append((question, prompt_tokens, answer.timings_ms["retrieve"], ttft, prompt_ms, direct_ms))
        docqa.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)

    print_rows(rows)
    return 0


def print_rows(rows: list[tuple]) -> None:
    print(f"{'question':40} {'tokens':>6} {'retrieve':>9} {'docqa ttft':>11} {'llama p_eval':>13} {'overhead':>9} "
          f"{'ratio':>6} {'direct ttft':>12}")
    for question, tokens, retrieve, ttft, prompt_ms, direct_ms in rows:
        print(f"{question[:40]:40} {tokens:6d} {retrieve:7.0f}ms {ttft:9.0f}ms {prompt_ms:11.0f}ms "
              f"{ttft - prompt_ms:7.0f}ms {ttft / prompt_ms:6.3f} {direct_ms:10.0f}ms")
    own = statistics.median(ttft / prompt_ms for *_, ttft, prompt_ms, _ in rows)
    direct = statistics.median(ttft / direct_ms for *_, ttft, _, direct_ms in rows)
    print(f"median ratio docqa time to first token / llama.cpp prompt processing of the same call: {own:.3f} "
          f"(target <= 1.10)")
    print(f"median ratio against a separate direct llama.cpp call on the same messages: {direct:.3f} "
          f"(noisier: a different run on a shared machine)")


if __name__ == "__main__":
    raise SystemExit(main())
