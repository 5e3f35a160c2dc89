"""Ingest speed of the office, table, e-book and mail formats: samples built here, loaded (parse only) and ingested
(parse, chunk, embed, write to Chroma and BM25) into a fresh temp index each: `python -m eval.bench_formats`."""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from eval import format_samples as fs

_WORDS = ("harbour council budget ferry timetable lighthouse keeper storm quay dredging pier steel survey tide "
          "archive record island route morning evening report engineer contract approved delayed opened").split()


def _sentences(rng: random.Random, count: int) -> str:
    return " ".join(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
                    for _ in range(count))


def build(folder: Path, scale: int) -> dict[str, tuple[Path, int, str]]:
    """name -> (file, units, unit name), `scale` = 1 for the default sizes."""
    rng = random.Random(3)
    folder.mkdir(parents=True, exist_ok=True)
    slides = 100 * scale
    fs.pptx(folder / "deck.pptx", [(f"Slide {i} {rng.choice(_WORDS)}", [_sentences(rng, 1) for _ in range(4)],
                                    _sentences(rng, 2)) for i in range(slides)])
    rows = 1000 * scale
    table = [["Id", "Town", "County", "Population", "Founded", "Status"]] + [
        [i, rng.choice(_WORDS).title(), rng.choice(_WORDS), rng.randint(100, 90000), rng.randint(1100, 1990),
         rng.choice(["open", "closed", "merged"])] for i in range(rows)]
    fs.csv_file(folder / "table.csv", table)
    fs.xlsx(folder / "book.xlsx", {"Data": table})
    chapters = 30 * scale
    fs.epub(folder / "book.epub", "Bench", [(f"Chapter {i}", "\n\n".join(_sentences(rng, 5) for _ in range(10)))
                                            for i in range(chapters)])
    paragraphs = 500 * scale
    fs.odt(folder / "report.odt", [("h1" if i % 10 == 0 else "p", _sentences(rng, 1 if i % 10 == 0 else 4))
                                   for i in range(paragraphs)])
    attachment = "\n".join(",".join(str(c) for c in row[:5]) for row in table[:200]).encode()
    fs.eml(folder / "message.eml", sender="a@example.org", to="b@example.org", subject="Bench",
           html="".join(f"<p>{_sentences(rng, 4)}</p>" for _ in range(20 * scale)),
           attachments=[("towns.csv", attachment)])
    return {"pptx": (folder / "deck.pptx", slides, "slides"), "xlsx": (folder / "book.xlsx", rows, "rows"),
            "csv": (folder / "table.csv", rows, "rows"), "epub": (folder / "book.epub", chapters, "chapters"),
            "odt": (folder / "report.odt", paragraphs, "paragraphs"),
            "eml": (folder / "message.eml", 1, "message")}  # 20 paragraphs + a 200-row csv attachment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="Multiply every sample's size.")
    parser.add_argument("--load-only", action="store_true", help="Parse only; skip embedding and indexing.")
    args = parser.parse_args()
    from ingest.loaders import load_file
    from qa.api import DocQA
    from qa.embedding import make_embedder
    from qa.settings import Settings

    embedder = None if args.load_only else make_embedder(Settings())
    print(f"{'format':6} {'size':>8} {'units':>18} {'load s':>7} {'units/s':>9} {'ingest s':>9} {'chunks':>7} {'chunks/s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        if embedder is not None:  # the first ingest of a process pays one-off set-up: not any format's cost
            warm = Path(tmp) / "warm.txt"
            warm.write_text("Warm-up text for the embedder and the index.\n")
            with DocQA.open(index=Path(tmp) / "index-warm", embedder=embedder) as docqa:
                docqa.ingest([str(warm)])
        for kind, (path, units, unit) in build(Path(tmp) / "docs", args.scale).items():
            started = time.perf_counter()
            load_file(path)
            load_s = time.perf_counter() - started
            ingest_s, chunks = float("nan"), 0
            if embedder is not None:
                docqa = DocQA.open(index=Path(tmp) / f"index-{kind}", embedder=embedder)
                started = time.perf_counter()
                report = docqa.ingest([str(path)])
                ingest_s, chunks = time.perf_counter() - started, report.chunks_added
                docqa.close()
            size = path.stat().st_size / 2**20
            print(f"{kind:6} {size:7.2f}M {units:>7} {unit:10} {load_s:7.2f} {units / load_s:9.0f} "
                  f"{ingest_s:9.2f} {chunks:7d} {chunks / ingest_s if chunks else 0:9.1f}")


if __name__ == "__main__":
    main()
