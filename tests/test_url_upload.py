"""The web chat's URL box: a page on a real loopback server is refused as a private address unless the server's
own setting allows it, then ingested with the URL as its cited source; non-web input never reaches ingest."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.slow

PAGE = (b"<html><head><title>Quay notes</title></head><body><article><h1>Quay notes</h1>"
        b"<p>The harbour master of Port Eskel keeps a tame heron called Mortimer on the quay.</p>"
        b"<p>Mortimer is fed sprats every morning at seven.</p></article></body></html>")


class _Page(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(200 if self.path == "/quay.html" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        body = PAGE if self.path == "/quay.html" else b"<p>no</p>"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def page_url():
    _Page.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/quay.html"
    server.shutdown()
    server.server_close()


def _chat(tmp_path, embedder, **settings):
    from qa.api import DocQA
    from ui.webchat import WebChat

    docqa = DocQA.open(index=tmp_path / "index", embedder=embedder, **settings)
    return docqa, WebChat(docqa, max_upload_mb=1)


@pytest.mark.parametrize("typed", ["", "/etc/passwd", "file:///etc/passwd", "ftp://example.org/a.html",
                                   "http://exa mple.org/", "javascript:alert(1)"])
def test_anything_but_a_web_address_is_refused_before_ingest(tmp_path, embedder, typed):
    from ui.url_upload import ingest_url
    from ui.webchat import UserError

    docqa, chat = _chat(tmp_path, embedder, allow_private=True)
    with pytest.raises(UserError):
        ingest_url(chat, typed)
    assert docqa.sources() == []
    docqa.close()


def test_a_loopback_page_is_refused_by_default_and_never_fetched(tmp_path, embedder, page_url):
    from ui.url_upload import ingest_url

    docqa, chat = _chat(tmp_path, embedder)  # the server's default: no private addresses
    report = ingest_url(chat, page_url)
    [outcome] = report.files
    assert outcome.status == "failed" and "is a private or loopback address" in outcome.reason, outcome
    assert _Page.hits == [] and docqa.sources() == []
    docqa.close()


def test_with_the_server_setting_the_page_is_ingested_and_cited_through_the_app(tmp_path, embedder, page_url):
    from ui.app import build_app

    docqa, chat = _chat(tmp_path, embedder, allow_private=True)
    app = build_app(docqa, chat=chat)
    assert any(getattr(block, "elem_id", None) == "docqa-url" for block in app.blocks.values())
    [handler] = {id(f.fn): f.fn for f in app.fns.values() if getattr(f.fn, "__name__", "") == "on_url"}.values()
    result = handler(f"  {page_url} ", None, None, progress=lambda *args, **kwargs: None)
    assert result[-1] == "" and "added" in result[0], result
    [info] = docqa.sources()
    assert info.source == page_url and info.kind == "html" and info.fetched
    answer = docqa.ask("What is the harbour master's heron called?")
    assert "Mortimer" in answer.answer and answer.citations[0].source == page_url
    docqa.close()
