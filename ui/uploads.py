"""Puts files uploaded through the web chat under <index>/uploads/ with safe, non-colliding names."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from qa.api import DocQA
from qa.models import FileOutcome

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^\w.\- ]+")  # \w is Unicode-aware: accented names stay readable
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class Placed:
    """One uploaded file: where it was stored, or why it was refused (then `path` is None)."""

    name: str  # the name the user gave, for the summary
    path: Path | None
    reason: str | None = None
    status: str = "failed"  # of a refusal: "skipped" for an unsupported type, as ingest reports it

    def refusal(self) -> FileOutcome:
        return FileOutcome(self.name, self.status, reason=self.reason)  # type: ignore[arg-type]


def safe_name(filename: str) -> str:
    """A plain file name: no directories, no leading dots, no control or bidi characters, bounded length."""
    base = re.split(r"[\\/]", filename)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch) not in _INVISIBLE)
    base = _UNSAFE.sub("_", base).strip(" ._")
    base = re.sub(r"_{2,}", "_", base)
    stem, suffix = os.path.splitext(base)
    suffix = suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix, re.IGNORECASE) else ""
    stem = stem.strip(" ._")[: MAX_NAME_CHARS - len(suffix)] or "upload"
    return stem + suffix


def place_upload(temp_path: str | os.PathLike[str], original_name: str, uploads_dir: Path, *,
                 max_bytes: int, extensions: frozenset[str]) -> Placed:
    """Copy one upload into `uploads_dir`; identical content reuses its file, a different one gets a suffix."""
    shown = PurePath(original_name.replace("\\", "/")).name or original_name
    name = safe_name(original_name)
    suffix = PurePath(name).suffix.lower()
    if suffix not in extensions:
        allowed = ", ".join(sorted(extensions))
        return Placed(shown, None, f"unsupported file type {suffix or '(none)'}; allowed: {allowed}", "skipped")
    source = Path(temp_path)
    try:
        size = source.stat().st_size
    except OSError as exc:
        return Placed(shown, None, f"upload could not be read: {exc.strerror or exc}")
    if size > max_bytes:
        return Placed(shown, None, f"file too large: {size / 2**20:.1f} MB, limit {max_bytes / 2**20:.0f} MB")
    if size == 0:
        return Placed(shown, None, "file is empty")
    uploads_dir.mkdir(parents=True, exist_ok=True)
    digest = DocQA.content_hash(source)
    stem, ext = os.path.splitext(name)
    for attempt in range(1, 1000):
        target = uploads_dir / (name if attempt == 1 else f"{stem}-{attempt}{ext}")
        if target.exists():
            if target.is_file() and DocQA.content_hash(target) == digest:
                return Placed(shown, target)  # the same file again: ingest reports it unchanged
            continue
        try:
            with open(source, "rb") as src, open(target, "xb") as dst:  # "x": never replace a file
                shutil.copyfileobj(src, dst)
        except FileExistsError:
            continue
        return Placed(shown, target)
    return Placed(shown, None, "too many uploads with this name")


def gradio_temp_dir() -> Path:
    """Where Gradio caches uploaded files (its own rule: GRADIO_TEMP_DIR, else <tmp>/gradio)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


def discard_temp_upload(temp_path: str | os.PathLike[str]) -> None:
    """Delete Gradio's cached copy of an upload once it is placed or refused, with its hashed folder if now empty.
    Only files inside Gradio's temp dir are touched: a path from anywhere else is never deleted."""
    path = Path(temp_path)
    try:
        folder = path.resolve().parent
        if gradio_temp_dir().resolve() not in folder.parents and folder != gradio_temp_dir().resolve():
            return
        path.unlink(missing_ok=True)
        if folder != gradio_temp_dir().resolve() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass  # best effort: a temp copy left behind is Gradio's to clean, never a failed upload


def is_upload(path: str, uploads_dir: Path) -> bool:
    try:
        return Path(path).resolve().parent == uploads_dir.resolve()
    except OSError:
        return False
