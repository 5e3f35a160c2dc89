"""Builds a hostile corpus at test time (nothing binary is committed): zip bombs, a PDF with too many pages,
deep folders, FIFOs, sockets, device links, symlinks escaping the folder, undecodable text and broken PDFs,
beside good files that must still be ingested. `build(root)` returns what each file must come out as."""

from __future__ import annotations

import functools
import os
import random
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MIB = 2**20
GOOD_FACTS = {
    "good.txt": "Otters hold hands while sleeping so they do not drift apart.",
    "nested/good.md": "# Herons\n\nThe heron colony on the lake grew to forty nests this spring.",
}
DEEP_LEVELS = 1500
DEEP_FACT = "The deepest folder holds a note about kingfishers nesting in river banks."
CP1252_TEXT = "Café – naïve “quotes” cost 5€.\nThe café on the corner opened in 1998, déjà vu.\n"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
             'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
_DOC_TAIL = "</w:t></w:r></w:p></w:body></w:document>"


@dataclass
class Corpus:
    """What was built: source (relative to the folder given to ingest) -> (status, words its reason must hold)."""

    root: Path
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)
    outside: Path | None = None  # a folder beside the root that escaping links point into

    def expect(self, name: str, status: str, reason: str = "") -> None:
        self.expected[name] = (status, reason)


# ---------------------------------------------------------------- zip bombs


def _raw_deflate(chunks, level: int = 9) -> tuple[bytes, int, int]:
    """(raw deflate stream, inflated size, crc32) of the concatenated chunks, compressed as they come."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, size, crc = [], 0, 0
    for chunk in chunks:
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
        out.append(compressor.compress(chunk))
    out.append(compressor.flush())
    return b"".join(out), size, crc


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of already-deflated members (name, raw deflate, declared size, crc): sizes are written as given,
    so a member may lie about what it inflates to."""
    local, central = bytearray(), bytearray()
    for name, data, declared, crc in members:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0)
        local += encoded + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))


def _docx_members(document: tuple[bytes, int, int]) -> list[tuple[str, bytes, int, int]]:
    small = [(name, *_raw_deflate([text.encode()])) for name, text in
             (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS))]
    return [*small, ("word/document.xml", *document)]


@functools.lru_cache(maxsize=4)
def _bomb_document(inflated: int) -> tuple[bytes, int, int]:
    """word/document.xml holding one run of `inflated` bytes of 'A', about 1000:1. Each MiB is compressed after
    a full flush, so every MiB compresses to the same bytes: compressed once and repeated, it takes a second."""
    block = b"A" * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(_DOC_HEAD.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(_DOC_TAIL.encode()) + compressor.flush()
    count = inflated // MIB
    crc = zlib.crc32(_DOC_HEAD.encode())
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(_DOC_TAIL.encode(), crc)
    size = len(_DOC_HEAD) + count * MIB + len(_DOC_TAIL)
    return head + repeated * count + tail, size, crc


def docx_bomb(path: Path, inflated: int = 1100 * MIB) -> None:
    """A docx whose document.xml inflates to `inflated` bytes and says so (the issue's 3.3 MB -> 1.1 GB file)."""
    write_zip(path, _docx_members(_bomb_document(inflated)))


def docx_lying_bomb(path: Path, inflated: int = 1100 * MIB) -> None:
    """The same bomb, its directory claiming document.xml is 20 KB: only inflating it tells."""
    data, _, crc = _bomb_document(inflated)
    write_zip(path, _docx_members((data, 20_000, crc)))


def docx_ratio_bomb(path: Path) -> None:
    """Small enough (8 MB inflated) for the size limits, but 1000:1: refused by the compression ratio."""
    write_zip(path, _docx_members(_bomb_document(8 * MIB)))


def docx_member_flood(path: Path, members: int = 20_000) -> None:
    """A docx of tens of thousands of tiny members."""
    base = _docx_members(_raw_deflate([(_DOC_HEAD + "flood" + _DOC_TAIL).encode()]))
    empty = _raw_deflate([b"x"])
    write_zip(path, base + [(f"word/media/m{i}.bin", *empty) for i in range(members)])


def good_docx(path: Path, text: str) -> None:
    write_zip(path, _docx_members(_raw_deflate([(_DOC_HEAD + text + _DOC_TAIL).encode()])))


# ---------------------------------------------------------------- PDFs


def pdf(path: Path, page_count: int, text: str = "Page text", content: bytes | None = None) -> None:
    """A minimal valid PDF: `page_count` pages sharing one content stream (so thousands of pages stay small)."""
    stream = content if content is not None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Length %d >>\nstream\n" % len(stream) + stream
               + b"\nendstream", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    first_page = len(objects) + 1
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objects += [page] * page_count
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(page_count))
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % page_count
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


# ---------------------------------------------------------------- the whole corpus


def build(root: Path, *, bombs: bool = True, specials: bool = True) -> Corpus:
    """Write the hostile corpus into `root` (created) and an `outside` folder beside it."""
    root.mkdir(parents=True)
    corpus = Corpus(root)
    for name, text in GOOD_FACTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
        corpus.expect(name, "added")
    good_docx(root / "fine.docx", "A well-formed Word file about badgers digging setts.")
    corpus.expect("fine.docx", "added")
    if bombs:
        docx_bomb(root / "bomb.docx")
        corpus.expect("bomb.docx", "failed", "zip bomb")
        docx_lying_bomb(root / "liar.docx")
        corpus.expect("liar.docx", "failed", "inflates past the size it declares")
        docx_ratio_bomb(root / "ratio.docx")
        corpus.expect("ratio.docx", "failed", "inflates")
        docx_member_flood(root / "flood.docx")
        corpus.expect("flood.docx", "failed", "zip members")
        pdf(root / "pages.pdf", 5_001)
        corpus.expect("pages.pdf", "failed", "pages (limit")
    _deep(root, corpus)
    _text_tricks(root, corpus)
    _pdf_tricks(root, corpus)
    _links(root, corpus)
    if specials:
        _special_files(root, corpus)
    return corpus


