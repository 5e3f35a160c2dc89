"""Turns a follow-up question into a standalone retrieval query by carrying key terms of recent turns."""

from __future__ import annotations

import re
from typing import Sequence

from qa.lexical import STOPWORDS

_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_REFERRING = frozenset(
    "it its they their them theirs this that these those he him his she her hers there such the same one ones "
    "former latter".split()
)
_ELLIPSIS_OPENERS = ("and ", "what about", "how about", "and what", "what of", "same for", "also ", "then ")
_QUESTION_WORDS = frozenset("what which who whom whose when where why how did does do is are was were can could".split())
_GENERIC = frozenset(
    "range name names number many much long far date year time people person thing things say said tell "
    "happen happened mean means kind type".split()
)


def content_terms(text: str) -> list[str]:
    out: dict[str, None] = {}
    for word in _WORD.findall(text):
        lowered = word.lower().strip("'’-")
        if lowered and lowered not in STOPWORDS and lowered not in _QUESTION_WORDS and lowered not in _REFERRING:
            out.setdefault(word.strip("'’-"), None)
    return list(out)


def entity_terms(text: str) -> list[str]:
    """Capitalised words not at a sentence start, acronyms and numbers: the terms a follow-up refers back to."""
    found: dict[str, None] = {}
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            bare = word.strip("'’-")
            if any(ch.isdigit() for ch in bare) or (bare.isupper() and len(bare) > 1):
                found.setdefault(bare, None)
            elif bare[:1].isupper() and (i > 0 or bare.lower() not in STOPWORDS | _QUESTION_WORDS) and bare.lower() not in STOPWORDS:
                found.setdefault(bare, None)
    return list(found)


def is_follow_up(question: str) -> bool:
    """A question that points back (pronouns, ellipsis) or is too bare to retrieve on its own."""
    lowered = question.lower().strip()
    words = [w.lower() for w in _WORD.findall(question)]
    if any(lowered.startswith(o) for o in _ELLIPSIS_OPENERS):
        return True
    if any(w in _REFERRING - {"the", "one", "ones", "same"} for w in words):
        own_entities = [e for e in entity_terms(question) if e.lower() not in _QUESTION_WORDS]
        return not own_entities or len(content_terms(question)) <= 3
    meaningful = [t for t in content_terms(question) if t.lower() not in _GENERIC]
    return len(meaningful) == 0


def rewrite_query(question: str, history: Sequence[dict[str, str]] | None, max_turns: int = 2) -> str:
    """The question itself if it stands alone; otherwise the question plus weighted terms of recent turns.

    Terms of the latest user turn come first and are repeated (BM25 and the embedding both weigh them
    up); entities of the latest assistant answer follow; older turns add their entities once.
    """
    if not history or not is_follow_up(question):
        return question
    own = {t.lower() for t in content_terms(question)}
    carried: list[str] = []
    users = [m["content"] for m in history if m.get("role") == "user"][-max_turns:]
    assistants = [m["content"] for m in history if m.get("role") == "assistant"][-1:]
    if users:
        last = users[-1]
        carried += entity_terms(last) * 2 + content_terms(last)
    for text in assistants:
        carried += entity_terms(_strip_markers(text))[:6]
    for text in users[:-1]:
        carried += entity_terms(text)
    seen: set[str] = set()
    extra: list[str] = []
    for term in carried:
        key = term.lower()
        if key in own:
            continue
        if key in seen and carried.count(term) < 2:
            continue
        if key in seen and extra.count(term) >= 2:
            continue
        seen.add(key)
        extra.append(term)
    return f"{question} {' '.join(extra)}".strip() if extra else question


def _strip_markers(text: str) -> str:
    return re.sub(r"\[\d+\]", "", text)
