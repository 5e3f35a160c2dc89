"""Builds real pptx, xlsx, csv, epub, odt and eml samples (tests and the format ingest benchmark make them at run time)."""

from __future__ import annotations

import random
import zipfile
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path


def pptx(path: Path, slides: list[tuple[str, list[str], str]]) -> None:
    """A deck of (title, bullet lines, speaker notes) slides, written by python-pptx."""
    from pptx import Presentation

    deck = Presentation()
    for title, bullets, notes in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0] if bullets else ""
        for line in bullets[1:]:
            body.add_paragraph().text = line
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    deck.save(path)


def city_rows(count: int, seed: int = 7, skip: int = 0) -> list[list[object]]:
    """Header plus `count` rows of invented towns with numbers, the same for a given seed; `skip` leaves out the
    first names, so two tables can hold different towns (at most 120 in all)."""
    rng = random.Random(seed)
    first = ["Quill", "Amber", "Fenn", "Hollow", "Marrow", "Oster", "Pellin", "Rook", "Sable", "Tarn", "Wick", "Yarrow"]
    last = ["bridge", "ford", "mere", "stead", "wick", "holm", "by", "cote", "ness", "dale"]
    names = sorted({a + b for a in first for b in last})
    random.Random(0).shuffle(names)
    rows: list[list[object]] = [["Town", "County", "Population", "Founded"]]
    for name in names[skip : skip + count]:
        rows.append([name, rng.choice(["Westmarch", "Eastfold", "Northmoor"]), rng.randint(800, 90_000),
                     rng.randint(1100, 1900)])
    return rows


def csv_file(path: Path, rows: list[list[object]], delimiter: str = ",") -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


def xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A workbook with one sheet per entry, written by openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


_CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def epub(path: Path, title: str, chapters: list[tuple[str, str]]) -> None:
    """An EPUB 3 of (chapter title, paragraphs separated by blank lines), spine in the given order."""
    items, refs = [], []
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # first and stored, as the spec says
        archive.writestr("META-INF/container.xml", _CONTAINER, zipfile.ZIP_DEFLATED)
        for number, (heading, body) in enumerate(chapters, start=1):
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            page = (f'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
                    f"<title>{heading}</title></head><body><section><h1>{heading}</h1>{paragraphs}</section></body></html>")
            archive.writestr(f"OEBPS/text/chapter {number}.xhtml", page, zipfile.ZIP_DEFLATED)
            items.append(f'<item id="c{number}" href="text/chapter%20{number}.xhtml" media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{number}"/>')
        opf = (f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
               f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></metadata>'
               f'<manifest>{"".join(items)}</manifest><spine>{"".join(refs)}</spine></package>')
        archive.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)


_ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')


def odt(path: Path, blocks: list[tuple[str, str]], table: list[list[str]] | None = None) -> None:
    """An ODT of ("h1"/"h2"/"p", text) blocks and an optional table, its content.xml written by hand."""
    body = []
    for kind, text in blocks:
        if kind == "p":
            body.append(f"<text:p>{text}</text:p>")
        else:
            body.append(f'<text:h text:outline-level="{kind[1:]}">{text}</text:h>')
    if table:
        rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>"
                                                     for c in row) + "</table:table-row>" for row in table)
        body.append(f'<table:table table:name="T1">{rows}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS} office:version="1.2">'
               f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)


def eml(path: Path, *, sender: str, to: str, subject: str, html: str | None = None, text: str | None = None,
        attachments: list[tuple[str, bytes]] = ()) -> None:
    """A MIME message with a plain and/or HTML body and (name, bytes) attachments, built with stdlib email."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc))
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(bytes(message))
