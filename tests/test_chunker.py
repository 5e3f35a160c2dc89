"""Chunker invariants: exact offsets, token budget, order, sentence boundaries and full coverage of kept text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunker import _ANAPHORIC, Chunker
from qa.text import sentence_spans
from qa.models import Document, PageSpan

_WS_TOKEN = re.compile(r"\S+")


def whitespace_tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WS_TOKEN.finditer(text)]


def _doc(text: str, pages: tuple[PageSpan, ...] = ()) -> Document:
    return Document(id="d1", source="d1.txt", path="/d1.txt", sha256="0", kind="pdf" if pages else "txt",
                    text=text, pages=pages)


def check_invariants(chunker: Chunker, token_offsets, document: Document, ranges) -> list:
    """Every property the chunker promises, asserted on one document; returns the chunks."""
    text = document.text
    chunks = chunker.chunk(document, ranges)
    kept = [False] * len(text)
    for start, end in ranges:
        kept[start:end] = [True] * (end - start)
    covered = [False] * len(text)
    previous_start = -1
    for index, chunk in enumerate(chunks):
        assert chunk.index == index
        assert text[chunk.start : chunk.end] == chunk.text, "offsets must be exact"
        assert chunk.text and chunk.text == chunk.text.strip()
        assert chunk.start > previous_start, "chunks come in document order"
        previous_start = chunk.start
        assert len(token_offsets(chunk.text)) <= chunker.max_tokens, "no chunk may exceed the model's budget"
        assert chunk.metadata["tokens"] == max(len(token_offsets(chunk.text)), 1), "token count is exact"
        for i in range(chunk.start, chunk.end):
            covered[i] = True
            assert kept[i] or text[i].isspace(), f"chunk reaches outside the kept ranges at {i}"
    missing = [i for i, ch in enumerate(text) if kept[i] and not ch.isspace() and not covered[i]]
    assert not missing, f"kept text not in any chunk: {text[missing[0]:missing[0] + 30]!r}"
    return chunks


# Text made of words, sentence ends, line breaks, blank lines and the occasional very long "word".
_word = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü0123456789-'", min_size=1, max_size=9),
    st.text(alphabet="xyz/:.", min_size=20, max_size=60),
)
_separator = st.sampled_from([" ", " ", " ", ". ", "! ", "? ", ".\n", "\n", "\n\n", " \t", ", ", "… "])


@st.composite
def documents_with_ranges(draw):
    words = draw(st.lists(_word, min_size=0, max_size=400))
    seps = draw(st.lists(_separator, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    if draw(st.booleans()) or len(cuts) < 2:
        ranges = [(0, len(text))] if text else []
    else:  # every other interval between random cut points is kept
        ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if b > a]
    return text, ranges


@given(documents_with_ranges(), st.integers(1, 40), st.integers(0, 39))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_text_chunks_are_exact_within_budget_ordered_and_complete(case, size, overlap):
    text, ranges = case
    overlap = min(overlap, size - 1)
    chunker = Chunker(whitespace_tokens, size, overlap)
    chunks = check_invariants(chunker, whitespace_tokens, _doc(text), ranges)
    for before, after in zip(chunks, chunks[1:]):
        shared = text[after.start : before.end] if after.start < before.end else ""
        carried = len(whitespace_tokens(shared))
        # Past the budget only to carry the one sentence a pronoun-led sentence needs, at most half a chunk.
        assert carried <= overlap or carried <= size // 2 and _ANAPHORIC.match(text[before.end:].lstrip()) is not None, \
            "overlap stays within its budget"


@given(st.lists(st.sampled_from(["Alpha beta gamma.", "Delta epsilon zeta eta theta.", "Iota kappa!", "Lambda mu nu xi?"]),
                min_size=1, max_size=60))
@settings(max_examples=100, deadline=None)
def test_chunks_start_and_end_on_sentence_boundaries(sentences):
    text = " ".join(sentences)
    spans = sentence_spans(text, 0, len(text))
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for chunk in Chunker(whitespace_tokens, 12, 4).chunk(_doc(text), [(0, len(text))]):
        assert chunk.start in starts and chunk.end in ends, chunk.text


def test_overlap_carries_whole_trailing_sentences():
    text = "One two three. Four five six. Seven eight nine. Ten eleven twelve."
    chunks = Chunker(whitespace_tokens, 6, 3).chunk(_doc(text), [(0, len(text))])
    assert [c.text for c in chunks] == [
        "One two three. Four five six.", "Four five six. Seven eight nine.", "Seven eight nine. Ten eleven twelve.",
    ]


def test_a_sentence_opening_with_a_pronoun_keeps_the_sentence_before_it():
    text = ("Revenue rose in every region we serve. Owen Palliser joined us as finance chief in September. "
            "He succeeds Rhona Keddie, who retired. Costs fell sharply.")
    chunks = Chunker(whitespace_tokens, 18, 2).chunk(_doc(text), [(0, len(text))])
    assert [c.text for c in chunks] == [
        "Revenue rose in every region we serve. Owen Palliser joined us as finance chief in September.",
        "Owen Palliser joined us as finance chief in September. He succeeds Rhona Keddie, who retired. Costs fell "
        "sharply.",
    ]
    plain = text.replace("He succeeds", "Ann succeeds")
    assert Chunker(whitespace_tokens, 18, 2).chunk(_doc(plain), [(0, len(plain))])[1].text.startswith("Ann succeeds")


def test_no_overlap_across_a_paragraph_break():
    text = "One two three. Four five six.\n\nSeven eight nine. Ten eleven twelve."
    chunks = Chunker(whitespace_tokens, 6, 3).chunk(_doc(text), [(0, len(text))])
    assert [c.text for c in chunks] == ["One two three. Four five six.", "Seven eight nine. Ten eleven twelve."]
    html = Document(id="h", source="h.html", path="/h.html", sha256="0", kind="html", text=text.replace("\n\n", "\n"))
    assert len(Chunker(whitespace_tokens, 6, 3).chunk(html, [(0, len(html.text))])) == 2, "an HTML line is a paragraph"


def test_overlong_sentence_is_cut_at_word_boundaries():
    text = "word " * 25 + "end."
    chunks = Chunker(whitespace_tokens, 10, 0).chunk(_doc(text), [(0, len(text))])
    assert len(chunks) == 3 and all(len(c.text.split()) <= 10 for c in chunks)
    assert " ".join(c.text for c in chunks).split() == text.split()


def test_pdf_chunks_carry_the_page_they_start_on():
    pages = ["Page one talks about apples. " * 5, "Page two talks about pears. " * 5, "Page three is on plums. " * 5]
    text, spans, cursor = "", [], 0
    for number, page in enumerate(pages, 1):
        body = page.strip()
        text += body + ("\n\n" if number < len(pages) else "")
        spans.append(PageSpan(number, cursor, len(text)))
        cursor = len(text)
    chunks = check_invariants(Chunker(whitespace_tokens, 12, 0), whitespace_tokens, _doc(text, tuple(spans)),
                              [(0, len(text))])
    fruit = {1: "apples", 2: "pears", 3: "plums"}
    assert {c.page for c in chunks} == {1, 2, 3}
    for chunk in chunks:
        assert fruit[chunk.page] in chunk.text


def test_sentence_spans_respect_abbreviations_wrapped_lines_and_paragraphs():
    text = "Dr. Smith met J. Doe, e.g. at noon. Then they left!\nThis line is\nwrapped here.\n\nnew paragraph starts lower."
    assert [text[s:e] for s, e in sentence_spans(text, 0, len(text))] == [
        "Dr. Smith met J. Doe, e.g. at noon.", "Then they left!", "This line is\nwrapped here.",
        "new paragraph starts lower.",
    ]
    cjk = "第一句。第二句！第三句？"
    assert [cjk[s:e] for s, e in sentence_spans(cjk, 0, len(cjk))] == ["第一句。", "第二句！", "第三句？"]


@pytest.mark.parametrize("text,expected", [
    # Hard-wrapped prose whose next line opens with a name or a capital stays one sentence.
    ("   about sed: one in English named \"sed-users\", moderated by Sven\n   Guckes; and one in Portuguese.",
     ["about sed: one in English named \"sed-users\", moderated by Sven\n   Guckes; and one in Portuguese."]),
    ("Node.js is available under the\nMIT License. It also ships libraries.",
     ["Node.js is available under the\nMIT License.", "It also ships libraries."]),
    # A headline over an unwrapped paragraph, list items and table rows are still separate.
    ("Biden allows Ukraine to use long-range missiles to strike inside Russia\n" + "The US president signs off " * 8,
     ["Biden allows Ukraine to use long-range missiles to strike inside Russia", ("The US president signs off " * 8).strip()]),
    ("Things we keep in the cellar and the attic of the house\n- Apples\n- Pears", ["Things we keep in the cellar and the attic of the house", "- Apples", "- Pears"]),
    ("Name | Role | Started in the year of the great storm\nAda | Keeper | 1901",
     ["Name | Role | Started in the year of the great storm", "Ada | Keeper | 1901"]),
    ("Shopping list\nApples", ["Shopping list", "Apples"]),
    # An interpreter line and a documentation heading (marked by its pilcrow) are lines of their own.
    (">>> make_label(16) 'Pear and plum preserve, jar'\nWhat size should labels be?\u00b6",
     [">>> make_label(16) 'Pear and plum preserve, jar'", "What size should labels be?\u00b6"]),
    ("The labeller prints the name of the jar in large type\nHow big should labels be?\u00b6",
     ["The labeller prints the name of the jar in large type", "How big should labels be?\u00b6"]),
    # A quoted e-mail paragraph is wrapped prose behind its quote marks; a quote's blank line ends its sentence.
    (">> Bad news on Whitby: the Harbour View house we liked is fully booked for\n>> October half-term.\n>>\n>> Marcus",
     [">> Bad news on Whitby: the Harbour View house we liked is fully booked for\n>> October half-term.", ">>",
      ">> Marcus"]),
    ("> Also, re the dinner - I rang the Hare and Lantern in Braithwaite\n> today. They can do nine.",
     ["> Also, re the dinner - I rang the Hare and Lantern in Braithwaite\n> today.", "They can do nine."]),
    (">>> sorted(data, key=len)\n>>> data.sort()", [">>> sorted(data, key=len)", ">>> data.sort()"]),  # prompts
])
def test_a_line_break_before_a_capital_is_a_wrap_only_inside_prose(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text, 0, len(text))] == expected


def test_invalid_sizes_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        Chunker(whitespace_tokens, 10, 10)
    with pytest.raises(ValueError, match="at least one token"):
        Chunker(whitespace_tokens, 0, 0)


# Real tokenizer ---------------------------------------------------------------------------------

_TRICKY = (
    "Tokenization of supercalifragilisticexpialidocious words. "
    + "https://example.org/" + "verylongpathsegment" * 40 + " "
    + "| col | " * 120 + "\n"
    + "Ünïcödé façade naïve café — résumé. " * 20
    + "数据处理非常重要。" * 60 + "\n\n"
    + "x" * 3000 + " tail.\n"
    + "A normal closing sentence. " * 30
)


@pytest.mark.slow
def test_real_tokenizer_never_exceeds_the_model_budget(embedder):
    from tests.conftest import seed_text

    for size, overlap in ((embedder.max_tokens, 32), (160, 32), (40, 8)):
        chunker = Chunker(embedder.token_offsets, size, overlap)
        for text in (seed_text(), _TRICKY):
            chunks = check_invariants(chunker, embedder.token_offsets, _doc(text), [(0, len(text))])
            assert chunks
            # What the model will see, special tokens included, fits its window: nothing is truncated.
            model = getattr(embedder, "loaded", embedder)  # the session's embedder loads lazily
            longest = max(len(model._tokenizer(c.text)["input_ids"]) for c in chunks)
            assert longest <= model._model.max_seq_length


@pytest.mark.slow
@given(documents_with_ranges(), st.integers(8, 60))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_real_tokenizer_random_text(embedder, case, size):
    text, ranges = case
    check_invariants(Chunker(embedder.token_offsets, size, size // 4), embedder.token_offsets, _doc(text), ranges)