def _deep(root: Path, corpus: Corpus) -> None:
    """DEEP_LEVELS nested folders, made one mkdir at a time (os.makedirs and Path.mkdir recurse per level)."""
    path = root / "deep"
    os.mkdir(path)
    for _ in range(DEEP_LEVELS):
        path = path / "d"
        os.mkdir(path)
    (path / "bottom.txt").write_text(DEEP_FACT, "utf-8")
    corpus.expect(str((path / "bottom.txt").relative_to(root)), "added")


def remove_tree(top: Path) -> None:
    """rmtree without recursion (shutil.rmtree and, before Python 3.12, os.walk recurse once per level)."""
    stack, folders = [str(top)], []
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


def _text_tricks(root: Path, corpus: Corpus) -> None:
    (root / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    corpus.expect("cp1252.txt", "added")
    rng = random.Random(15)
    noise = bytes(rng.randrange(0xA0, 0x100) if i % 3 else rng.randrange(0x61, 0x7B) for i in range(3000))
    (root / "noise.txt").write_bytes(noise)
    corpus.expect("noise.txt", "failed", "undecodable")
    (root / "binary.md").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    corpus.expect("binary.md", "failed", "")


def _pdf_tricks(root: Path, corpus: Corpus) -> None:
    pdf(root / "whole.pdf", 2, "Salmon leap up the weir every autumn")
    corpus.expect("whole.pdf", "added")
    data = (root / "whole.pdf").read_bytes()
    (root / "truncated.pdf").write_bytes(data[: len(data) // 3])
    corpus.expect("truncated.pdf", "failed", "")
    (root / "fake.pdf").write_bytes(b"this is not a PDF at all\n" * 20)
    corpus.expect("fake.pdf", "failed", "not a valid PDF")


def _links(root: Path, corpus: Corpus) -> None:
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The outside secret is xylophone-basilisk.", "utf-8")
    (outside / "dir").mkdir()
    (outside / "dir" / "also-secret.txt").write_text("Another outside secret: quokka-zeppelin.", "utf-8")
    corpus.outside = outside
    (root / "passwd.txt").symlink_to("/etc/passwd")
    corpus.expect("passwd.txt", "skipped", "outside the folder given")
    (root / "secret-link.txt").symlink_to(outside / "secret.txt")
    corpus.expect("secret-link.txt", "skipped", "outside the folder given")
    (root / "etcdir").symlink_to(outside / "dir", target_is_directory=True)
    corpus.expect("etcdir", "skipped", "outside the folder given")
    (root / "inside-link.txt").symlink_to("good.txt")  # stays inside: followed (and the same document as good.txt)
    (root / "broken.txt").symlink_to(root / "no-such-file.txt")
    corpus.expect("broken.txt", "failed", "broken symbolic link")


def _special_files(root: Path, corpus: Corpus) -> None:
    os.mkfifo(root / "pipe.txt")
    corpus.expect("pipe.txt", "skipped", "FIFO")
    (root / "zero.txt").symlink_to("/dev/zero")
    corpus.expect("zero.txt", "skipped", "outside the folder given")
    (root / "devices").mkdir()
    os.mkfifo(root / "devices" / "fifo.md")
    corpus.expect("devices/fifo.md", "skipped", "FIFO")
    sock_path = root / "sock.txt"
    if len(str(sock_path)) < 100:  # AF_UNIX paths are limited to 108 bytes
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(sock_path))
        server.close()  # the socket file stays
        corpus.expect("sock.txt", "skipped", "socket")


def zip_limit_of(path: Path) -> dict[str, int]:
    """Member count and declared sizes of a zip: lets a test show what a bomb claims."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    return {"members": len(infos), "declared": sum(i.file_size for i in infos),
            "compressed": sum(i.compress_size for i in infos)}


# ---------------------------------------------------------------- running under a memory watchdog

RSS_CEILING = 2 * 2**30  # what one ingest may use, model included, whatever the input (README: "Limits")


@dataclass
class Watched:
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes, the process and its children together, sampled every 50 ms
    seconds: float
    killed: bool  # the watchdog killed it at the ceiling


def run_watched(command: list[str], *, cwd: Path, env: dict[str, str], ceiling: int = RSS_CEILING,
                timeout: float = 600.0) -> Watched:
    """Run a command, sampling the resident memory of it and its children; kill it the moment it passes the
    ceiling (so a regression fails the test instead of taking the machine down)."""
    import subprocess
    import tempfile
    import time

    import psutil

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        watched = psutil.Process(child.pid)
        peak, killed = 0, False
        while child.poll() is None:
            try:
                rss = watched.memory_info().rss + sum(c.memory_info().rss for c in watched.children(recursive=True))
            except psutil.Error:
                rss = 0
            peak = max(peak, rss)
            if rss > ceiling or time.monotonic() - started > timeout:
                killed = True
                child.kill()
                break
            time.sleep(0.05)
        child.wait()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Watched(child.returncode, out.read(), err.read(), peak, seconds, killed)
