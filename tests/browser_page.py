"""Drives the docqa web chat in a Playwright page, and records anything a hostile document could make it do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--disable-extensions"]
TIMEOUT_MS = 60_000

# Runs before the app: records every busy or partial answer bubble and upload progress the page shows.
_WATCH_STREAMING = """
window.__docqaSeen = [];
new MutationObserver(() => {
  const chat = document.getElementById('docqa-chat');
  if (!chat) return;
  for (const kind of ['docqa-pending', 'docqa-streaming']) {
    if (chat.querySelector('.' + kind) && window.__docqaSeen[window.__docqaSeen.length - 1] !== kind) {
      window.__docqaSeen.push(kind);
    }
  }
  const progress = document.querySelector('#docqa-report .progress-text, #docqa-report .progress-level');
  if (progress && !window.__docqaSeen.includes('upload-progress')) window.__docqaSeen.push('upload-progress');
}).observe(document, {subtree: true, childList: true, characterData: true});
"""

_ANSWERED = """([turn]) => {
  const bubbles = document.querySelectorAll('#docqa-chat [data-testid=bot]');
  if (bubbles.length < turn) return false;
  const last = bubbles[turn - 1];
  return !last.querySelector('.docqa-pending, .docqa-streaming');
}"""


def require_chromium() -> None:
    """Skip without Debian's chromium, except in CI (CI=true), where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install it with `make browser` (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class ChatPage:
    """One browser tab on the app; `external`, `dialogs` and `flag()` tell whether any payload acted."""

    page: Any
    url: str
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, context: Any, url: str) -> ChatPage:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        chat = cls(page, url)
        page.add_init_script(_WATCH_STREAMING)
        page.on("dialog", lambda dialog: (chat.dialogs.append(dialog.message), dialog.dismiss()))
        page.route("**/*", chat._only_local)
        page.goto(url, wait_until="load")
        page.wait_for_selector("#docqa-question textarea")
        # app.load has filled the example questions: the session is live
        page.wait_for_function("() => (document.querySelector('#docqa-examples')?.innerText || '').includes('What is')")
        return chat

    def _only_local(self, route: Any) -> None:
        if route.request.url.startswith(self.url.rstrip("/")):
            route.continue_()
        else:  # nothing may leave the machine: fonts, beacons, analytics
            self.external.append(route.request.url)
            route.abort()

    # Chat ------------------------------------------------------------------------------------
    def bubbles(self):
        return self.page.locator("#docqa-chat [data-testid=bot]")

    def submit(self, question: str) -> int:
        """Type and send a question without waiting; returns the turn number it will have."""
        turn = self.bubbles().count() + 1
        self.page.fill("#docqa-question textarea", question)
        self.page.click("#docqa-ask")
        return turn

    def wait_answer(self, turn: int) -> str:
        self.page.wait_for_function(_ANSWERED, arg=[turn])
        return self.bubbles().nth(turn - 1).inner_text()

    def ask(self, question: str) -> tuple[int, str]:
        turn = self.submit(question)
        return turn, self.wait_answer(turn)

    def open_citation(self, turn: int, n: int = 1) -> Any:
        """Click [n] in the answer of `turn`; returns the panel entry, which must then be open."""
        # A short answer and the sentence after it may cite the same span: either marker opens it.
        self.bubbles().nth(turn - 1).locator(f"a.docqa-cite-link[href='#docqa-t{turn}-c{n}']").first.click()
        entry = self.page.locator(f"#docqa-citations #docqa-t{turn}-c{n}")
        self.page.wait_for_function(f"() => document.getElementById('docqa-t{turn}-c{n}')?.open === true")
        return entry

    def seen(self) -> list[str]:
        return self.page.evaluate("window.__docqaSeen")

    def flag(self) -> Any:
        from browser_corpus import XSS_FLAG

        return self.page.evaluate(f"window.{XSS_FLAG}")

    # Tabs and documents ----------------------------------------------------------------------
    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()

    def upload(self, paths: list[Path]) -> str:
        self.tab("Documents")
        before = self.page.inner_text("#docqa-report")
        self.page.set_input_files("#docqa-upload input[type=file]", [str(p) for p in paths])
        self.page.wait_for_function(
            "([before]) => { const r = document.querySelector('#docqa-report');"
            " return r && r.innerText.includes('Upload:') && r.innerText !== before; }", arg=[before])
        return self.page.inner_text("#docqa-report")

    def sources_text(self) -> str:
        return self.page.inner_text("#docqa-sources")

    def remove(self, name: str) -> str:
        self.tab("Documents")
        box = self.page.locator("#docqa-remove-choice input")
        box.click()
        box.fill(name)
        self.page.locator("#docqa-remove-choice [data-testid=dropdown-option]", has_text=name).first.click()
        self.page.click("#docqa-remove")
        self.page.wait_for_function(
            "() => (document.querySelector('#docqa-report')?.innerText || '').includes('Removal:')")
        return self.page.inner_text("#docqa-report")

    def toasts(self) -> list[str]:
        return self.page.locator("[data-testid=toast-text]").all_inner_texts()

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_function(  # no event still running anywhere on the page, so nothing is dimmed
            "() => [...document.querySelectorAll('[data-testid=status-tracker]')].every(t => t.classList.contains('hide'))")
        self.page.wait_for_timeout(250)  # Gradio's fade-in of updated outputs
        self.page.screenshot(path=str(path), full_page=True)
