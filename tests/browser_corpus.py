"""Hostile documents for the web chat tests: every payload must show up as text and run nothing."""

from __future__ import annotations

from pathlib import Path

XSS_FLAG = "__docqaXss"
BEACON_HOST = "docqa-beacon.invalid"
EVIL_FILE_NAME = "<img src=x onerror=window.__docqaXss='filename'>.txt"

# Each question retrieves a sentence that carries a payload, so payloads reach the answer bubble as well as
# the citation panel.
XSS_QUESTIONS = {
    "Where are the tide tables of Quillon Bay posted?": "<img src=x onerror=",
    "Who is the harbour master of Quillon Bay?": "<script>window.",
    "From which pier does the ferry to Quillon Bay leave?": "![beacon](http://",
    "Which Quillon Bay notice should be read before sailing out of the bay?": "](javascript:",
    "What do the Quillon Bay templates do?": "${window.",
    "When was the lighthouse of Quillon Bay rebuilt?": "<svg onload=",
    "When does the Quillon Bay regatta take place?": EVIL_FILE_NAME,  # the cited source's name is the payload
}

_PAYLOAD_TEXT = f"""\
Quillon Bay harbour notice

The harbour master of Quillon Bay is Mirela Tasgard <script>window.{XSS_FLAG}='script';alert('script')</script> since the spring of 2019.

The tide tables of Quillon Bay are posted daily <img src=x onerror="window.{XSS_FLAG}='img';alert('img')"> at the harbour office.

Read the [full Quillon Bay notice](javascript:window.{XSS_FLAG}='link';alert('link')) before sailing out of the bay.

The ferry to Quillon Bay leaves at seven every morning ![beacon](http://{BEACON_HOST}/pixel.png) from the north pier.

Quillon Bay templates ${{window.{XSS_FLAG}='template'}} and {{{{constructor.constructor('window.{XSS_FLAG}=1')()}}}} stay text.

The lighthouse of Quillon Bay <svg onload="window.{XSS_FLAG}='svg'"></svg> was rebuilt <iframe srcdoc="<script>parent.{XSS_FLAG}='iframe'</script>"></iframe> in 1998.

Quillon Bay **bold** _markup_ and $$\\href{{javascript:alert(1)}}{{x}}$$ stays literal, as does &lt;b&gt; an entity.
"""


def write_xss_corpus(folder: Path) -> list[Path]:
    """The payload document as .txt and .md, plus a harmless document whose *file name* is a payload."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "quillon_notice.txt", folder / "quillon_notice.md", folder / EVIL_FILE_NAME]
    paths[0].write_text(_PAYLOAD_TEXT, "utf-8")
    # Markdown outside code is indexed as its readable text (links, images and tags unwrapped: tests/test_markdown.py),
    # so the .md copy carries the payloads in a fenced block, which keeps every character and must still show as text.
    body = _PAYLOAD_TEXT.replace("Quillon Bay harbour notice\n", "", 1)
    paths[1].write_text(f"# Quillon Bay harbour notice\n\n```\n{body.strip()}\n```\n", "utf-8")
    paths[2].write_text("The Quillon Bay regatta takes place every August near the old harbour walls.\n", "utf-8")
    return paths


UPLOAD_FACT_QUESTION = "Who keeps the lighthouse of Port Veyra?"
UPLOAD_FACT_ANSWER = "Odalys Brennan"


def write_upload_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "port_veyra.txt"
    path.write_text(
        "Port Veyra almanac\n\n"
        "The lighthouse of Port Veyra is kept by Odalys Brennan, who climbs its 212 steps every evening.\n\n"
        "Port Veyra exports salted cod and wool to the mainland markets each autumn.\n",
        "utf-8",
    )
    return path
