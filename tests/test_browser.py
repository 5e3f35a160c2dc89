"""The web chat in headless Debian Chromium: streaming, citations, uploads, removal, hostile documents, two tabs."""

from __future__ import annotations

import shutil

import pytest

from browser_corpus import (EVIL_FILE_NAME, UPLOAD_FACT_ANSWER, UPLOAD_FACT_QUESTION, XSS_FLAG, XSS_QUESTIONS,
                            write_upload_file, write_xss_corpus)
from browser_page import CHROMIUM, CHROMIUM_ARGS, ChatPage, require_chromium
from browser_server import running_app
from conftest import ROOT, SEEDS, seed_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "tests" / "artifacts"
SEED_QUESTION = "Who criticised the decision as anti-democratic?"
SEED_ANSWER = "David Sacks"
OFF_TOPIC = "What is the boiling point of liquid nitrogen?"


@pytest.fixture(scope="module")
def browser():
    require_chromium()  # first, so a skip costs nothing
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory, embedder):
    """The app over seeds/ and the hostile corpus (ingested as files, so the payload file name stays)."""
    from qa.api import DocQA

    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(SEEDS, base / "seeds")
    write_xss_corpus(base / "xss")
    docqa = DocQA.open(index=base / "index")
    docqa._embedder = embedder
    report = docqa.ingest([base / "seeds", base / "xss"])
    assert report.ok and report.added == 4, report.to_dict()
    with running_app(docqa, max_upload_mb=5) as (_, url):
        yield url
    docqa.close()


