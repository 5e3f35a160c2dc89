"""OCR throughput: scanned pages generated here (text drawn with Pillow, saved as PDF) read through docqa's loader."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def scanned_pdf(path: Path, pages: int) -> Path:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=30)
    images = []
    for number in range(pages):
        image = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(image)
        for row in range(40):  # a full page of body text, ~400 words
            draw.text((150, 150 + row * 47), f"Page {number + 1} line {row + 1}: the harbour board met to discuss "
                      f"the budget for item {row * 13 + number}.", font=font, fill=0)
        images.append(image)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    from ingest.loaders import load_file

    with tempfile.TemporaryDirectory() as folder:
        pdf = scanned_pdf(Path(folder) / "scan.pdf", args.pages)
        started = time.perf_counter()
        loaded = load_file(pdf)
        seconds = time.perf_counter() - started
    words = len(loaded.text.split())
    print(f"OCR: {args.pages} full pages (US Letter, 200 dpi scan, rendered at 300 dpi) in {seconds:.1f} s = "
          f"{args.pages / seconds:.2f} pages/s, {words} words read")


if __name__ == "__main__":
    main()
