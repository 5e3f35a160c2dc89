"""The format samples of eval/format_samples.py, and zip bombs shaped like each zip-based one."""

from __future__ import annotations

import zipfile
from pathlib import Path

from eval.format_samples import city_rows, csv_file, eml, epub, odt, pptx, xlsx  # noqa: F401 - used by the tests
from tests import hostile

MIB = 2**20


def bomb_like(good: Path, out: Path, member: str, inflated: int = 1100 * MIB) -> None:
    """`good`'s package with `member` replaced (or added) by one inflating to `inflated` bytes, declared honestly:
    a bomb that is otherwise a well-formed file of the same format."""
    members = []
    with zipfile.ZipFile(good) as archive:
        for info in archive.infolist():
            if info.filename != member:
                members.append((info.filename, *hostile._raw_deflate([archive.read(info)])))
    members.append((member, *hostile._bomb_document(inflated)))
    hostile.write_zip(out, members)


BOMB_MEMBERS = {"pptx": "ppt/slides/slide1.xml", "xlsx": "xl/worksheets/sheet1.xml",
                "epub": "OEBPS/text/chapter 1.xhtml", "odt": "content.xml"}
