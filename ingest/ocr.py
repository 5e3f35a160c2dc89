"""OCR of scanned pages and images through Tesseract (pytesseract), PDF pages rendered by pypdfium2."""

from __future__ import annotations

import io
import shutil
from typing import Sequence

from ingest.limits import LoadError

INSTALL_HINT = "install Tesseract: `make ocr` or `apt-get install tesseract-ocr tesseract-ocr-eng`"
RENDER_DPI = 300  # Tesseract's accuracy drops sharply below ~200 dpi for body text
MAX_IMAGE_PIXELS = 12_000 * 12_000  # a decompression bomb of an image is refused before decoding
LANGUAGE = "eng"


def engine_ready() -> str | None:
    """None when OCR can run, else the one-line reason it cannot."""
    if shutil.which("tesseract") is None:
        return f"OCR engine not found ({INSTALL_HINT})"
    try:
        import pytesseract  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError as exc:
        return f"OCR packages missing ({exc.name}; reinstall docqa)"
    return None


def _require_engine(context: str) -> None:
    problem = engine_ready()
    if problem:
        raise LoadError(f"{context}; {problem}")


def ocr_image_bytes(data: bytes) -> list[str]:
    """Text of each frame of an image file (a multi-page TIFF has several), in order."""
    from PIL import Image, ImageSequence

    _require_engine("image needs OCR")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError as exc:
        raise LoadError(f"image too large to OCR ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise LoadError(f"not a readable image: {exc}") from exc
    return [_ocr(frame) for frame in frames]


def ocr_pdf_pages(data: bytes, page_indexes: Sequence[int]) -> dict[int, str]:
    """Text of the given 0-based pages of a PDF, each rendered at RENDER_DPI and OCR'd."""
    import pypdfium2

    _require_engine("no extractable text (scanned PDF?)")
    document = pypdfium2.PdfDocument(data)
    try:
        texts: dict[int, str] = {}
        for index in page_indexes:
            page = document[index]
            try:
                image = page.render(scale=RENDER_DPI / 72).to_pil()
            finally:
                page.close()
            texts[index] = _ocr(image)
        return texts
    finally:
        document.close()


def _ocr(image) -> str:
    import pytesseract

    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    # psm 3: automatic page segmentation, which reads columns one after the other.
    text = pytesseract.image_to_string(image, lang=LANGUAGE, config="--psm 3")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


__all__ = ["INSTALL_HINT", "engine_ready", "ocr_image_bytes", "ocr_pdf_pages"]
