"""URL ingest against a real HTTP server on a loopback port: pages, crawl, redirect, 404, limits, robots.txt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.web import FetchError, check_target, is_url, same_site_links, Page

pytestmark = pytest.mark.slow

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{body}</p><p>{filler}</p>{links}</article></body></html>"""
FILLER = ("This paragraph is ordinary prose about the harbour town, its ferries, its fishing fleet and the "
          "market that opens every Saturday morning beside the old customs house. ") * 3


def _page(title: str, body: str, links: tuple[str, ...] = ()) -> bytes:
    anchors = "".join(f'<p><a href="{href}">{href}</a></p>' for href in links)
    return PAGE.format(title=title, body=body, filler=FILLER, links=anchors).encode()


class Site:
    """What the server serves; tests change `news` to simulate an edited page."""

    def __init__(self) -> None:
        self.news = "The harbour festival takes place on the second weekend of July."
        self.hits: list[str] = []

    def route(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"
        if path == "/":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, _page(
                "Harbour guide", "The lighthouse was built in 1874 from granite quarried on the island.",
                ("/cat.html", "/more.html#top", "/missing", "http://elsewhere.invalid/page.html"))
        if path == "/cat.html":
            return 200, {"Content-Type": "text/html"}, _page(
                "The keeper's cat", "The lighthouse keeper's cat is named Biscuit and sleeps on the lamp gallery.")
        if path == "/more.html":
            return 200, {"Content-Type": "text/html"}, _page(
                "More", "The ferry to the mainland leaves at 7:40 every morning.", ("/deep.html",))
        if path == "/deep.html":
            return 200, {"Content-Type": "text/html"}, _page("Deep", "The deep page mentions the tide tables.")
        if path == "/news.html":
            return 200, {"Content-Type": "text/html"}, _page("News", self.news)
        if path == "/old-cat":
            return 301, {"Location": "/cat.html"}, b""
        if path == "/notes.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, (
                "Plain notes: the harbour master's office closes at noon on Sundays.\n" * 3).encode()
        if path == "/photo.png":
            return 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64
        if path == "/private/secret.html":
            return 200, {"Content-Type": "text/html"}, _page("Secret", "The vault code is 4471.")
        return 404, {"Content-Type": "text/html"}, b"<h1>not found</h1>"


class Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.site.hits.append(self.path)
        if self.path == "/huge.html":  # streamed without a length: the limit must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            block = b"<p>" + b"x" * 65536 + b"</p>"
            for _ in range(64):  # 4 MB
                try:
                    self.wfile.write(block)
                except OSError:
                    return
            return
        if self.path == "/slow.html":
            time.sleep(3)
        status, headers, body = self.site.route(self.path)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    state = Site()
    handler = type("BoundHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def web_docqa(tmp_path, embedder):
    from qa.api import DocQA

    docqa = DocQA.open(index=tmp_path / "index", embedder=embedder, allow_private=True, web_max_mb=1,
                       web_timeout_s=1.5)
    yield docqa
    docqa.close()


def _by_source(report):
    return {f.source: f for f in report.files}


def test_pages_are_ingested_with_the_url_as_source_and_cited(site, web_docqa):
    url = site.base + "/cat.html"
    report = web_docqa.ingest([url])
    assert [(f.source, f.status) for f in report.files] == [(url, "added")]
    answer = web_docqa.ask("What is the lighthouse keeper's cat named?")
    assert "Biscuit" in answer.answer
    assert answer.citations and answer.citations[0].source == url
    [info] = web_docqa.sources()
    assert info.source == url and info.kind == "html" and info.fetched


def test_redirect_404_huge_non_html_robots_timeout_each_fail_alone(site, web_docqa):
    base = site.base
    report = web_docqa.ingest([base + "/old-cat", base + "/missing", base + "/huge.html", base + "/photo.png",
                               base + "/private/secret.html", base + "/slow.html", base + "/notes.txt"])
    files = _by_source(report)
    assert files[base + "/cat.html"].status == "added"  # the redirect's target is the source
    assert files[base + "/missing"].reason == "HTTP 404"
    assert files[base + "/huge.html"].reason.startswith("page too large (> 1 MB limit")
    assert files[base + "/photo.png"].reason == "unsupported content type image/png"
    assert files[base + "/private/secret.html"].reason == "disallowed by the site's robots.txt"
    assert "/private/secret.html" not in site.hits
    assert files[base + "/slow.html"].reason == "timed out after 1.5 s"
    assert files[base + "/notes.txt"].status == "added" and files[base + "/notes.txt"].chunks >= 1
    assert sorted(s.source for s in web_docqa.sources()) == [base + "/cat.html", base + "/notes.txt"]
    assert web_docqa.sources()[1].kind == "txt"


def test_reingest_updates_by_content_hash(site, web_docqa):
    url = site.base + "/news.html"
    assert web_docqa.ingest([url]).files[0].status == "added"
    assert web_docqa.ingest([url]).files[0].status == "unchanged"
    site.news = "The harbour festival moved to the first weekend of August this year."
    assert web_docqa.ingest([url]).files[0].status == "updated"
    assert len(web_docqa.sources()) == 1
    answer = web_docqa.ask("When is the harbour festival?")
    assert "August" in answer.answer and "July" not in answer.answer


def test_crawl_follows_same_site_links_to_the_depth_and_page_limit(site, web_docqa):
    base = site.base
    one = _by_source(web_docqa.ingest([base + "/"], crawl=1))
    assert {s for s, f in one.items() if f.status == "added"} == {base + "/", base + "/cat.html", base + "/more.html"}
    assert one[base + "/missing"].reason == "HTTP 404"
    assert not any("elsewhere.invalid" in s for s in one)  # other sites are never followed
    assert base + "/deep.html" not in one  # two hops away
    two = _by_source(web_docqa.ingest([base + "/"], crawl=2))
    assert two[base + "/deep.html"].status == "added" and two[base + "/cat.html"].status == "unchanged"
    limited = web_docqa.ingest([base + "/"], crawl=5, max_pages=2)
    assert len(limited.files) == 2


def test_private_and_loopback_targets_are_refused_by_default(site, tmp_path, embedder):
    from qa.api import DocQA

    with DocQA.open(index=tmp_path / "strict", embedder=embedder) as docqa:
        report = docqa.ingest([site.base + "/cat.html"])
    assert report.files[0].status == "failed"
    assert "private or loopback address" in report.files[0].reason and "--allow-private" in report.files[0].reason
    assert site.hits == []
    for url in ("http://localhost/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]:8080/"):
        with pytest.raises(FetchError, match="private or loopback"):
            check_target(url, allow_private=False)
    with pytest.raises(FetchError, match="not an http"):
        check_target("ftp://example.com/x", allow_private=True)


def test_redirect_to_a_private_address_is_refused(site, monkeypatch):
    """Every hop is checked: a public page cannot bounce the fetch onto the server's own network. The first
    hop stands for a public page (let through); the redirect's target gets the real check."""
    import ingest.web as web

    real = web.check_target
    monkeypatch.setattr(web, "check_target", lambda url, allow: None if url.endswith("/old-cat") else real(url, allow))
    fetcher = web.Fetcher(web.WebOptions(allow_private=False))
    with pytest.raises(FetchError, match="private or loopback"):
        fetcher.get(site.base + "/old-cat")
    fetcher.close()


def test_link_extraction_keeps_same_site_only():
    page = Page("http://a.example:8000/dir/page.html", "text/html",
                b'<a href="x.html#f">1</a><a href="/y">2</a><a href="http://a.example:8001/z">3</a>'
                b'<a href="https://a.example:8000/w">4</a><a href="x.html">dup</a>')
    assert same_site_links(page) == ["http://a.example:8000/dir/x.html", "http://a.example:8000/y"]
    assert is_url("https://x") and not is_url("notes/https.txt")


def test_cli_ingests_a_url_and_lists_kind_and_fetch_time(site, tmp_path):
    env = {**os.environ, "DOCQA_INDEX": str(tmp_path / "cli-index")}
    docqa = [sys.executable, "-m", "ui.cli"]
    refused = subprocess.run(docqa + ["ingest", site.base + "/cat.html"], capture_output=True, text=True, env=env,
                             timeout=300)
    assert refused.returncode == 1 and "--allow-private" in refused.stderr
    done = subprocess.run(docqa + ["ingest", "--allow-private", "--json", site.base + "/cat.html"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(docqa + ["sources", "--json"], capture_output=True, text=True, env=env, timeout=300)
    [row] = json.loads(listed.stdout)
    assert row["source"] == site.base + "/cat.html" and row["kind"] == "html" and row["fetched"].endswith("+00:00")
