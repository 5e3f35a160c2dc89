"""Sentence-aware chunking budgeted in the embedding model's tokens, with exact character offsets."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from qa.models import Chunk, Document

TokenOffsets = Callable[[str], list[tuple[int, int]]]

# A sentence ends at . ! ? … (plus closing quotes/brackets) before whitespace, or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*[ \t]+|[ \t]*\n[ \t\n]*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tokens: int


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) offsets, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        _append_trimmed(text, cursor, match.start() if "\n" in match.group() else match.end(), spans)
        cursor = match.end()
    _append_trimmed(text, cursor, end, spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def merge_ranges(text: str, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join kept ranges separated only by whitespace, so paragraphs can share a chunk."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class Chunker:
    """Packs whole sentences into chunks of at most `max_tokens`, overlapping by about `overlap` tokens."""

    def __init__(self, token_offsets: TokenOffsets, max_tokens: int, overlap: int) -> None:
        if overlap >= max_tokens:
            raise ValueError(f"chunk overlap ({overlap}) must be smaller than chunk size ({max_tokens})")
        self._token_offsets = token_offsets
        self.max_tokens = max_tokens
        self.overlap = overlap

    def spans(self, text: str, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for start, end in merge_ranges(text, ranges):
            out.extend(self._pack(self._sentences(text, start, end)))
        return out

    def _sentences(self, text: str, start: int, end: int) -> list[Span]:
        token_starts = [start + s for s, _ in self._token_offsets(text[start:end])]
        sentences: list[Span] = []
        for s, e in sentence_spans(text, start, end):
            first, last = bisect.bisect_left(token_starts, s), bisect.bisect_left(token_starts, e)
            count = last - first
            if count <= self.max_tokens:
                sentences.append(Span(s, e, max(count, 1)))
                continue
            # One overlong "sentence" (a table, a URL dump): cut at token boundaries.
            for i in range(first, last, self.max_tokens):
                piece_start = s if i == first else token_starts[i]
                piece_end = token_starts[i + self.max_tokens] if i + self.max_tokens < last else e
                trimmed: list[tuple[int, int]] = []
                _append_trimmed(text, piece_start, piece_end, trimmed)
                sentences.extend(Span(a, b, min(self.max_tokens, last - i)) for a, b in trimmed)
        return sentences

    def _pack(self, sentences: list[Span]) -> list[tuple[int, int]]:
        chunks: list[tuple[int, int]] = []
        i = 0
        while i < len(sentences):
            j, used = i, 0
            while j < len(sentences) and used + sentences[j].tokens <= self.max_tokens:
                used += sentences[j].tokens
                j += 1
            j = max(j, i + 1)
            chunks.append((sentences[i].start, sentences[j - 1].end))
            if j >= len(sentences):
                break
            # Step back over trailing sentences that fit in the overlap budget, but always advance.
            back, carried = j, 0
            while back - 1 > i and carried + sentences[back - 1].tokens <= self.overlap:
                back -= 1
                carried += sentences[back].tokens
            i = back
        return chunks

    def chunk(self, document: Document, ranges: Sequence[tuple[int, int]], metadata: dict | None = None) -> list[Chunk]:
        chunks = []
        for index, (start, end) in enumerate(self.spans(document.text, ranges)):
            text = document.text[start:end]
            digest = hashlib.sha256(f"{document.id}|{start}|{end}|{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
            chunks.append(
                Chunk(
                    id=digest, doc_id=document.id, source=document.source, index=index, start=start, end=end,
                    text=text, page=document.page_at(start), title=document.title,
                    heading=document.heading_at(start), kind=document.kind, sha256=document.sha256,
                    metadata=dict(metadata or {}),
                )
            )
        return chunks
