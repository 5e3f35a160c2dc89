"""Bounds on the work one file may cost: sizes, counts, extracted text and a wall-clock budget."""

from __future__ import annotations

import time
from dataclasses import dataclass

from qa.errors import DocQAError

MIB = 2**20


class LoadError(DocQAError):
    """A file could not be loaded; `str(err)` is one short line giving the specific reason."""

    def __init__(self, reason: str, *, source: str = "") -> None:
        super().__init__(_one_line(reason))
        self.source = source


class UnsupportedFormat(LoadError):
    """The file's extension (or the requested kind) is not one docqa reads."""


@dataclass(frozen=True)
class Limits:
    """What one file may cost. Each limit names the DOCQA_ setting that raises it in its error."""

    max_bytes: int = 100 * MIB  # the file itself (DOCQA_MAX_FILE_MB)
    max_unzipped_bytes: int = 256 * MIB  # all members of a zip-based file, inflated (DOCQA_MAX_UNZIPPED_MB)
    max_xml_bytes: int = 64 * MIB  # one XML member, inflated: parsed into a tree ~10x its size (same setting / 4)
    max_zip_members: int = 10_000  # DOCQA_MAX_ZIP_MEMBERS
    max_zip_ratio: float = 100.0  # inflated / compressed, per member above ZIP_RATIO_GRACE (DOCQA_MAX_ZIP_RATIO)
    max_pdf_pages: int = 5_000  # DOCQA_MAX_PDF_PAGES
    max_text_chars: int = 100 * MIB  # text extracted from one file (DOCQA_MAX_TEXT_MB)
    seconds: float = 300.0  # wall clock for loading one file (DOCQA_FILE_SECONDS)

    @classmethod
    def from_settings(cls, settings: object) -> Limits:
        unzipped = int(getattr(settings, "max_unzipped_mb", 256) * MIB)
        return cls(
            max_bytes=int(getattr(settings, "max_file_mb", 100) * MIB),
            max_unzipped_bytes=unzipped,
            max_xml_bytes=max(unzipped // 4, 1),
            max_zip_members=int(getattr(settings, "max_zip_members", 10_000)),
            max_zip_ratio=float(getattr(settings, "max_zip_ratio", 100.0)),
            max_pdf_pages=int(getattr(settings, "max_pdf_pages", 5_000)),
            max_text_chars=int(getattr(settings, "max_text_mb", 100) * MIB),
            seconds=float(getattr(settings, "file_seconds", 300.0)),
        )

    def budget(self) -> Budget:
        return Budget(self)


class Budget:
    """The limits of one file being loaded, with its deadline. Loaders call `check` between units of work
    (pages, paragraphs, zip members), so a slow file stops at the next unit past its deadline; a single
    library call that never returns is not interrupted."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise LoadError(f"took longer than the per-file budget of {self.limits.seconds:g} s "
                            "(raise DOCQA_FILE_SECONDS)")

    def text(self, chars: int) -> None:
        """Refuse once the text extracted so far passes its limit (checked as it grows, not at the end)."""
        if chars > self.limits.max_text_chars:
            raise LoadError(f"extracted text too large (over {self.limits.max_text_chars:,} characters; "
                            "raise DOCQA_MAX_TEXT_MB)")
        self.check()


def _one_line(reason: str, limit: int = 200) -> str:
    printable = "".join(ch if ch.isprintable() else " " for ch in str(reason))  # messages from damaged files quote raw bytes
    line = " ".join(printable.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
