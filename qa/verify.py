"""Checks each answer sentence against the passage it cites: scores support, re-points or drops citations, flags the rest."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qa.embedding import Embedder
from qa.models import Citation, Passage
from qa.text import (CITATION_MARKERS, CITATION_MARKERS_AFTER_STOP, STOPWORDS, WORD, clauses, content_stems,
                     instruction_like, sentence_spans, stem, stems)

# A claim is supported when half shared words, half meaning, reach this; verbatim spans score 1.0.
# Calibrated with eval/calibrate.py alongside the abstention threshold.
SUPPORT_THRESHOLD = 0.55
MISSING_FACT_CAP = 0.35  # a claim whose number or name the span lacks cannot count as supported


def key_terms(text: str) -> set[str]:
    """The facts a claim asserts that a supporting span must also contain: numbers and names."""
    from qa.answer_types import names_in

    found = {w for w in WORD.findall(text) if any(ch.isdigit() for ch in w)}
    for name in names_in(text):
        found.update(w for w in WORD.findall(name) if w.lower() not in STOPWORDS)
    return {stem(w) for w in found}


def _units(text: str) -> list[str]:
    """Each clause of each sentence of `text` (a sentence without clauses is one unit)."""
    units = []
    for start, end in sentence_spans(text, 0, len(text)):
        sentence = text[start:end]
        units.extend(sentence[a:b] for a, b in clauses(sentence) or [(0, len(sentence))])
    return units


def scattered_facts(claim: str, span: str) -> bool:
    """True when facts the claim states together (a name and its number) sit apart in the span.

    "The range of the ATACMS is 50 miles" against "Himars have a 50-mile range, but ... the 190-mile
    ATACMS ..." has both facts in the sentence, in different clauses: that is a mixed-up claim.
    """
    span_units = [stems(unit) for unit in _units(span)]
    for part in _units(claim):
        keys = key_terms(part)
        if len(keys) >= 2 and not any(keys <= unit for unit in span_units):
            return True
    return False


class VectorCache:
    """Embeddings of short texts, remembered so that passages seen again cost nothing to re-score."""

    def __init__(self, embedder: Embedder, capacity: int = 8192) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embedder.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        with self._lock:
            for text in texts:
                self._vectors.move_to_end(text)
            if not texts:
                return np.zeros((0, getattr(self.embedder, "dimension", 0)), dtype=np.float32)
            return np.stack([self._vectors[t] for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@dataclass(frozen=True)
class Support:
    """How well one span of a passage supports a claim; offsets are document offsets."""

    score: float
    lexical: float
    semantic: float
    start: int
    end: int
    text: str
    missing: tuple[str, ...] = ()


def windows(passage: Passage) -> list[tuple[int, int]]:
    """Candidate spans of a passage (chunk-relative): each sentence and each pair of neighbours."""
    text = passage.chunk.text
    spans = [s for s in sentence_spans(text, 0, len(text)) if not instruction_like(text[s[0]:s[1]])]
    pairs = [(a[0], b[1]) for a, b in zip(spans, spans[1:])]
    return spans + pairs


def support_score(lexical: float, semantic: float, missing: int) -> float:
    score = 0.5 * lexical + 0.5 * max(semantic, 0.0)
    return min(score, MISSING_FACT_CAP) if missing else score


def best_support(claim: str, passage: Passage, vectors: VectorCache, shortlist: int = 3) -> Support | None:
    """The span of `passage` that best supports `claim`: lexical first, meaning for the few best."""
    words = content_stems(claim)
    keys = key_terms(claim)
    text = passage.chunk.text
    scored = []
    for start, end in windows(passage):
        span_stems = stems(text[start:end])
        lexical = len(words & span_stems) / len(words) if words else 0.0
        missing = tuple(sorted(keys - span_stems))
        if not missing and len(keys) >= 2 and scattered_facts(claim, text[start:end]):
            missing = ("(facts-in-different-clauses)",)
        # Prefer single sentences over pairs when equally good: a citation should be as short as it can be.
        scored.append((lexical - 0.5 * len(missing) / max(len(keys), 1) - 0.0005 * (end - start), start, end,
                       lexical, missing))
    if not scored:
        return None
    scored.sort(reverse=True)
    top = scored[:shortlist]
    spans = [text[s:e] for _, s, e, _, _ in top]
    sims = vectors.embed(spans) @ vectors.query(claim)
    best = None
    for (_, start, end, lexical, missing), sim in zip(top, sims):
        score = support_score(lexical, float(sim), len(missing))
        if best is None or score > best.score + 1e-9:
            chunk = passage.chunk
            best = Support(round(score, 4), round(lexical, 4), round(float(sim), 4), chunk.start + start,
                           chunk.start + end, text[start:end], missing)
    return best


SHORT_CLAIM_WORDS = 14


def verbatim_support(claim: str, passage: Passage) -> Support | None:
    """A short answer ("190-mile", "James Cartlidge", "Because the river silted up") copied word for word
    from one sentence of the passage is supported by that sentence; longer claims are scored as usual."""
    core = claim.strip().rstrip(".!?").strip()
    if not core or len(core.split()) > SHORT_CLAIM_WORDS:
        return None
    text = passage.chunk.text
    variants = (core, core[0].lower() + core[1:])
    for start, end in sentence_spans(text, 0, len(text)):
        sentence = text[start:end]
        if instruction_like(sentence):
            continue
        if any(re.search(rf"(?<!\w){re.escape(v)}(?!\w)", sentence) for v in variants):
            chunk = passage.chunk
            return Support(1.0, 1.0, 1.0, chunk.start + start, chunk.start + end, sentence)
    return None


@dataclass(frozen=True)
class Verification:
    """An answer after checking: its text keeps only supported sentences, each with renumbered markers."""

    text: str
    citations: tuple[Citation, ...]
    flags: tuple[str, ...]
    supported_sentences: int
    unsupported_sentences: int

    @property
    def supported(self) -> bool:
        return self.supported_sentences > 0

    @property
    def mean_support(self) -> float | None:
        scores = [c.support for c in self.citations if c.support is not None]
        return sum(scores) / len(scores) if scores else None


def claims(text: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences with the passage numbers each cites; markers after the full stop move before it."""
    text = CITATION_MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text.strip())
    out = []
    for start, end in sentence_spans(text, 0, len(text)):
        sentence = text[start:end]
        numbers = [int(n) for group in CITATION_MARKERS.findall(sentence) for n in re.split(r"\s*[,;]\s*", group)]
        claim = re.sub(r"\s+([.!?,;:])(?=\s|$)", r"\1", CITATION_MARKERS.sub("", sentence)).strip()
        if claim or numbers:
            out.append((claim, numbers))
    return out


