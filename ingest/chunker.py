"""Sentence-aware chunking budgeted in the embedding model's tokens, with exact character offsets."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from qa.blocks import block_heading, title_shaped
from qa.mail import sender_at
from qa.models import Chunk, Document
from qa.text import append_trimmed, sentence_spans
from qa.versions import entry_at, release_at

TokenOffsets = Callable[[str], list[tuple[int, int]]]

# A sentence opening with a pronoun ("He succeeds Rhona Keddie.") needs the one before it, which says who.
_ANAPHORIC = re.compile(r"[\"'“‘(]?(?:he|she|it|they|his|her|its|their|this|these|those)\b", re.I)

_WINDOW_CHARS = 1 << 16  # tokenize long ranges a window at a time, so memory stays flat on huge files


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tokens: int
    clean: bool = True  # False when cut inside a word: its tokens may differ when tokenized alone


def merge_ranges(text: str, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join kept ranges separated only by whitespace, so paragraphs can share a chunk."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _clip(ranges: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(max(a, start), min(b, end)) for a, b in ranges if a < end and b > start]


def _carried(document: Document, start: int) -> dict[str, str | int]:
    """What a chunk starts under though an earlier chunk holds it: the changelog's release heading ("release"), the
    API entry a docs page's version notes belong to ("entry"), the e-mail its lines were written in ("sender"), the
    line opening the record or list it starts inside ("block": "14-16 SEPTEMBER 2024 - PORTO, 2 NIGHTS")."""
    release = release_at(document.headings, start)
    found: dict[str, str | int] = {"entry": entry_at(document.text, start), "sender": sender_at(document.text, start)}
    nesting = document.text[document.text.rfind("\n", 0, start) + 1:start]
    if not nesting.strip() and (block := block_heading(document.text, start)):  # a chunk starting on a row
        found.update(block=block, block_indent=len(nesting))  # the blanks its text starts without
    if release is not None and document.text.startswith(release.text, release.start):  # where a citation can point
        found.update(release=release.text, release_start=release.start)
        if document.pages:  # a PDF's outline heading may sit pages before the line
            found["release_page"] = document.page_at(release.start)
    return {key: value for key, value in found.items() if value != ""}


def _clean_cut(text: str, position: int) -> bool:
    """A cut here leaves both sides tokenized as they were in context (a word or punctuation boundary)."""
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    return before.isspace() or after.isspace() or not before.isalnum() or not after.isalnum()


def _heads_what_follows(text: str, before: Span, line: Span) -> bool:
    """Whether `line` is a heading: a short unpunctuated line of its own, opening like a title ("2. Fees", "[2.0.0] -
    2025-10-26") over a blank line, or in capitals ("FLIGHTS", "5-7 MAY 2024 - IONA, 2 NIGHTS" over its rows); not a
    row of a list or form ("Room: 1 x Double"), nor code ("#define CHUNK 16384", "x = 3")."""
    words = text[line.start:line.end]
    after = text[line.end:line.end + 3].replace("\r", "")
    return "\n" in text[before.end:line.start] and (after[:2] == "\n\n" or after[:1] == "\n" and words.isupper()) \
        and title_shaped(words) and (words[0].isupper() or words[0].isdigit() or words[0] == "[")


class Chunker:
    """Packs whole sentences into chunks of at most `max_tokens`; a chunk cut inside a paragraph repeats up to
    `overlap` tokens of its last sentences at the start of the next one."""

    def __init__(self, token_offsets: TokenOffsets, max_tokens: int, overlap: int) -> None:
        if max_tokens < 1:
            raise ValueError(f"chunk size must be at least one token, got {max_tokens}")
        if not 0 <= overlap < max_tokens:
            raise ValueError(f"chunk overlap ({overlap}) must be between 0 and the chunk size ({max_tokens})")
        self._token_offsets = token_offsets
        self.max_tokens = max_tokens
        self.overlap = overlap

    def spans(self, text: str, ranges: Sequence[tuple[int, int]], *, line_paragraphs: bool = False) -> list[tuple[int, int, int]]:
        """(start, end, tokens) of each chunk. `line_paragraphs`: every line is a paragraph (extracted HTML)."""
        out: list[tuple[int, int, int]] = []
        for start, end in merge_ranges(text, ranges):
            for chunk in self._pack(text, self._sentences(text, start, end), line_paragraphs):
                out.extend(self._fit(text, chunk))
        return out

    # Sentences with token counts ---------------------------------------------------------
    def _sentences(self, text: str, start: int, end: int) -> list[Span]:
        sentences: list[Span] = []
        pending = sentence_spans(text, start, end)
        i = 0
        while i < len(pending):
            # One tokenizer call per window of whole sentences: fast, and bounded in memory.
            j, window_start = i, pending[i][0]
            while j < len(pending) and (j == i or pending[j][1] - window_start <= _WINDOW_CHARS):
                j += 1
            window_end = pending[j - 1][1]
            starts = [window_start + s for s, _ in self._token_offsets(text[window_start:window_end])]
            for s, e in pending[i:j]:
                first, last = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
                if last - first <= self.max_tokens:
                    sentences.append(Span(s, e, max(last - first, 1)))
                else:
                    sentences.extend(self._split_long(text, s, e, starts[first:last]))
            i = j
        return sentences

    def _split_long(self, text: str, start: int, end: int, token_starts: list[int]) -> list[Span]:
        """An overlong "sentence" (a table, a code block, a URL dump): cut at word boundaries, else between tokens."""
        pieces: list[Span] = []
        i, piece_start = 0, start
        while i < len(token_starts):
            limit = i + self.max_tokens
            if limit >= len(token_starts):
                cut_index, piece_end = len(token_starts), end
            else:
                cut_index = next((k for k in range(limit, i, -1) if _clean_cut(text, token_starts[k])), limit)
                piece_end = token_starts[cut_index]
            trimmed: list[tuple[int, int]] = []
            append_trimmed(text, piece_start, piece_end, trimmed)
            clean = _clean_cut(text, piece_start) and _clean_cut(text, piece_end)
            pieces.extend(Span(a, b, cut_index - i, clean) for a, b in trimmed)
            i, piece_start = cut_index, piece_end
        return pieces

    # Packing -----------------------------------------------------------------------------
    def _pack(self, text: str, sentences: list[Span], line_paragraphs: bool) -> list[Span]:
        chunks: list[Span] = []
        i = 0
        while i < len(sentences):
            j, used = i, 0
            while j < len(sentences) and used + sentences[j].tokens <= self.max_tokens:
                used += sentences[j].tokens
                j += 1
            j = max(j, i + 1)
            while j < len(sentences) and j - 1 > i and _heads_what_follows(text, sentences[j - 2], sentences[j - 1]) and \
                    used - sentences[j - 1].tokens >= self.max_tokens // 4:  # not at the cost of a chunk left near empty
                j -= 1  # a heading goes with the text it heads ("YOUR APPOINTMENT" over the date), not the chunk before
                used -= sentences[j].tokens
            clean = all(s.clean for s in sentences[i:j])
            chunks.append(Span(sentences[i].start, sentences[j - 1].end, max(used, sentences[i].tokens), clean))
            if j >= len(sentences):
                break
            gap = text[sentences[j - 1].end : sentences[j].start]
            if gap.count("\n") >= 2 or (line_paragraphs and "\n" in gap):
                i = j  # a chunk ending with its paragraph needs no overlap: nothing is cut mid-thought
                continue
            # Step back over trailing sentences that fit in the overlap budget, but always advance.
            back, carried = j, 0
            while back - 1 > i and carried + sentences[back - 1].tokens <= self.overlap:
                back -= 1
                carried += sentences[back].tokens
            if back == j and back - 1 > i and _ANAPHORIC.match(text, sentences[j].start) and \
                    sentences[j - 1].tokens <= self.max_tokens // 2:
                back -= 1  # past the overlap budget: the pronoun's sentence is read with its antecedent
            i = back
        return chunks

    def _fit(self, text: str, chunk: Span) -> list[tuple[int, int, int]]:
        """A chunk holding a mid-word cut is re-tokenized alone and split again if the model would truncate it."""
        if chunk.clean:
            return [(chunk.start, chunk.end, chunk.tokens)]
        offsets = self._token_offsets(text[chunk.start : chunk.end])
        if len(offsets) <= self.max_tokens:
            return [(chunk.start, chunk.end, max(len(offsets), 1))]
        middle = chunk.start + offsets[len(offsets) // 2][0]
        halves: list[tuple[int, int]] = []
        append_trimmed(text, chunk.start, middle, halves)
        append_trimmed(text, middle, chunk.end, halves)
        return [piece for a, b in halves for piece in self._fit(text, Span(a, b, 0, False))]

    def chunk(self, document: Document, ranges: Sequence[tuple[int, int]], metadata: dict | None = None) -> list[Chunk]:
        """Chunks of the kept ranges; each one's metadata["tokens"] is its length in the model's tokens."""
        chunks = []
        # Text extracted from HTML has one block per line, so a line break there ends a paragraph.
        line_paragraphs = document.kind == "html"
        if document.pages:  # a chunk never crosses a page break, so its page is the page of all its text
            spans = [span for page in document.pages
                     for span in self.spans(document.text, _clip(ranges, page.start, page.end), line_paragraphs=line_paragraphs)]
        else:
            spans = self.spans(document.text, ranges, line_paragraphs=line_paragraphs)
        for index, (start, end, tokens) in enumerate(spans):
            text = document.text[start:end]
            digest = hashlib.sha256(f"{document.id}|{start}|{end}|{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
            chunks.append(
                Chunk(
                    id=digest, doc_id=document.id, source=document.source, index=index, start=start, end=end,
                    text=text, page=document.page_at(start), title=document.title,
                    heading=document.heading_at(start), kind=document.kind, sha256=document.sha256,
                    metadata={**(metadata or {}), "tokens": tokens, **_carried(document, start)},
                )
            )
        return chunks
