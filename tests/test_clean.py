"""Cleaning picks ranges to index: it drops site chrome and collection-wide boilerplate, keeps every body sentence, never edits text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import kept_ranges, line_key, repeated_lines
from ingest.loaders import load_file

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_4c9570219aa1637c.txt"
PROSE = [
    "The council voted on Tuesday to extend the cycle lane along the river by another two miles.",
    "Residents had asked for safer routes to school after a series of accidents near the bridge last winter.",
    "Work is expected to start in the spring and to cost about four million pounds in total.",
]


def kept_text(text: str, ranges: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end] for start, end in ranges]


def covered(ranges: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def kept_lines(text: str, ranges: tuple[tuple[int, int], ...]) -> list[str]:
    return [line.strip() for chunk in kept_text(text, ranges) for line in chunk.splitlines() if line.strip()]


# ---------------------------------------------------------------- the real seed


def test_seed_article_keeps_every_body_line_and_drops_the_mastodon_chrome() -> None:
    text = load_file(SEED).text
    ranges = kept_ranges(text, "txt")
    lines = [line for line in text.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if line.startswith("Biden allows Ukraine to use long-range missiles"))
    last = next(i for i, line in enumerate(lines) if line.startswith("James Cartlidge, the shadow defence secretary"))
    body = lines[first : last + 1]
    assert len(body) >= 20  # the headline, every paragraph, the closing quote
    for line in body:
        start = text.index(line)
        assert covered(ranges, start, start + len(line)), f"body line not kept: {line[:60]!r}"
    for chunk in kept_text(text, ranges):
        assert "Sign in to participate in the conversation" not in chunk
        assert "Qoto Mastodon" not in chunk
        assert "Follow" not in [line.strip() for line in chunk.splitlines()]
        assert "QOTO: Question Others to Teach Ourselves" not in chunk


# ---------------------------------------------------------------- the mechanism generalises


def test_synthetic_scraped_page_loses_its_chrome_at_both_edges() -> None:
    text = (
        "Log in\nShare\nSubscribe\n\nCycle Lane Extended\n\n"
        + "\n\n".join(PROSE)
        + "\n\nShare this article\nFollow us on Twitter\n© 2024 Riverside News. All rights reserved.\nCookie settings\n"
    )
    ranges = kept_ranges(text, "txt")
    assert kept_lines(text, ranges) == ["Cycle Lane Extended", *PROSE]
    assert text[ranges[0][0] :].startswith("Cycle Lane Extended")
    assert text[: ranges[-1][1]].endswith(PROSE[-1])


def test_navigation_bar_and_footer_lines_are_chrome() -> None:
    text = "Home | News | Sport | Weather | Sign in\n\n" + "\n".join(PROSE) + "\n\nTerms of use · Privacy policy · Contact us\n"
    assert kept_lines(text, kept_ranges(text, "html")) == PROSE


def test_a_headline_using_a_chrome_word_is_kept_in_the_title_slot() -> None:
    text = "Follow\n\nFollow the Money\n\n" + "\n\n".join(PROSE)
    assert kept_lines(text, kept_ranges(text, "txt")) == ["Follow the Money", *PROSE]


def test_repeated_footer_across_a_collection_is_caught_and_dropped() -> None:
    footers = [f"Powered by RiverCMS — © {year} Riverside Trust" for year in (2021, 2022, 2023, 2024)]
    documents = [f"{PROSE[i % 3]}\nA line only document {i} has about item {'abcd'[i]}.\n{footers[i]}\n" for i in range(4)]
    boilerplate = repeated_lines(documents)
    assert line_key(footers[0]) in boilerplate
    assert not any("only document" in key for key in boilerplate)
    for i, document in enumerate(documents):
        lines = kept_lines(document, kept_ranges(document, "pdf", boilerplate_lines=boilerplate))
        assert lines == [PROSE[i % 3], f"A line only document {i} has about item {'abcd'[i]}."]


def test_repeated_lines_needs_enough_documents_and_share() -> None:
    assert repeated_lines(["shared footer\nA", "shared footer\nB"]) == frozenset()  # fewer than min_docs
    assert repeated_lines(["shared footer"] * 3 + ["one", "two", "three", "four"]) == frozenset()  # 3 of 7 is under half
    assert repeated_lines(["shared footer"] * 3 + ["one", "two", "three"]) == frozenset({"shared footer"})


def test_a_document_that_is_mostly_shared_lines_is_a_near_copy_and_kept_whole() -> None:
    draft = "\n".join(PROSE) + "\nDraft three."
    boilerplate = repeated_lines([draft, draft.replace("three", "one"), draft.replace("three", "two")])
    assert line_key(PROSE[0]) in boilerplate
    assert kept_lines(draft, kept_ranges(draft, "txt", boilerplate_lines=boilerplate)) == [*PROSE, "Draft three."]


def test_a_short_note_of_short_lines_is_kept_whole() -> None:
    note = "\n Shopping\nMilk\nShare with Anna\nFollow up with the plumber\nLog in to the bank \n\n"
    assert kept_ranges(note, "txt") == ((note.index("Shopping"), note.index("bank") + len("bank")),)


def test_markdown_lists_and_headings_survive_at_the_edges() -> None:
    text = "# Meeting\n- Share the slides\n- Follow up with Bob\n\n" + "\n\n".join(PROSE) + "\n\n- Subscribe the team to the list\n"
    assert kept_lines(text, kept_ranges(text, "md")) == ["# Meeting", "- Share the slides", "- Follow up with Bob", *PROSE, "- Subscribe the team to the list"]


def test_chrome_outweighing_the_prose_is_not_trimmed() -> None:
    short_prose = "We met at noon and agreed on the plan."
    text = "Log in to read the whole piece\nShare on Facebook\n" + short_prose + "\nComments\nReply\n"
    assert kept_ranges(text, "txt") == ((0, len(text.rstrip())),)
    longer = text.replace(short_prose, PROSE[0])  # now the body outweighs the chrome around it
    assert kept_lines(longer, kept_ranges(longer, "txt")) == [PROSE[0]]


def test_paginated_and_word_documents_keep_their_edges() -> None:
    text = "Share\n\n" + "\n".join(PROSE) + "\nSubscribe\n"
    for kind in ("pdf", "docx"):
        assert kept_ranges(text, kind) == ((0, len(text.rstrip())),)
    assert kept_lines(text, kept_ranges(text, "txt")) == PROSE


def test_plain_prose_is_one_range_trimmed_of_whitespace() -> None:
    text = "\n\n  " + "\r\n".join(PROSE) + "  \n\n"
    ranges = kept_ranges(text, "txt")
    assert ranges == ((4, len(text) - 4),)
    assert text[ranges[0][0] : ranges[0][1]] == "\r\n".join(PROSE)


def test_short_sentences_using_chrome_words_are_content() -> None:
    text = "\n".join(PROSE) + "\nShare the cake with friends.\nFollow the recipe exactly!\nSign in to participate\n"
    assert kept_lines(text, kept_ranges(text, "txt")) == [*PROSE, "Share the cake with friends.", "Follow the recipe exactly!"]


def test_chrome_in_the_middle_of_the_body_is_left_alone() -> None:
    text = PROSE[0] + "\nComments\n" + PROSE[1]
    assert kept_ranges(text, "txt") == ((0, len(text)),)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("© 2023 Example Corp.  All Rights Reserved", "Example corp — all rights reserved (2024)"),
        ("Page 3 of 10", "PAGE 11 OF 12"),
        ("  Sign in\tto comment ", "sign in to comment!"),
    ],
)
def test_line_key_ignores_case_digits_punctuation_and_spacing(a: str, b: str) -> None:
    assert line_key(a) == line_key(b) != ""


def test_line_key_keeps_words_apart() -> None:
    assert line_key("Terms of use") != line_key("Terms of sale")


# ---------------------------------------------------------------- properties

FUZZ = settings(max_examples=60, deadline=None)
CHROME_PIECES = ["Follow", "Share", "Log in", "Sign in to comment", "Home | News", "© 2024 Example", "# Heading", "- item"]
LINE_TEXT = st.one_of(st.sampled_from(CHROME_PIECES + PROSE), st.text(max_size=80))
DOCUMENT = st.lists(st.tuples(LINE_TEXT, st.sampled_from(["\n", "\r\n", "\r", "\n\n", " ", "\u2028"])), max_size=30).map(
    lambda parts: "".join(line + sep for line, sep in parts)
)


@FUZZ
@given(text=DOCUMENT, kind=st.sampled_from(["txt", "md", "html", "pdf", "docx"]), shared=st.lists(LINE_TEXT, max_size=4))
def test_kept_ranges_are_ordered_trimmed_and_in_bounds(text: str, kind: str, shared: list[str]) -> None:
    ranges = kept_ranges(text, kind, boilerplate_lines=frozenset(line_key(line) for line in shared))
    cursor = 0
    for start, end in ranges:
        assert cursor <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        # ranges hold whole lines: only whitespace between a range edge and the nearest line break
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        line_end = min((i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0), default=len(text))
        assert not text[line_start:start].strip() and not text[end:line_end].strip()
        cursor = end
    if kind in ("pdf", "docx") and not shared:  # nothing to drop: the whole text, trimmed, in one range
        stripped = text.strip()
        assert ranges == (((text.index(stripped), text.index(stripped) + len(stripped)),) if stripped else ())


@FUZZ
@given(documents=st.lists(DOCUMENT, max_size=6))
def test_repeated_lines_are_keys_found_in_enough_documents(documents: list[str]) -> None:
    found = repeated_lines(documents)
    for key in found:
        holders = sum(key in {line_key(line) for line in document.replace("\r", "\n").split("\n")} for document in documents)
        assert holders >= max(3, len(documents) / 2)