def verify(answer: str, passages: Sequence[Passage], vectors: VectorCache,
           threshold: float = SUPPORT_THRESHOLD) -> Verification:
    """Check every sentence of `answer` against the passages its [n] markers name (1-based)."""
    flags: list[str] = []
    kept: list[str] = []
    citations: list[Citation] = []
    marker_of: dict[tuple[int, int, int], int] = {}
    supported = unsupported = 0
    for claim, numbers in claims(answer):
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(passages)]
        if len(valid) < len(set(numbers)):
            flags.append("citation-out-of-range-removed")
        verbatim = [(n, s) for n in valid if (s := verbatim_support(claim, passages[n - 1]))]
        if len(content_stems(claim)) < 2 and not key_terms(claim) and not verbatim:
            if claim and not valid:
                kept.append(claim)  # "Yes." or a lead-in: nothing to check, nothing to cite
            continue
        found = verbatim or [(n, s) for n in valid
                             if (s := best_support(claim, passages[n - 1], vectors)) and s.score >= threshold]
        if not found:
            others = [(n, best_support(claim, p, vectors)) for n, p in enumerate(passages, start=1) if n not in valid]
            others = [(n, s) for n, s in others if s is not None and s.score >= threshold]
            if others:
                found = [max(others, key=lambda item: item[1].score)]
                flags.append("citation-corrected" if valid else "citation-added")
        if not found:
            unsupported += 1
            flags.append("unsupported-sentence")
            continue
        markers = []
        for n, support in found:
            key = (n, support.start, support.end)
            if key not in marker_of:
                marker_of[key] = len(marker_of) + 1
                passage = passages[n - 1]
                citations.append(Citation(n=marker_of[key], source=passage.source, start=support.start,
                                          end=support.end, text=support.text, passage=n - 1,
                                          page=passage.chunk.page, support=support.score))
            markers.append(marker_of[key])
        supported += 1
        kept.append(_with_markers(claim, markers))
    if unsupported and citations:
        flags.append("unsupported-sentence-removed")
    return Verification(" ".join(kept).strip(), tuple(citations), tuple(dict.fromkeys(flags)),
                        supported, unsupported)


def _with_markers(claim: str, markers: Sequence[int]) -> str:
    tags = "".join(f"[{m}]" for m in sorted(set(markers)))
    if claim and claim[-1] in ".!?":
        return f"{claim[:-1]} {tags}{claim[-1]}"
    return f"{claim} {tags}"