@pytest.fixture
def chat(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ChatPage.open(context, app_url)
    yield page
    context.close()
    assert page.external == [], f"the page tried to reach {page.external}"


def test_seed_question_streams_an_answer_whose_citation_opens_the_highlighted_span(chat):
    turn, answer = chat.ask(SEED_QUESTION)
    assert SEED_ANSWER in answer and "[1]" in answer
    assert chat.seen()[0] == "docqa-pending"  # the busy bubble came first, then the answer
    entry = chat.open_citation(turn, 1)
    marked = entry.locator("mark").inner_text()
    assert SEED_ANSWER in marked and marked in seed_text()
    assert entry.locator(".docqa-passage").inner_text().index(marked) >= 0
    assert "000_4c9570219aa1637c.txt" in entry.locator("summary").inner_text()
    chat.screenshot(ARTIFACTS / "chat_citation.png")


def test_abstention_offers_related_passages_and_new_conversation_clears(chat):
    turn, answer = chat.ask(OFF_TOPIC)
    assert "I could not find this in the documents." in answer
    panel = chat.page.locator("#docqa-citations")
    assert "Related passages" in panel.inner_text()
    assert panel.locator("details.docqa-related").count() >= 1
    chat.screenshot(ARTIFACTS / "abstention.png")
    chat.page.click("#docqa-new")
    chat.page.wait_for_function("() => document.querySelectorAll('#docqa-chat [data-testid=bot]').length === 0")
    assert "Related passages" not in panel.inner_text()


def test_example_question_is_asked_on_click(chat):
    example = chat.page.locator("#docqa-examples").get_by_text("What is", exact=False).first
    example.click()
    answer = chat.wait_answer(1)
    assert chat.page.locator("#docqa-chat [data-testid=user]").count() == 1 and answer.strip()


def test_errors_show_the_reason_not_a_traceback(chat):
    chat.tab("Settings")
    chat.page.fill("#docqa-where textarea", "no equals sign")
    chat.tab("Chat")
    turn = chat.submit(SEED_QUESTION)
    chat.page.wait_for_selector("[data-testid=toast-text]")
    assert any("KEY=VALUE" in t for t in chat.toasts())
    assert "Error:" in chat.wait_answer(turn)
    assert "Traceback" not in chat.page.inner_text("body")
    chat.screenshot(ARTIFACTS / "error.png")
    chat.tab("Settings")
    chat.page.fill("#docqa-where textarea", "")
    chat.tab("Chat")
    _, answer = chat.ask(SEED_QUESTION)
    assert SEED_ANSWER in answer


def test_upload_ask_remove(chat, tmp_path):
    fact_file = write_upload_file(tmp_path)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a PDF")
    report = chat.upload([fact_file, broken])
    assert "1 added" in report and "1 failed" in report and "broken.pdf" in report
    assert "upload-progress" in chat.seen()
    assert "port_veyra.txt" in chat.sources_text()
    chat.screenshot(ARTIFACTS / "documents_uploaded.png")

    chat.tab("Chat")
    turn, answer = chat.ask(UPLOAD_FACT_QUESTION)
    assert UPLOAD_FACT_ANSWER in answer
    assert "port_veyra.txt" in chat.open_citation(turn, 1).locator("summary").inner_text()

    removal = chat.remove("port_veyra.txt")
    assert "1 removed" in removal
    assert "port_veyra.txt" not in chat.sources_text()
    chat.tab("Chat")
    _, answer = chat.ask(UPLOAD_FACT_QUESTION)
    assert UPLOAD_FACT_ANSWER not in answer


def test_hostile_documents_show_as_text_and_run_nothing(chat):
    answers, shown = [], []
    for question in XSS_QUESTIONS:
        turn, answer = chat.ask(question)
        assert "Quillon Bay" in answer, (question, answer)
        answers.append(answer)
        shown.append(chat.open_citation(turn, 1).inner_text())
    for needle in XSS_QUESTIONS.values():  # every payload was on screen, as text
        assert any(needle in text for text in answers + shown), needle
    assert sum(any(n in a for n in XSS_QUESTIONS.values() if n.startswith("<")) for a in answers) >= 2, answers
    assert "<script>window." in chat.page.locator("#docqa-citations").text_content()  # folded turns included
    chat.screenshot(ARTIFACTS / "xss_chat.png")

    chat.tab("Documents")
    chat.page.wait_for_function("(name) => document.querySelector('#docqa-sources').innerText.includes(name)",
                                arg=EVIL_FILE_NAME)
    box = chat.page.locator("#docqa-remove-choice input")
    box.click()
    box.fill("onerror")
    assert chat.page.locator("#docqa-remove-choice [data-testid=dropdown-option]", has_text=EVIL_FILE_NAME).count() == 1
    box.press("Escape")
    chat.screenshot(ARTIFACTS / "xss_documents.png")

    chat.tab("Settings")
    collection = chat.page.locator("#docqa-collection input")
    collection.fill(f"<img src=x onerror=window.{XSS_FLAG}='toast'>")
    collection.press("Enter")
    chat.page.wait_for_selector("[data-testid=toast-text]")
    assert any("<img src=x onerror=" in t for t in chat.toasts())

    chat.page.wait_for_timeout(500)  # let any late handler fire before the verdict
    assert chat.flag() is None
    assert chat.dialogs == []
    assert chat.page.locator("#docqa-chat img, #docqa-citations img, #docqa-sources img, "
                             "[data-testid=toast-text] img").count() == 0


def test_two_sessions_at_once_keep_their_own_conversations(browser, app_url):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        first, second = (ChatPage.open(c, app_url) for c in contexts)
        questions = [SEED_QUESTION, "Who is Keir Starmer?"]
        turns = [first.submit(questions[0]), second.submit(questions[1])]  # both in flight together
        answers = [first.wait_answer(turns[0]), second.wait_answer(turns[1])]
        assert SEED_ANSWER in answers[0] and "Starmer" in answers[1]
        chats = [p.page.inner_text("#docqa-chat") for p in (first, second)]
        assert questions[0] in chats[0] and questions[1] not in chats[0]
        assert questions[1] in chats[1] and questions[0] not in chats[1]
        first.screenshot(ARTIFACTS / "session_a.png")
        second.screenshot(ARTIFACTS / "session_b.png")

        first.page.click("#docqa-new")
        first.page.wait_for_function("() => document.querySelectorAll('#docqa-chat [data-testid=bot]').length === 0")
        _, follow_up = second.ask("What is he in favour of?")  # the other tab's history is intact
        assert "Storm Shadow" in follow_up
        assert second.bubbles().count() == 2
        assert first.external == [] and second.external == []
    finally:
        for context in contexts:
            context.close()


def test_saved_conversation_resumes_from_the_sidebar_and_exports(chat):
    turn, answer = chat.ask(SEED_QUESTION)
    assert SEED_ANSWER in answer
    # the answered conversation is saved and becomes the sidebar's selection
    chat.page.wait_for_function("([q]) => document.querySelector('#docqa-saved input')?.value === q", arg=[SEED_QUESTION])
    chat.page.click("#docqa-new")
    chat.page.wait_for_function("() => document.querySelectorAll('#docqa-chat [data-testid=bot]').length === 0")
    chat.page.click("#docqa-saved-open")
    chat.page.wait_for_function("() => document.querySelectorAll('#docqa-chat [data-testid=bot]').length === 1")
    assert SEED_ANSWER in chat.bubbles().nth(0).inner_text()
    marked = chat.open_citation(1, 1).locator("mark").inner_text()  # the citations came back with the answer
    assert SEED_ANSWER in marked and marked in seed_text()
    chat.page.click("#docqa-export-md")
    link = chat.page.wait_for_selector("#docqa-export-file a[href*='.md']")
    transcript = chat.page.request.get(link.get_attribute("href")).text()
    assert transcript.startswith(f"# {SEED_QUESTION}") and "000_4c9570219aa1637c.txt` characters" in transcript
    chat.screenshot(ARTIFACTS / "saved_conversations.png")
